import { sql, type Transaction } from 'kysely';
import type { Database } from '../../../db/database.ts';
import type { DB } from '../../../db/schema.ts';
import { prepared } from '../../../db/prepared.ts';
import type { BallotChannel } from '../pb.tables.ts';

type Db = Database | Transaction<DB>;

/** A cycle's categories in ballot order, with the district of a district category. */
export async function ballotCategories(db: Db, cycleId: number) {
  return db.selectFrom('pb_categories as c').leftJoin('districts as d', 'd.id', 'c.district_id')
    .select(['c.id', 'c.slug', 'c.names', 'c.amount', 'c.district_id', 'd.slug as district_slug', 'd.names as district_names'])
    .where('c.cycle_id', '=', cycleId).orderBy('c.position').orderBy('c.id').execute();
}

/** The projects on a cycle's ballot: its admitted ones, by number. */
export async function admittedProjects(db: Db, cycleId: number) {
  return db.selectFrom('pb_projects').select(['id', 'number', 'category_id', 'title', 'cost_total', 'department_cost'])
    .where('cycle_id', '=', cycleId).where('status', '=', 'admitted').orderBy('number').execute();
}

/** What a voter has chosen so far (project numbers, ascending). */
export async function selectedNumbers(db: Db, cycleId: number, userId: number): Promise<number[]> {
  const rows = await db.selectFrom('pb_selections as s').innerJoin('pb_projects as p', 'p.id', 's.project_id').select('p.number')
    .where('s.cycle_id', '=', cycleId).where('s.user_id', '=', userId).orderBy('p.number').execute();
  return rows.map((r) => r.number);
}

export async function addSelection(trx: Db, s: { municipalityId: number; cycleId: number; userId: number; projectId: number }): Promise<void> {
  await trx.insertInto('pb_selections').values({ municipality_id: s.municipalityId, cycle_id: s.cycleId, user_id: s.userId, project_id: s.projectId })
    .onConflict((oc) => oc.columns(['cycle_id', 'user_id', 'project_id']).doNothing()).execute();
}

export async function removeSelection(db: Db, cycleId: number, userId: number, projectId: number): Promise<void> {
  await db.deleteFrom('pb_selections').where('cycle_id', '=', cycleId).where('user_id', '=', userId).where('project_id', '=', projectId).execute();
}

/** Empties a voter's selection in these categories (their district changed). */
export async function removeSelectionsIn(trx: Db, cycleId: number, userId: number, categoryIds: number[]): Promise<void> {
  if (categoryIds.length === 0) return;
  await trx.deleteFrom('pb_selections').where('cycle_id', '=', cycleId).where('user_id', '=', userId)
    .where('project_id', 'in', (eb) => eb.selectFrom('pb_projects').select('id').where('cycle_id', '=', cycleId).where('category_id', 'in', categoryIds))
    .execute();
}

/** One change of a voter's selection at a time (two tabs adding at once cannot pass a limit together). */
export async function lockVoter(trx: Transaction<DB>, cycleId: number, userId: number): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`pb-voter:${cycleId}:${userId}`}))`.execute(trx);
}

export async function declareDistrict(trx: Db, d: { municipalityId: number; cycleId: number; userId: number; districtId: number }): Promise<void> {
  await trx.insertInto('pb_declared_districts').values({ municipality_id: d.municipalityId, cycle_id: d.cycleId, user_id: d.userId, district_id: d.districtId })
    .onConflict((oc) => oc.columns(['cycle_id', 'user_id']).doUpdateSet({ district_id: d.districtId, declared_at: new Date() })).execute();
}

/** What eligibility and the person keys need to know of a voter, as stored. */
export interface VoterRow {
  birth_date: string | null;
  birth_date_source: 'identity' | 'declared' | null;
  national_id_hash: string | null;
  document_hash: string | null;
  residence_district: number | null;
  declared_district: number | null;
}

/**
 * Voters' birth dates, national id hashes, confirmed residence (its document hash and district) in the cycle's
 * municipality and declared districts, for many voters in one statement; one answer per asked voter, in order
 * (undefined for an account that does not exist).
 */
export async function voterRows(db: Db, asked: { userId: number; municipalityId: number; cycleId: number }[]): Promise<(VoterRow | undefined)[]> {
  if (asked.length === 0) return [];
  const col = <K extends keyof (typeof asked)[number]>(k: K) => sql.val(asked.map((a) => a[k]));
  const { rows } = await sql<VoterRow & { ord: number }>`
    SELECT x.ord, u.birth_date::text AS birth_date, u.birth_date_source, u.national_id_hash, rv.document_hash,
      rv.district_id AS residence_district, dd.district_id AS declared_district
    FROM unnest(${col('userId')}::int[], ${col('municipalityId')}::int[], ${col('cycleId')}::int[]) WITH ORDINALITY AS x(user_id, municipality_id, cycle_id, ord)
    JOIN users u ON u.id = x.user_id
    LEFT JOIN resident_verifications rv ON rv.municipality_id = x.municipality_id AND rv.user_id = x.user_id
    LEFT JOIN pb_declared_districts dd ON dd.cycle_id = x.cycle_id AND dd.user_id = x.user_id ${prepared}`.execute(db);
  const byOrd = new Map(rows.map((r) => [Number(r.ord), r]));
  return asked.map((_, i) => byOrd.get(i + 1));
}

/** The account whose confirmed residence in the municipality was shown with this document, if any. */
export async function documentHolder(db: Db, municipalityId: number, documentHash: string): Promise<number | undefined> {
  const row = await db.selectFrom('resident_verifications').select('user_id')
    .where('municipality_id', '=', municipalityId).where('document_hash', '=', documentHash).executeTakeFirst();
  return row?.user_id;
}

export interface BallotRow {
  id: number;
  channel: BallotChannel;
  voter: string;
  choices: number[];
  version: number;
  district_id: number | null;
  age_band: string | null;
  cast_at: Date;
  changed_at: Date;
}

const BALLOT_COLUMNS = ['b.id', 'b.channel', 'b.voter', 'b.choices', 'b.version', 'b.district_id', 'b.age_band', 'b.cast_at', 'b.changed_at'] as const;

/** The ballot cast by whoever any of these person keys names, online or on paper. */
export async function ballotByKeys(db: Db, cycleId: number, keys: string[]): Promise<BallotRow | undefined> {
  if (keys.length === 0) return undefined;
  const row = await db.selectFrom('pb_voters as v').innerJoin('pb_ballots as b', 'b.id', 'v.ballot_id').select(BALLOT_COLUMNS)
    .where('v.cycle_id', '=', cycleId).where('v.person_key', 'in', keys).orderBy('b.id').limit(1).executeTakeFirst();
  return row ? { ...row, id: Number(row.id), choices: row.choices.map(Number) } : undefined;
}

/** The cycle titles of ballots, by ballot id (the audit log names a paper ballot by its cycle). */
export async function ballotCycleTitles(db: Db, municipalityId: number, ids: number[]) {
  const rows = await db.selectFrom('pb_ballots as b').innerJoin('pb_cycles as c', 'c.id', 'b.cycle_id').select(['b.id', 'c.title'])
    .where('b.municipality_id', '=', municipalityId).where('b.id', 'in', ids).execute();
  return rows.map((r) => ({ id: Number(r.id), title: r.title }));
}
