import type { Database } from '../../db/database.ts';
import type { Department, Municipality, NewMunicipality } from '../../db/schema.ts';

/** Looks a municipality up by its URL slug. */
export async function findMunicipalityBySlug(db: Database, slug: string): Promise<Municipality | undefined> {
  return db.selectFrom('municipalities').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export async function findMunicipalityById(db: Database, id: number): Promise<Municipality | undefined> {
  return db.selectFrom('municipalities').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findMunicipalityByCode(db: Database, code: string): Promise<Municipality | undefined> {
  return db.selectFrom('municipalities').selectAll().where('official_code', '=', code).executeTakeFirst();
}

export async function listMunicipalities(db: Database): Promise<Municipality[]> {
  return db.selectFrom('municipalities').selectAll().orderBy('slug').execute();
}

export async function insertMunicipality(db: Database, values: NewMunicipality): Promise<Municipality> {
  return db.insertInto('municipalities').values(values).returningAll().executeTakeFirstOrThrow();
}

/** Host name → slug, for municipalities served on a host of their own. */
export async function hostMap(db: Database): Promise<Map<string, string>> {
  const rows = await db.selectFrom('municipalities').select(['host', 'slug']).where('host', 'is not', null).execute();
  return new Map(rows.map((r) => [r.host!.toLowerCase(), r.slug]));
}

export async function listDepartments(db: Database, municipalityId: number): Promise<Department[]> {
  return db.selectFrom('departments').selectAll().where('municipality_id', '=', municipalityId).orderBy('slug').execute();
}

export async function associationNames(db: Database) {
  const row = await db.selectFrom('association').select('names').orderBy('id').executeTakeFirst();
  return row?.names ?? null;
}

export async function hasPlatformAdmin(db: Database): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').where('platform_role', '=', 'platform_admin').where('deleted_at', 'is', null).executeTakeFirst();
  return !!row;
}

export async function ensureAssociation(db: Database, names: Record<string, string>): Promise<void> {
  const row = await db.selectFrom('association').select('id').executeTakeFirst();
  if (row) await db.updateTable('association').set({ names: JSON.stringify(names) }).where('id', '=', row.id).execute();
  else await db.insertInto('association').values({ names: JSON.stringify(names) }).execute();
}

export async function setPlatformRole(db: Database, userId: number, role: 'platform_admin' | 'association_admin' | null): Promise<void> {
  await db.updateTable('users').set({ platform_role: role }).where('id', '=', userId).execute();
}

export async function deleteSetupTokens(db: Database): Promise<void> {
  await db.deleteFrom('tokens').where('purpose', '=', 'setup').execute();
}

export async function updateMunicipalityRow(db: Database, id: number, values: import('../../db/schema.ts').MunicipalityUpdate): Promise<Municipality> {
  return db.updateTable('municipalities').set(values).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function hostTaken(db: Database, host: string, exceptId: number | null): Promise<boolean> {
  let q = db.selectFrom('municipalities').select('id').where('host', '=', host);
  if (exceptId !== null) q = q.where('id', '<>', exceptId);
  return !!(await q.executeTakeFirst());
}
