import { collecting } from './petition.status.ts';
import { sql, type Transaction, type Updateable } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB, LocalizedText, PetitionStatus, PetitionTable } from '../../db/schema.ts';
import { batcherPer, createBatcher } from '../../db/batcher.ts';
import { exactCount } from './signature.repo.ts';
import { matchesQuery, normalizeQuery, rankExpression, searchVector } from '../../platform/search/search.ts';

type Trx = Database | Transaction<DB>;

/** Columns of a petition shown to the public (and the author's own draft). */
const PETITION_COLUMNS = [
  'p.id', 'p.municipality_id', 'p.number', 'p.author_id', 'p.category_id', 'p.title', 'p.body', 'p.status',
  'p.threshold', 'p.period_days', 'p.supporters_needed', 'p.submitted_at', 'p.moderation_due_at', 'p.published_at',
  'p.closes_at', 'p.threshold_reached_at', 'p.response_due_at', 'p.answered_at', 'p.closed_at', 'p.rejection_reason',
  'p.close_reason', 'p.response_outcome', 'p.response_text', 'p.response_file_id', 'p.responded_by', 'p.created_at', 'p.updated_at',
] as const;

export async function insertPetition(trx: Trx, values: { municipality_id: number; number: number; author_id: number; category_id: number | null; title: string; body: string; supporters_needed: number }) {
  const row = await trx.insertInto('petitions').values(values).returning(['id', 'number']).executeTakeFirstOrThrow();
  await trx.insertInto('petition_tallies').values({ petition_id: row.id, municipality_id: values.municipality_id }).execute();
  return row;
}

const petitionQuery = (db: Trx) => db.selectFrom('petitions as p')
  .leftJoin('petition_categories as c', 'c.id', 'p.category_id')
  .leftJoin('users as a', 'a.id', 'p.author_id')
  .select([...PETITION_COLUMNS, 'c.names as category_names', 'a.full_name as author_name']);

interface PetitionKey { municipalityId: number; number: number }
const keyOf = (municipalityId: number, number: number) => `${municipalityId}:${number}`;

async function petitionsByKey(db: Database, keys: PetitionKey[]) {
  const wanted = [...new Map(keys.map((k) => [keyOf(k.municipalityId, k.number), k])).values()];
  const rows = await petitionQuery(db)
    .where(sql<boolean>`(p.municipality_id, p.number) IN (SELECT * FROM unnest(${sql.val(wanted.map((k) => k.municipalityId))}::int[], ${sql.val(wanted.map((k) => k.number))}::int[]))`)
    .execute();
  const byKey = new Map(rows.map((r) => [keyOf(r.municipality_id, r.number), r]));
  return keys.map((k) => byKey.get(keyOf(k.municipalityId, k.number)));
}

// Every petition page, signature and API call reads its petition: reads arriving together share one query.
const petitionLoader = batcherPer((db: Database) => createBatcher((keys: PetitionKey[]) => petitionsByKey(db, keys)));

/** A petition with its category and author names, or undefined. Inside a transaction it is read there, alone. */
export async function findPetition(db: Trx, municipalityId: number, number: number) {
  if (db.isTransaction) return petitionQuery(db).where('p.municipality_id', '=', municipalityId).where('p.number', '=', number).executeTakeFirst();
  return petitionLoader(db as Database).run({ municipalityId, number });
}

export type PetitionRow = NonNullable<Awaited<ReturnType<typeof findPetition>>>;

const RECENT_MS = 1000;
const recentPetitions = new WeakMap<Database, Map<string, { at: number; row: PetitionRow }>>();

/**
 * A petition collecting signatures as read at most a second ago in this process (any other is read
 * afresh). A signing rush asks for one petition thousands of times a second; only callers whose writes
 * re-check the petition's state in SQL may use it, as a petition may have closed within that second.
 */
export async function findRecentPetition(db: Database, municipalityId: number, number: number): Promise<PetitionRow | undefined> {
  let byKey = recentPetitions.get(db);
  if (!byKey) recentPetitions.set(db, (byKey = new Map()));
  const key = keyOf(municipalityId, number);
  const hit = byKey.get(key);
  if (hit && Date.now() - hit.at < RECENT_MS) return hit.row;
  const row = await findPetition(db, municipalityId, number);
  if (row && collecting(row)) {
    if (byKey.size > 10_000) byKey.clear();
    byKey.set(key, { at: Date.now(), row });
  }
  return row;
}

/**
 * Moves a petition on only if it is still in one of `from`: two moderators clicking at once, or a
 * stale form, change nothing the second time. Returns whether the row changed.
 */
export async function transition(trx: Trx, id: number, from: PetitionStatus[], set: Updateable<PetitionTable>) {
  const r = await trx.updateTable('petitions').set({ ...set, updated_at: new Date() })
    .where('id', '=', id).where('status', 'in', from).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function insertEvent(trx: Trx, e: { municipality_id: number; petition_id: number; kind: string; actor_id: number | null; note?: string | null }) {
  await trx.insertInto('petition_events').values({ ...e, note: e.note ?? null }).execute();
}

/** The public timeline of a petition, oldest first. */
export async function listEvents(db: Trx, petitionId: number) {
  return db.selectFrom('petition_events as e').leftJoin('users as u', 'u.id', 'e.actor_id')
    .select(['e.id', 'e.kind', 'e.note', 'e.created_at', 'u.full_name as actor_name'])
    .where('e.petition_id', '=', petitionId).orderBy('e.id').execute();
}

export async function listCategories(db: Trx, municipalityId: number) {
  return db.selectFrom('petition_categories').select(['id', 'slug', 'names', 'position'])
    .where('municipality_id', '=', municipalityId).orderBy('position').orderBy('id').execute();
}

export async function insertCategory(trx: Trx, c: { municipality_id: number; slug: string; names: LocalizedText; position: number }) {
  const r = await trx.insertInto('petition_categories').values({ ...c, names: JSON.stringify(c.names) })
    .onConflict((oc) => oc.columns(['municipality_id', 'slug']).doNothing()).returning('id').executeTakeFirst();
  return r?.id;
}

export async function attachFiles(trx: Trx, municipalityId: number, petitionId: number, fileIds: string[]) {
  if (fileIds.length === 0) return;
  await trx.insertInto('petition_files').values(fileIds.map((file_id) => ({ municipality_id: municipalityId, petition_id: petitionId, file_id })))
    .onConflict((oc) => oc.doNothing()).execute();
}

export async function listFiles(db: Trx, petitionId: number) {
  return db.selectFrom('petition_files as pf').innerJoin('files as f', 'f.id', 'pf.file_id')
    .select(['f.id', 'f.mime', 'f.size', 'f.original_name']).where('pf.petition_id', '=', petitionId).orderBy('f.created_at').execute();
}

export interface PetitionFilter {
  statuses: PetitionStatus[];
  categoryId?: number | undefined;
  q?: string | undefined;
  sort: 'signatures' | 'newest' | 'ending' | 'relevance';
  authorId?: number | undefined;
  limit: number;
  offset: number;
}

function filtered(db: Trx, municipalityId: number, f: PetitionFilter) {
  let q = db.selectFrom('petitions as p').innerJoin('petition_tallies as t', 't.petition_id', 'p.id')
    .where('p.municipality_id', '=', municipalityId);
  if (f.statuses.length) q = q.where('p.status', 'in', f.statuses);
  if (f.categoryId) q = q.where('p.category_id', '=', f.categoryId);
  if (f.authorId) q = q.where('p.author_id', '=', f.authorId);
  const query = normalizeQuery(f.q);
  if (query) q = q.where(matchesQuery(searchVector('p.title', 'p.body'), query, 'p.title'));
  return { q, query };
}

/**
 * A page of petitions with exact counts. Sorting by signatures uses the sealed tally, which trails the
 * exact count by the seconds until the next sealing run.
 */
export async function listPetitions(db: Trx, municipalityId: number, f: PetitionFilter) {
  const { q, query } = filtered(db, municipalityId, f);
  let rows = q.leftJoin('petition_categories as c', 'c.id', 'p.category_id')
    .select(['p.id', 'p.number', 'p.title', 'p.status', 'p.threshold', 'p.published_at', 'p.closes_at', 'p.created_at',
      'p.answered_at', 'p.response_due_at', 'p.moderation_due_at', 'p.submitted_at', 'p.response_outcome', 'c.names as category_names', 'c.slug as category_slug'])
    .select(exactCount('t').as('signatures'));
  if (f.sort === 'relevance' && query) rows = rows.orderBy(rankExpression(searchVector('p.title', 'p.body'), query, 'p.title'), 'desc');
  else if (f.sort === 'signatures') rows = rows.orderBy('t.sealed_valid', 'desc');
  else if (f.sort === 'ending') rows = rows.orderBy(sql`p.closes_at IS NULL`).orderBy('p.closes_at', 'asc');
  return rows.orderBy(sql`coalesce(p.published_at, p.submitted_at, p.created_at)`, 'desc').orderBy('p.id', 'desc')
    .limit(f.limit).offset(f.offset).execute();
}

export async function countPetitions(db: Trx, municipalityId: number, f: PetitionFilter): Promise<number> {
  const { q } = filtered(db, municipalityId, f);
  const row = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Petitions by status, for the statistics page. */
export async function countByStatus(db: Trx, municipalityId: number) {
  return db.selectFrom('petitions').select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where('municipality_id', '=', municipalityId).groupBy('status').execute();
}

/** Answered petitions' reaction times in seconds and whether each met its deadline. */
export async function responseTimes(db: Trx, municipalityId: number) {
  return db.selectFrom('petitions')
    .select([
      sql<number>`extract(epoch FROM answered_at - threshold_reached_at)`.as('seconds'),
      sql<boolean>`answered_at <= response_due_at`.as('on_time'),
    ])
    .where('municipality_id', '=', municipalityId).where('answered_at', 'is not', null).where('threshold_reached_at', 'is not', null)
    .execute();
}

/** Number and last change of every petition in `statuses`, for the sitemap. */
export async function petitionsForSitemap(db: Trx, municipalityId: number, statuses: PetitionStatus[]) {
  if (statuses.length === 0) return [];
  return db.selectFrom('petitions').select(['number', 'updated_at']).where('municipality_id', '=', municipalityId)
    .where('status', 'in', statuses).orderBy('number').execute();
}
