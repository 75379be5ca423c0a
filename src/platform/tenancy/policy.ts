import type { MunicipalRole } from '../../db/schema.ts';
import type { CurrentUser } from '../auth/current-user.ts';

/** What an action is done to: at least the municipality it belongs to. */
export interface Subject {
  municipalityId: number | null;
  ownerId?: number | null;
  departmentIds?: number[];
}

export type Rule = (user: CurrentUser, subject: Subject) => boolean;

const rules = new Map<string, Rule>();

/** True for a platform administrator anywhere, or a holder of one of `roles` in the subject's municipality. */
export function hasRole(user: CurrentUser, municipalityId: number | null, ...roles: MunicipalRole[]): boolean {
  if (user.platformRole === 'platform_admin') return true;
  if (municipalityId === null) return false;
  const held = user.roles[municipalityId] ?? [];
  return held.includes('admin') || roles.some((r) => held.includes(r));
}

/** Registers the rules of a module's (or the platform's) actions; names are `module.action`. */
export function definePermissions(map: Record<string, Rule>): void {
  for (const [action, rule] of Object.entries(map)) {
    if (rules.has(action) && rules.get(action) !== rule) throw new Error(`Permission ${action} is defined twice`);
    rules.set(action, rule);
  }
}

/** The one policy check every route uses; unknown actions are refused. */
export function can(user: CurrentUser | null, action: string, subject: Subject): boolean {
  // Look the action up first, so a misspelt one fails for anonymous visitors too, not only once someone signs in.
  const rule = rules.get(action);
  if (!rule) throw new Error(`Unknown permission ${action}`);
  if (!user) return false;
  return rule(user, subject);
}

definePermissions({
  'municipality.create': (u) => u.platformRole === 'platform_admin' || u.platformRole === 'association_admin',
  'municipality.manage': (u, s) => hasRole(u, s.municipalityId),
  'staff.manage': (u, s) => hasRole(u, s.municipalityId),
  'department.manage': (u, s) => hasRole(u, s.municipalityId),
  'district.manage': (u, s) => hasRole(u, s.municipalityId),
  'audit.view': (u, s) => hasRole(u, s.municipalityId),
  'residents.verify': (u, s) => hasRole(u, s.municipalityId, 'official'),
  'moderation.act': (u, s) => hasRole(u, s.municipalityId, 'moderator'),
  'platform.operate': (u) => u.platformRole === 'platform_admin',
  'association.manage': (u) => u.platformRole === 'platform_admin' || u.platformRole === 'association_admin',
});
