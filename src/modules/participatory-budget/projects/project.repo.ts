import { sql, type ExpressionBuilder, type Transaction, type Updateable } from 'kysely';
import type { Database } from '../../../db/database.ts';
import type { DB } from '../../../db/schema.ts';
import { searchVector } from '../../../platform/search/search.ts';
import type { LatLng } from '../../../platform/geo/geo.ts';
import type { CostItem, PbProjectTable, ProjectStatus } from '../pb.tables.ts';
import { EDITABLE_STATUSES } from './project.rules.ts';

type Db = Database | Transaction<DB>;

/** Every column of a project a page shows (not `location` and `search`, which are written and never read). */
export const PROJECT_COLUMNS = [
  'p.id', 'p.municipality_id', 'p.cycle_id', 'p.number', 'p.category_id', 'p.author_id', 'p.status', 'p.title', 'p.summary', 'p.description',
  'p.beneficiaries', 'p.lat', 'p.lng', 'p.address', 'p.district_id', 'p.cost_items', 'p.cost_total', 'p.department_cost', 'p.department_id',
  'p.review_due_at', 'p.resubmit_by', 'p.decision_note', 'p.submitted_at', 'p.decided_at', 'p.funded', 'p.impl_status', 'p.progress',
  'p.contracted', 'p.spent', 'p.due_on', 'p.created_at', 'p.updated_at',
] as const;

/** What the authors write; the columns derived from it (location, total, search) are written with it. */
export interface ProjectText {
  category_id: number;
  title: string;
  summary: string;
  description: string;
  beneficiaries: string;
  at: LatLng | null;
  address: string | null;
  district_id: number | null;
  cost_items: CostItem[];
  cost_total: number;
}

// The search vector is made from the values written, not the columns: in an UPDATE those would be the old ones.
const written = (v: ProjectText) => ({
  category_id: v.category_id, title: v.title, summary: v.summary, description: v.description, beneficiaries: v.beneficiaries,
  lat: v.at?.lat ?? null, lng: v.at?.lng ?? null, location: v.at ? sql`point(${v.at.lng}::float8, ${v.at.lat}::float8)` : null,
  address: v.address, district_id: v.district_id, cost_items: JSON.stringify(v.cost_items), cost_total: v.cost_total,
  search: searchVector(sql<string>`${v.title}`, sql<string>`${v.summary}`, sql<string>`${v.description}`),
});

/** Inserts a new draft; returns its id. */
export async function insertProject(trx: Db, v: ProjectText & { municipality_id: number; cycle_id: number; number: number; author_id: number }): Promise<number> {
  const row = await trx.insertInto('pb_projects').values({
    municipality_id: v.municipality_id, cycle_id: v.cycle_id, number: v.number, author_id: v.author_id, ...written(v),
  }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** The project's cycle, if it is published and takes submissions at `now` (for an EXISTS in an update of `p`). */
const takingSubmissions = (eb: ExpressionBuilder<DB & { p: PbProjectTable }, 'p'>, now: Date) => eb.selectFrom('pb_cycles as c').select('c.id')
  .whereRef('c.id', '=', 'p.cycle_id').where('c.status', '=', 'published').where('c.submission_opens', '<=', now).where('c.submission_closes', '>', now);

/**
 * Saves the authors' changes only while the project may be edited (EDITABLE_STATUSES, checked again here with
 * the phase: a draft or a submitted project while its cycle takes submissions, a returned one until its
 * resubmission deadline), so a form sent after the phase closed changes nothing. Returns whether it did.
 */
export async function saveProjectText(trx: Db, id: number, v: ProjectText, now: Date): Promise<boolean> {
  const r = await trx.updateTable('pb_projects as p').set({ ...written(v), updated_at: now })
    .where('p.id', '=', id).where('p.status', 'in', [...EDITABLE_STATUSES])
    .where((eb) => eb.or([
      eb.and([eb('p.status', '=', 'returned'), eb('p.resubmit_by', '>', now)]),
      eb.and([eb('p.status', 'in', ['draft', 'submitted']), eb.exists(takingSubmissions(eb, now))]),
    ]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Conditions a move checks in SQL besides the status, as of `now`: the cycle's phase or the project's own deadline. */
export interface MoveWindow {
  /** The cycle is published and takes submissions. */
  submissionOpenAt?: Date;
  /** The project's resubmission deadline has not passed. */
  resubmitAfter?: Date;
  /** The cycle's voting has not opened. */
  votingNotOpenAt?: Date;
}

/** Moves a project on only from one of `from` and inside `window` (a stale form or a second click changes nothing); whether it moved. */
export async function moveProject(trx: Db, id: number, from: readonly ProjectStatus[], set: Updateable<PbProjectTable>, window: MoveWindow = {}): Promise<boolean> {
  let q = trx.updateTable('pb_projects as p').set({ ...set, updated_at: new Date() }).where('p.id', '=', id).where('p.status', 'in', [...from]);
  if (window.resubmitAfter) q = q.where('p.resubmit_by', '>', window.resubmitAfter);
  const { submissionOpenAt: open, votingNotOpenAt: voting } = window;
  if (open) q = q.where((eb) => eb.exists(takingSubmissions(eb, open)));
  if (voting) q = q.where((eb) => eb.exists(eb.selectFrom('pb_cycles as c').select('c.id').whereRef('c.id', '=', 'p.cycle_id').where('c.voting_opens', '>', voting)));
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

const projectQuery = (db: Db) => db.selectFrom('pb_projects as p')
  .innerJoin('pb_categories as c', 'c.id', 'p.category_id')
  .innerJoin('users as a', 'a.id', 'p.author_id')
  .leftJoin('districts as d', 'd.id', 'p.district_id')
  .select([...PROJECT_COLUMNS, 'c.slug as category_slug', 'c.names as category_names', 'd.names as district_names', 'd.slug as district_slug',
    'a.full_name as author_name', 'a.deleted_at as author_deleted_at']);

/** A project by its number in the municipality, with its category, district and author's name; whatever its status. */
export async function findProject(db: Db, municipalityId: number, number: number) {
  return projectQuery(db).where('p.municipality_id', '=', municipalityId).where('p.number', '=', number).executeTakeFirst();
}

export type ProjectRow = NonNullable<Awaited<ReturnType<typeof findProject>>>;

/** Holds the project's row until the transaction ends (counting its files or co-authors against a limit). */
export async function lockProject(trx: Transaction<DB>, id: number): Promise<void> {
  await trx.selectFrom('pb_projects').select('id').where('id', '=', id).forUpdate().execute();
}

/** How many projects (of any status but withdrawn) the person wrote in the cycle. */
export async function countOwnProjects(db: Db, cycleId: number, authorId: number): Promise<number> {
  const row = await db.selectFrom('pb_projects').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('cycle_id', '=', cycleId).where('author_id', '=', authorId).where('status', '!=', 'withdrawn').executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Public projects of the municipality's published cycles with when each last changed, for the sitemap. */
export async function projectsForSitemap(db: Db, municipalityId: number) {
  return db.selectFrom('pb_projects as p').innerJoin('pb_cycles as c', 'c.id', 'p.cycle_id').select(['p.number', 'p.updated_at'])
    .where('p.municipality_id', '=', municipalityId).where('c.status', '=', 'published').where('p.status', '!=', 'draft')
    .where('p.submitted_at', 'is not', null).orderBy('p.number').execute();
}
