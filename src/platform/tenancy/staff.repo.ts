import type { Database } from '../../db/database.ts';
import type { MunicipalRole } from '../../db/schema.ts';

export async function addMembership(db: Database, municipalityId: number, userId: number, role: MunicipalRole): Promise<boolean> {
  const r = await db.insertInto('memberships').values({ municipality_id: municipalityId, user_id: userId, role })
    .onConflict((oc) => oc.doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function removeMembership(db: Database, municipalityId: number, userId: number, role: MunicipalRole): Promise<boolean> {
  const r = await db.deleteFrom('memberships').where('municipality_id', '=', municipalityId).where('user_id', '=', userId).where('role', '=', role).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Staff of a municipality: every role holder with their departments. */
export async function listStaff(db: Database, municipalityId: number) {
  const rows = await db.selectFrom('memberships').innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['users.id', 'users.full_name', 'users.email', 'memberships.role'])
    .where('memberships.municipality_id', '=', municipalityId).orderBy('users.full_name').execute();
  const deps = await db.selectFrom('official_departments').select(['user_id', 'department_id']).where('municipality_id', '=', municipalityId).execute();
  return rows.map((r) => ({ ...r, departmentIds: deps.filter((d) => d.user_id === r.id).map((d) => d.department_id) }));
}

export async function addOfficialDepartment(db: Database, municipalityId: number, userId: number, departmentId: number): Promise<void> {
  await db.insertInto('official_departments').values({ municipality_id: municipalityId, user_id: userId, department_id: departmentId })
    .onConflict((oc) => oc.doNothing()).execute();
}

export async function departmentBelongsTo(db: Database, departmentId: number, municipalityId: number): Promise<boolean> {
  const row = await db.selectFrom('departments').select('id').where('id', '=', departmentId).where('municipality_id', '=', municipalityId).executeTakeFirst();
  return !!row;
}

export async function insertDepartment(db: Database, municipalityId: number, slug: string, names: Record<string, string>, email: string | null) {
  return db.insertInto('departments').values({ municipality_id: municipalityId, slug, names: JSON.stringify(names), email })
    .onConflict((oc) => oc.columns(['municipality_id', 'slug']).doNothing()).returningAll().executeTakeFirst();
}

export async function verifyResident(db: Database, municipalityId: number, userId: number, method: 'official' | 'census', by: number | null) {
  await db.insertInto('resident_verifications').values({ municipality_id: municipalityId, user_id: userId, method, verified_by: by })
    .onConflict((oc) => oc.doNothing()).execute();
}

export async function countAdmins(db: Database, municipalityId: number): Promise<number> {
  const row = await db.selectFrom('memberships').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('municipality_id', '=', municipalityId).where('role', '=', 'admin').executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function removeOfficialDepartments(db: Database, municipalityId: number, userId: number): Promise<void> {
  await db.deleteFrom('official_departments').where('municipality_id', '=', municipalityId).where('user_id', '=', userId).execute();
}

export async function listResidentVerifications(db: Database, municipalityId: number, limit = 50) {
  return db.selectFrom('resident_verifications').innerJoin('users', 'users.id', 'resident_verifications.user_id')
    .select(['users.full_name', 'users.email', 'resident_verifications.method', 'resident_verifications.created_at'])
    .where('resident_verifications.municipality_id', '=', municipalityId).orderBy('resident_verifications.created_at', 'desc').limit(limit).execute();
}

/** Records an identity-provider verification (used by the demo and by OpenID Connect sign-in). */
export async function setIdentity(db: Database, userId: number, provider: string, subject: string, residenceMunicipalityId: number | null) {
  await db.updateTable('users').set({
    identity_provider: provider, identity_subject: subject, identity_verified_at: new Date(), residence_municipality_id: residenceMunicipalityId,
  }).where('id', '=', userId).execute();
}
