import { sql, type Transaction, type Updateable } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import type { ReportQuestion, ReportStatus, ReportTable } from '../../db/schema.reports.ts';
import { EARTH_RADIUS_M, boxAround, type Box, type LatLng } from '../../platform/geo/geo.ts';
import type { Answers } from './report.questions.ts';

type Trx = Database | Transaction<DB>;

/** Statuses of a problem not yet dealt with: nearby duplicates and "me too" are offered only for these. */
export const OPEN_STATUSES: ReportStatus[] = ['new', 'acknowledged', 'in_progress', 'scheduled'];

/** The status filter residents and the API use: still open, fixed, closed, or everything. */
export const STATUS_GROUPS: Record<string, ReportStatus[]> = { open: OPEN_STATUSES, fixed: ['fixed'], closed: ['closed'], all: [] };

/** Haversine distance in metres from `p` to the `lat`/`lng` of the row aliased `alias`, in SQL (the same formula as distanceMeters). */
export const distanceTo = (p: LatLng, alias = 'r') => {
  const lat = sql.ref(`${alias}.lat`);
  const lng = sql.ref(`${alias}.lng`);
  return sql<number>`(${2 * EARTH_RADIUS_M} * asin(least(1, sqrt(power(sin(radians(${p.lat}::float8 - ${lat}) / 2), 2)
    + cos(radians(${lat})) * cos(radians(${p.lat}::float8)) * power(sin(radians(${p.lng}::float8 - ${lng}) / 2), 2)))))`;
};

/** The GiST-indexed condition "inside this box" on the row aliased `r`. */
const inBox = (b: Box) => sql<boolean>`r.location <@ box(point(${b.west}::float8, ${b.south}::float8), point(${b.east}::float8, ${b.north}::float8))`;

const REPORT_COLUMNS = [
  'r.id', 'r.municipality_id', 'r.number', 'r.category_id', 'r.department_id', 'r.status', 'r.close_reason', 'r.duplicate_of',
  'r.title', 'r.description', 'r.lat', 'r.lng', 'r.located', 'r.address', 'r.author_id', 'r.show_name', 'r.answers', 'r.supporters',
  'r.created_at', 'r.acknowledged_at', 'r.fixed_at', 'r.closed_at', 'r.updated_at',
] as const;

export async function listCategories(db: Trx, municipalityId: number, opts: { activeOnly?: boolean } = {}) {
  let q = db.selectFrom('report_categories').selectAll().where('municipality_id', '=', municipalityId);
  if (opts.activeOnly) q = q.where('active', '=', true);
  return q.orderBy('position').orderBy('id').execute();
}

export type ReportCategory = Awaited<ReturnType<typeof listCategories>>[number];

export async function findCategory(db: Trx, municipalityId: number, slug: string) {
  return db.selectFrom('report_categories').selectAll().where('municipality_id', '=', municipalityId).where('slug', '=', slug).executeTakeFirst();
}

export async function insertReport(trx: Trx, v: {
  municipality_id: number; number: number; category_id: number; department_id: number | null; title: string; description: string;
  at: LatLng; located: boolean; address: string | null; author_id: number | null; show_name: boolean; answers: Answers;
  source?: 'open311'; api_key_id?: number; contact?: Record<string, string> | null; open311_token?: string;
}) {
  const { at, answers, contact, ...rest } = v;
  return trx.insertInto('reports').values({
    ...rest, lat: at.lat, lng: at.lng, location: sql`point(${at.lng}::float8, ${at.lat}::float8)`, answers: JSON.stringify(answers),
    contact: contact ? JSON.stringify(contact) : null,
  }).returning(['id', 'number']).executeTakeFirstOrThrow();
}

export async function insertReportEvent(trx: Trx, e: {
  municipality_id: number; report_id: number; kind: string; actor_id: number | null;
  from_status?: ReportStatus | null; to_status?: ReportStatus | null; note?: string | null; public?: boolean;
}) {
  await trx.insertInto('report_events').values({ from_status: null, to_status: null, note: null, public: true, ...e }).execute();
}

/** A report with its category (names, questions) and the reporter's name where they chose to show it, or undefined. */
export async function findReport(db: Trx, municipalityId: number, number: number) {
  return db.selectFrom('reports as r').innerJoin('report_categories as c', 'c.id', 'r.category_id')
    .leftJoin('users as a', 'a.id', 'r.author_id')
    .select([...REPORT_COLUMNS, 'c.names as category_names', 'c.slug as category_slug', 'c.questions as category_questions',
      sql<string | null>`CASE WHEN r.show_name AND a.deleted_at IS NULL THEN a.full_name END`.as('public_name')])
    .where('r.municipality_id', '=', municipalityId).where('r.number', '=', number).executeTakeFirst();
}

export type ReportRow = NonNullable<Awaited<ReturnType<typeof findReport>>>;

/**
 * Open reports of a category within `meters` of a place, nearest first: the box narrows the search on
 * the GiST index, the exact distance then keeps the circle.
 */
export async function nearbyOpen(db: Trx, municipalityId: number, categoryId: number, at: LatLng, meters: number, limit = 5) {
  return db.selectFrom('reports as r')
    .select(['r.number', 'r.title', 'r.status', 'r.supporters', 'r.created_at', distanceTo(at).as('meters')])
    .where('r.municipality_id', '=', municipalityId).where('r.category_id', '=', categoryId).where('r.status', 'in', OPEN_STATUSES).where('r.located', '=', true)
    .where(inBox(boxAround(at, meters))).where(distanceTo(at), '<=', meters)
    .orderBy('meters').limit(limit).execute();
}

export interface ReportFilter {
  statuses?: ReportStatus[] | undefined;
  categoryId?: number | undefined;
  departmentId?: number | undefined;
  since?: Date | undefined;
  until?: Date | undefined;
  box?: Box | undefined;
  hasPhoto?: boolean | undefined;
  /** Placed reports inside one of the municipality's districts. */
  districtId?: number | undefined;
  limit: number;
  offset: number;
}

function filtered(db: Trx, municipalityId: number, f: Omit<ReportFilter, 'limit' | 'offset'>) {
  let q = db.selectFrom('reports as r').innerJoin('report_categories as c', 'c.id', 'r.category_id').where('r.municipality_id', '=', municipalityId);
  if (f.statuses?.length) q = q.where('r.status', 'in', f.statuses);
  if (f.categoryId) q = q.where('r.category_id', '=', f.categoryId);
  if (f.departmentId) q = q.where('r.department_id', '=', f.departmentId);
  if (f.since) q = q.where('r.created_at', '>=', f.since);
  if (f.until) q = q.where('r.created_at', '<', f.until);
  if (f.box) q = q.where(inBox(f.box)).where('r.located', '=', true);
  if (f.hasPhoto) q = q.where(({ exists, selectFrom }) => exists(selectFrom('report_photos as ph').select('ph.file_id').whereRef('ph.report_id', '=', 'r.id')));
  if (f.districtId) {
    q = q.where('r.located', '=', true).where(({ exists, selectFrom }) => exists(selectFrom('district_parts as dp').select('dp.id')
      .where('dp.district_id', '=', f.districtId!).where(sql<boolean>`dp.shape @> r.location`)));
  }
  return q;
}

/** A page of a municipality's reports, newest first, for the list and the map. */
export async function listReports(db: Trx, municipalityId: number, f: ReportFilter) {
  return filtered(db, municipalityId, f)
    .select(['r.number', 'r.title', 'r.status', 'r.lat', 'r.lng', 'r.located', 'r.address', 'r.supporters', 'r.created_at', 'r.department_id', 'c.names as category_names', 'c.slug as category_slug'])
    .orderBy('r.created_at', 'desc').orderBy('r.id', 'desc').limit(f.limit).offset(f.offset).execute();
}

export async function countReports(db: Trx, municipalityId: number, f: Omit<ReportFilter, 'limit' | 'offset'>): Promise<number> {
  const row = await filtered(db, municipalityId, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Adds a supporter once; returns whether this call added them (and counted them on the report). */
export async function addSupporter(trx: Trx, r: { municipality_id: number; id: number }, userId: number): Promise<boolean> {
  const added = await trx.insertInto('report_supporters').values({ municipality_id: r.municipality_id, report_id: r.id, user_id: userId })
    .onConflict((oc) => oc.columns(['municipality_id', 'report_id', 'user_id']).doNothing()).returning('user_id').executeTakeFirst();
  if (!added) return false;
  await trx.updateTable('reports').set((eb) => ({ supporters: eb('supporters', '+', 1) })).where('id', '=', r.id).execute();
  return true;
}

/** The public timeline of a report, oldest first, with who acted where the public may know it. */
export async function listPublicEvents(db: Trx, reportId: number) {
  return db.selectFrom('report_events').select(['id', 'kind', 'from_status', 'to_status', 'note', 'created_at'])
    .where('report_id', '=', reportId).where('public', '=', true).orderBy('id').execute();
}

export async function hasSupported(db: Trx, r: { municipality_id: number; id: number }, userId: number): Promise<boolean> {
  const row = await db.selectFrom('report_supporters').select('user_id')
    .where('municipality_id', '=', r.municipality_id).where('report_id', '=', r.id).where('user_id', '=', userId).executeTakeFirst();
  return row !== undefined;
}


/**
 * Moves a report on only if it is still in one of `from` (two officials at once, or a stale form, change
 * nothing the second time). Returns whether the row changed.
 */
export async function moveReport(trx: Trx, id: number, from: ReportStatus[], set: Updateable<ReportTable>): Promise<boolean> {
  const r = await trx.updateTable('reports').set({ ...set, updated_at: new Date() }).where('id', '=', id).where('status', 'in', from).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Who hears of a report's public changes: its reporter, everyone who said "me too", and its followers. */
export async function followers(db: Trx, r: { municipality_id: number; id: number; author_id: number | null }): Promise<number[]> {
  const rows = await db.selectFrom('report_supporters').select('user_id').where('municipality_id', '=', r.municipality_id).where('report_id', '=', r.id)
    .union(db.selectFrom('report_followers').select('user_id').where('municipality_id', '=', r.municipality_id).where('report_id', '=', r.id)).execute();
  return [...new Set([...(r.author_id ? [r.author_id] : []), ...rows.map((x) => x.user_id)])];
}

/** Every event of a report, internal notes included, with who acted: for staff. */
export async function listAllEvents(db: Trx, reportId: number) {
  return db.selectFrom('report_events as e').leftJoin('users as u', 'u.id', 'e.actor_id')
    .select(['e.id', 'e.kind', 'e.from_status', 'e.to_status', 'e.note', 'e.public', 'e.created_at', 'u.full_name as actor_name'])
    .where('e.report_id', '=', reportId).orderBy('e.id').execute();
}

/**
 * Open reports for staff, the most urgent deadline first: a new report is due to be acknowledged within
 * its category's hours, any other open one to be fixed within its category's days.
 */
export async function staffQueue(db: Trx, municipalityId: number, f: { departmentId?: number | undefined; limit: number }) {
  const due = sql<Date>`CASE WHEN r.status = 'new' THEN r.created_at + c.ack_hours * interval '1 hour' ELSE r.created_at + c.fix_days * interval '1 day' END`;
  let q = db.selectFrom('reports as r').innerJoin('report_categories as c', 'c.id', 'r.category_id')
    .leftJoin('departments as d', 'd.id', 'r.department_id')
    .select(['r.number', 'r.title', 'r.status', 'r.created_at', 'r.supporters', 'c.names as category_names', 'd.names as department_names', due.as('due_at')])
    .where('r.municipality_id', '=', municipalityId).where('r.status', 'in', OPEN_STATUSES);
  if (f.departmentId) q = q.where('r.department_id', '=', f.departmentId);
  return q.orderBy(due).orderBy('r.id').limit(f.limit).execute();
}

export interface CategoryValues {
  slug: string;
  names: Record<string, string>;
  department_id: number | null;
  ack_hours: number;
  fix_days: number;
}

/** Adds a category at the end of the list; undefined when the slug is taken in this municipality. */
export async function insertCategory(trx: Trx, municipalityId: number, v: CategoryValues): Promise<number | undefined> {
  const position = Number((await trx.selectFrom('report_categories').select((eb) => eb.fn.countAll<number>().as('n')).where('municipality_id', '=', municipalityId).executeTakeFirstOrThrow()).n);
  const row = await trx.insertInto('report_categories').values({ ...v, municipality_id: municipalityId, names: JSON.stringify(v.names), position })
    .onConflict((oc) => oc.columns(['municipality_id', 'slug']).doNothing()).returning('id').executeTakeFirst();
  return row?.id;
}

export async function updateCategory(trx: Trx, id: number, v: Omit<CategoryValues, 'slug'> & { active: boolean }) {
  await trx.updateTable('report_categories').set({ ...v, names: JSON.stringify(v.names) }).where('id', '=', id).execute();
}

/** Replaces a category's extra questions; answers already given stay on their reports. */
export async function setQuestions(trx: Trx, id: number, questions: ReportQuestion[]) {
  await trx.updateTable('report_categories').set({ questions: JSON.stringify(questions) }).where('id', '=', id).execute();
}

/** The photos of a report, oldest first: of the problem, then of the fix. */
/** Holds the report's row until the transaction ends, so two writers counting its photos take turns. */
export async function lockReport(trx: Trx, id: number): Promise<void> {
  await trx.selectFrom('reports').select('id').where('id', '=', id).forUpdate().execute();
}

export async function listPhotos(db: Trx, r: { municipality_id: number; id: number }) {
  return db.selectFrom('report_photos').select(['file_id', 'kind', 'created_at'])
    .where('municipality_id', '=', r.municipality_id).where('report_id', '=', r.id).orderBy('created_at').orderBy('file_id').execute();
}

export async function addPhoto(trx: Trx, r: { municipality_id: number; id: number }, fileId: string, kind: 'report' | 'fix', userId: number) {
  await trx.insertInto('report_photos').values({ municipality_id: r.municipality_id, report_id: r.id, file_id: fileId, kind, created_by: userId }).execute();
}

export async function listTemplates(db: Trx, municipalityId: number) {
  return db.selectFrom('report_templates').select(['id', 'title', 'body']).where('municipality_id', '=', municipalityId).orderBy('title').orderBy('id').execute();
}

export async function insertTemplate(trx: Trx, municipalityId: number, v: { title: string; body: string }, userId: number) {
  return trx.insertInto('report_templates').values({ municipality_id: municipalityId, ...v, created_by: userId }).returning('id').executeTakeFirstOrThrow();
}

/** Deletes a template of the municipality; returns whether there was one. */
export async function deleteTemplate(trx: Trx, municipalityId: number, id: number): Promise<boolean> {
  const r = await trx.deleteFrom('report_templates').where('municipality_id', '=', municipalityId).where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Number and last change of every report (all are public), for the sitemap. */
export async function reportsForSitemap(db: Trx, municipalityId: number) {
  return db.selectFrom('reports').select(['number', 'updated_at']).where('municipality_id', '=', municipalityId).orderBy('number').execute();
}
