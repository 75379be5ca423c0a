import type { Static } from 'typebox';
import type { Municipality, MunicipalRole } from '../../db/schema.ts';
import type { CurrentUser } from '../auth/current-user.ts';
import { findUserByEmail } from '../auth/auth.repo.ts';
import { audit } from '../audit/audit.ts';
import type { Deps } from '../http/deps.ts';
import { allModules } from '../modules-registry.ts';
import { forgetMunicipality } from '../http/request-context.ts';
import { findMunicipalityBySlug, hostTaken, insertMunicipality, updateMunicipalityRow } from './municipality.repo.ts';
import { namesFrom, type DepartmentSchema, type MunicipalitySchema, type StaffSchema } from './municipality.schemas.ts';
import { createOnce, type OnceKey } from '../idempotency/once.ts';
import {
  addMembership, addOfficialDepartment, countAdmins, departmentBelongsTo, insertDepartment,
  removeMembership, removeOfficialDepartments, verifyResident,
} from './staff.repo.ts';

type Actor = Pick<CurrentUser, 'id'> & { ip?: string | null };
type MunicipalityInput = Static<typeof MunicipalitySchema>;

function columns(v: MunicipalityInput) {
  return {
    slug: v.slug, names: JSON.stringify(namesFrom(v)), official_code: v.officialCode, population: v.population,
    center_lat: v.centerLat, center_lng: v.centerLng, zoom: v.zoom, default_locale: v.defaultLocale,
    currency: v.currency, time_zone: v.timeZone, host: v.host ? v.host.toLowerCase() : null,
    contact_email: v.contactEmail ?? null, contact_phone: v.contactPhone ?? null, contact_address: v.contactAddress ?? null,
  };
}

/** Adds a municipality to the association. */
export async function createMunicipality(deps: Deps, actor: Actor, v: MunicipalityInput, once: OnceKey | null = null):
  Promise<{ kind: 'created'; slug: string } | { kind: 'slug_taken' } | { kind: 'host_taken' }> {
  // Checked after the idempotency claim: a resend of the form is answered "created", not "slug taken".
  return createOnce(deps.db, once, 'municipality', async (trx) => {
    if (await findMunicipalityBySlug(trx, v.slug)) return { kind: 'slug_taken' as const };
    if (v.host && (await hostTaken(trx, v.host.toLowerCase(), null))) return { kind: 'host_taken' as const };
    const m = await insertMunicipality(trx, { ...columns(v), enabled_modules: JSON.stringify([]), settings: JSON.stringify({}) });
    forgetMunicipality(m.slug);
    await audit(trx, { municipalityId: m.id, actorId: actor.id, action: 'municipality.create', subjectType: 'municipality', subjectId: m.id, after: m, ip: actor.ip ?? null });
    return { kind: 'created' as const, slug: m.slug };
  }, (r) => r.kind === 'created');
}

/** Changes a municipality's details and which modules it offers; the slug stays (links must not break). */
export async function updateMunicipality(deps: Deps, actor: Actor, m: Municipality, v: MunicipalityInput, modules: string[]):
  Promise<{ kind: 'updated'; municipality: Municipality } | { kind: 'host_taken' }> {
  if (v.host && (await hostTaken(deps.db, v.host.toLowerCase(), m.id))) return { kind: 'host_taken' };
  const known = new Set(allModules().map((x) => x.id));
  const enabled = modules.filter((id) => known.has(id));
  return deps.db.transaction().execute(async (trx) => {
    const { slug: _slug, ...rest } = columns(v);
    const updated = await updateMunicipalityRow(trx, m.id, { ...rest, enabled_modules: JSON.stringify(enabled) });
    forgetMunicipality(m.slug);
    await audit(trx, { municipalityId: m.id, actorId: actor.id, action: 'municipality.update', subjectType: 'municipality', subjectId: m.id, before: m, after: updated, ip: actor.ip ?? null });
    return { kind: 'updated' as const, municipality: updated };
  });
}

export async function addDepartment(deps: Deps, actor: Actor, m: Municipality, v: Static<typeof DepartmentSchema>, once: OnceKey | null = null): Promise<'created' | 'slug_taken'> {
  return createOnce(deps.db, once, 'department', async (trx) => {
    const d = await insertDepartment(trx, m.id, v.slug, namesFrom(v), v.email ?? null);
    if (!d) return 'slug_taken' as const;
    await audit(trx, { municipalityId: m.id, actorId: actor.id, action: 'department.create', subjectType: 'department', subjectId: d.id, after: d, ip: actor.ip ?? null });
    return 'created' as const;
  }, (r) => r === 'created');
}

/** Gives a registered person a role in the municipality (and a department, for officials). */
export async function addStaff(deps: Deps, actor: Actor, m: Municipality, v: Static<typeof StaffSchema>):
  Promise<'added' | 'no_user' | 'bad_department' | 'exists'> {
  const user = await findUserByEmail(deps.db, v.email);
  if (!user || user.deleted_at) return 'no_user';
  if (v.departmentId && !(await departmentBelongsTo(deps.db, v.departmentId, m.id))) return 'bad_department';
  return deps.db.transaction().execute(async (trx) => {
    const added = await addMembership(trx, m.id, user.id, v.role as MunicipalRole);
    if (v.departmentId) await addOfficialDepartment(trx, m.id, user.id, v.departmentId);
    if (!added && !v.departmentId) return 'exists' as const;
    await audit(trx, {
      municipalityId: m.id, actorId: actor.id, action: 'staff.add', subjectType: 'user', subjectId: user.id,
      after: { role: v.role, departmentId: v.departmentId ?? null }, ip: actor.ip ?? null,
    });
    return 'added' as const;
  });
}

/** Takes a role away; the last administrator of a municipality cannot be removed. */
export async function removeStaff(deps: Deps, actor: Actor, m: Municipality, userId: number, role: MunicipalRole):
  Promise<'removed' | 'not_found' | 'last_admin'> {
  if (role === 'admin' && (await countAdmins(deps.db, m.id)) <= 1) return 'last_admin';
  return deps.db.transaction().execute(async (trx) => {
    if (!(await removeMembership(trx, m.id, userId, role))) return 'not_found' as const;
    if (role === 'official') await removeOfficialDepartments(trx, m.id, userId);
    await audit(trx, { municipalityId: m.id, actorId: actor.id, action: 'staff.remove', subjectType: 'user', subjectId: userId, before: { role }, ip: actor.ip ?? null });
    return 'removed' as const;
  });
}

/** An official confirms that a registered person lives in the municipality. */
export async function verifyResidentByEmail(deps: Deps, actor: Actor, m: Municipality, email: string): Promise<'verified' | 'no_user'> {
  const user = await findUserByEmail(deps.db, email);
  if (!user || user.deleted_at) return 'no_user';
  await deps.db.transaction().execute(async (trx) => {
    await verifyResident(trx, m.id, user.id, 'official', actor.id);
    await audit(trx, { municipalityId: m.id, actorId: actor.id, action: 'resident.verify', subjectType: 'user', subjectId: user.id, ip: actor.ip ?? null });
  });
  return 'verified';
}

/** Sets (or clears, with null) the municipality's logo, an uploaded image. */
export async function setLogo(deps: Deps, actor: Actor, m: Municipality, fileId: string | null): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await updateMunicipalityRow(trx, m.id, { logo_file_id: fileId });
    forgetMunicipality(m.slug);
    await audit(trx, { municipalityId: m.id, actorId: actor.id, action: 'municipality.logo', subjectType: 'municipality', subjectId: m.id, before: { logo: m.logo_file_id }, after: { logo: fileId }, ip: actor.ip ?? null });
  });
}

/** Saves one module's settings for the municipality (already validated against the module's schema). */
export async function saveModuleSettings(deps: Deps, actor: Actor, m: Municipality, moduleId: string, values: Record<string, unknown>): Promise<void> {
  const settings = { ...(m.settings as Record<string, Record<string, unknown>>), [moduleId]: values };
  await deps.db.transaction().execute(async (trx) => {
    await updateMunicipalityRow(trx, m.id, { settings: JSON.stringify(settings) });
    forgetMunicipality(m.slug);
    await audit(trx, { municipalityId: m.id, actorId: actor.id, action: 'module.settings', subjectType: 'module', subjectId: moduleId,
      before: (m.settings as Record<string, unknown>)[moduleId] ?? null, after: values, ip: actor.ip ?? null });
  });
}
