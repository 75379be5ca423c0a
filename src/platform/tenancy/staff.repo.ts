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
