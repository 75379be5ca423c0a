import { sql, type Transaction } from 'kysely';
import type { Database } from '../../../db/database.ts';
import type { DB, LocalizedText } from '../../../db/schema.ts';
import type { ImplementationStatus, Project } from '../pb.tables.ts';

type Db = Database | Transaction<DB>;

/** What the implementation pages, the accountability page and the open data show of a funded project. */
export interface FundedRow {
  id: number;
  number: number;
  title: string;
  cycle_id: number;
  cycle_number: number;
  category_id: number;
  category_slug: string;
  category_names: LocalizedText;
  impl_status: ImplementationStatus | null;
  progress: number;
  due_on: string | null;
  contracted: number | null;
  spent: number;
  cost_total: number;
  department_cost: number | null;
  lat: number | null;
  lng: number | null;
  updated_at: Date;
  overdue: boolean;
}

/** Statuses after which a project can no longer be late. */
export const FINISHED: ImplementationStatus[] = ['completed', 'cancelled'];

/**
 * The funded projects of a municipality (or of one cycle), late ones first, then by due date (none last), then by
 * number. Late: due before `today` (the municipality's date) and neither completed nor cancelled.
 */
export async function fundedProjects(db: Db, municipalityId: number, today: string, opts: { cycleId?: number } = {}): Promise<FundedRow[]> {
  const overdue = sql<boolean>`(p.due_on IS NOT NULL AND p.due_on < ${today}::date AND COALESCE(p.impl_status, 'planned') NOT IN ('completed', 'cancelled'))`;
  let q = db.selectFrom('pb_projects as p')
    .innerJoin('pb_cycles as c', 'c.id', 'p.cycle_id')
    .innerJoin('pb_categories as cat', 'cat.id', 'p.category_id')
    .select(['p.id', 'p.number', 'p.title', 'p.cycle_id', 'c.number as cycle_number', 'p.category_id', 'cat.slug as category_slug', 'cat.names as category_names',
      'p.impl_status', 'p.progress', 'p.due_on', 'p.contracted', 'p.spent', 'p.cost_total', 'p.department_cost', 'p.lat', 'p.lng', 'p.updated_at'])
    .select(overdue.as('overdue'))
    .where('p.municipality_id', '=', municipalityId).where('p.funded', '=', true);
  if (opts.cycleId !== undefined) q = q.where('p.cycle_id', '=', opts.cycleId);
  return q.orderBy(overdue, 'desc').orderBy(sql`p.due_on`, sql`asc nulls last`).orderBy('p.number').execute() as Promise<FundedRow[]>;
}

const PROJECT_COLUMNS = ['id', 'municipality_id', 'cycle_id', 'number', 'category_id', 'author_id', 'status', 'title', 'summary', 'description', 'beneficiaries',
  'lat', 'lng', 'address', 'district_id', 'cost_items', 'cost_total', 'department_cost', 'department_id', 'review_due_at', 'resubmit_by', 'decision_note',
  'submitted_at', 'decided_at', 'funded', 'impl_status', 'progress', 'contracted', 'spent', 'due_on', 'created_at', 'updated_at'] as const;

/** A project by its number in the municipality, funded or not (the service refuses the others). */
export async function projectByNumber(db: Db, municipalityId: number, number: number): Promise<Project | undefined> {
  return db.selectFrom('pb_projects').select(PROJECT_COLUMNS).where('municipality_id', '=', municipalityId).where('number', '=', number).executeTakeFirst();
}

/** Locks a funded project's row for the rest of the transaction; undefined when it is not (or no longer) funded. */
export async function lockFunded(trx: Transaction<DB>, projectId: number): Promise<Project | undefined> {
  return trx.selectFrom('pb_projects').select(PROJECT_COLUMNS).where('id', '=', projectId).where('funded', '=', true).forUpdate().executeTakeFirst();
}

/** The implementation fields of a project, as one form sets them. */
export interface ImplementationValues { impl_status: ImplementationStatus; progress: number; due_on: string | null; contracted: number | null; spent: number }

// A row's version: its updated_at in microseconds, exact (a JavaScript Date keeps milliseconds only).
const VERSION = sql<string>`(extract(epoch from updated_at) * 1000000)::bigint::text`;
// Every write moves updated_at on, even two within one microsecond, so a version never comes back.
const TOUCH = sql<Date>`greatest(now(), updated_at + interval '1 microsecond')`;

/** The version of a project's implementation a form is based on. */
export async function implementationVersion(db: Db, projectId: number): Promise<string> {
  return (await db.selectFrom('pb_projects').select(VERSION.as('v')).where('id', '=', projectId).executeTakeFirstOrThrow()).v;
}

/**
 * Sets the implementation of a funded project, only if it has not changed since `version` (implementationVersion, as
 * the form saw it): two officials saving at once change it once, and the second is told that it changed meanwhile.
 */
export async function setImplementation(trx: Transaction<DB>, projectId: number, version: string, v: ImplementationValues): Promise<boolean> {
  const r = await trx.updateTable('pb_projects').set({ ...v, updated_at: TOUCH })
    .where('id', '=', projectId).where('funded', '=', true).where(VERSION, '=', version)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Sets a funded project's progress (an update that reports it). */
export async function setProgress(trx: Transaction<DB>, projectId: number, progress: number): Promise<void> {
  await trx.updateTable('pb_projects').set({ progress, updated_at: TOUCH }).where('id', '=', projectId).execute();
}

export interface MilestoneRow { id: number; title: string; due_on: string; done_on: string | null }

/** A project's milestones by due date. */
export async function listMilestones(db: Db, projectId: number): Promise<MilestoneRow[]> {
  return db.selectFrom('pb_milestones').select(['id', 'title', 'due_on', 'done_on']).where('project_id', '=', projectId).orderBy('due_on').orderBy('id').execute();
}

/** One milestone of the project, or undefined (an id of another project finds nothing). */
export async function findMilestone(db: Db, projectId: number, id: number): Promise<MilestoneRow | undefined> {
  return db.selectFrom('pb_milestones').select(['id', 'title', 'due_on', 'done_on']).where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst();
}

export type MilestoneValues = Omit<MilestoneRow, 'id'>;

export async function insertMilestone(trx: Transaction<DB>, municipalityId: number, projectId: number, v: MilestoneValues): Promise<number> {
  const r = await trx.insertInto('pb_milestones').values({ municipality_id: municipalityId, project_id: projectId, ...v }).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

/** Changes a milestone of the project; false when it is gone. */
export async function updateMilestone(trx: Transaction<DB>, projectId: number, id: number, v: MilestoneValues): Promise<boolean> {
  const r = await trx.updateTable('pb_milestones').set(v).where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Deletes a milestone of the project; false when it was gone already. */
export async function deleteMilestone(trx: Transaction<DB>, projectId: number, id: number): Promise<boolean> {
  const r = await trx.deleteFrom('pb_milestones').where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

export interface UpdateRow { id: number; body: string; progress: number | null; created_at: Date; photos: { file_id: string; caption: string }[] }

/** A project's implementation updates, newest first, each with its photos in the order added. */
export async function listUpdates(db: Db, projectId: number): Promise<UpdateRow[]> {
  const [updates, photos] = await Promise.all([
    db.selectFrom('pb_updates').select(['id', 'body', 'progress', 'created_at']).where('project_id', '=', projectId).orderBy('id', 'desc').execute(),
    db.selectFrom('pb_project_files').select(['update_id', 'file_id', 'caption']).where('project_id', '=', projectId)
      .where('stage', '=', 'implementation').where('kind', '=', 'photo').orderBy('id').execute(),
  ]);
  return updates.map((u) => ({ ...u, photos: photos.filter((p) => p.update_id === u.id).map((p) => ({ file_id: p.file_id, caption: p.caption })) }));
}

/** One update of the project, or undefined. */
export async function findUpdate(db: Db, projectId: number, id: number) {
  return db.selectFrom('pb_updates').select(['id', 'body', 'progress', 'created_at']).where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst();
}

export async function insertUpdate(trx: Transaction<DB>, municipalityId: number, projectId: number, v: { body: string; progress: number | null; authorId: number }): Promise<number> {
  const r = await trx.insertInto('pb_updates').values({ municipality_id: municipalityId, project_id: projectId, body: v.body, progress: v.progress, author_id: v.authorId })
    .returning('id').executeTakeFirstOrThrow();
  return r.id;
}

/** Photos an update has. */
export async function countUpdatePhotos(db: Db, updateId: number): Promise<number> {
  const r = await db.selectFrom('pb_project_files').select((eb) => eb.fn.countAll<number>().as('n')).where('update_id', '=', updateId).where('stage', '=', 'implementation').executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function insertUpdatePhoto(trx: Transaction<DB>, municipalityId: number, projectId: number, updateId: number, fileId: string, caption: string): Promise<void> {
  await trx.insertInto('pb_project_files').values({ municipality_id: municipalityId, project_id: projectId, file_id: fileId, kind: 'photo', stage: 'implementation', update_id: updateId, caption }).execute();
}
