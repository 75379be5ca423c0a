import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB, LocalizedText } from '../../db/schema.ts';
import { polygonText, type ParsedDistrict } from './districts.parse.ts';

type Db = Database | Transaction<DB>;

/** The municipality's districts by name order of slug, with how many polygons draw each. */
export async function listDistricts(db: Db, municipalityId: number) {
  return db.selectFrom('districts as d')
    .select(['d.id', 'd.slug', 'd.names', (eb) => eb.selectFrom('district_parts as p').whereRef('p.district_id', '=', 'd.id').select((e) => e.fn.countAll<number>().as('n')).as('parts')])
    .where('d.municipality_id', '=', municipalityId).orderBy('d.slug').execute();
}

export async function findDistrict(db: Db, municipalityId: number, id: number) {
  return db.selectFrom('districts').select(['id', 'slug', 'names']).where('municipality_id', '=', municipalityId).where('id', '=', id).executeTakeFirst();
}

/** One import at a time per municipality until the transaction ends, so two cannot pass the limit together. */
export async function lockDistricts(trx: Transaction<DB>, municipalityId: number): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`districts:${municipalityId}`}))`.execute(trx);
}

/** Adds a district or redraws and renames the one with its slug; returns whether it was new. */
export async function saveDistrict(trx: Transaction<DB>, municipalityId: number, d: ParsedDistrict): Promise<boolean> {
  const existing = await trx.selectFrom('districts').select('id').where('municipality_id', '=', municipalityId).where('slug', '=', d.slug).executeTakeFirst();
  const id = existing
    ? (await trx.updateTable('districts').set({ names: JSON.stringify(d.names) }).where('id', '=', existing.id).returning('id').executeTakeFirstOrThrow()).id
    : (await trx.insertInto('districts').values({ municipality_id: municipalityId, slug: d.slug, names: JSON.stringify(d.names) }).returning('id').executeTakeFirstOrThrow()).id;
  await trx.deleteFrom('district_parts').where('district_id', '=', id).execute();
  await trx.insertInto('district_parts')
    .values(d.rings.map((r) => ({ municipality_id: municipalityId, district_id: id, shape: sql`${polygonText(r)}::polygon` })))
    .execute();
  return !existing;
}

export async function deleteDistrict(db: Db, municipalityId: number, id: number): Promise<boolean> {
  const r = await db.deleteFrom('districts').where('municipality_id', '=', municipalityId).where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** The district a place lies in, if the municipality has drawn one there. */
export async function districtAt(db: Db, municipalityId: number, at: { lat: number; lng: number }): Promise<{ id: number; names: LocalizedText } | undefined> {
  return db.selectFrom('district_parts as p').innerJoin('districts as d', 'd.id', 'p.district_id').select(['d.id', 'd.names'])
    .where('p.municipality_id', '=', municipalityId).where(sql<boolean>`p.shape @> point(${at.lng}::float8, ${at.lat}::float8)`)
    .orderBy('d.slug').limit(1).executeTakeFirst();
}
