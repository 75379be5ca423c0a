import type { Municipality } from '../../db/schema.ts';
import type { CurrentUser } from '../auth/current-user.ts';
import { definePermissions, hasRole } from '../tenancy/policy.ts';
import { RESIDENT_WAYS, type ResidentWay } from './residence.tables.ts';

/** Working days a registrar has to decide a residence request (counted in the municipality's time zone). */
export const REQUEST_WORKING_DAYS = 5;

/** Whether the municipality offers `way` to become a confirmed resident (its administrator's choice, `resident_ways`). */
export function offersWay(m: Pick<Municipality, 'resident_ways'> | null | undefined, way: ResidentWay): boolean {
  return !!m && Array.isArray(m.resident_ways) && m.resident_ways.includes(way);
}

/** The known ways among `values` (a form's checkboxes), in the platform's order, each once. */
export function residentWaysFrom(values: readonly string[]): ResidentWay[] {
  return RESIDENT_WAYS.filter((w) => values.includes(w));
}

// Registrars confirm residents at a service centre and decide requests; a municipal admin holds these too.
const registrar = (u: CurrentUser, s: { municipalityId: number | null }) => hasRole(u, s.municipalityId, 'registrar');
definePermissions({
  'residence.confirm': registrar,
  'residence.decide': registrar,
});
