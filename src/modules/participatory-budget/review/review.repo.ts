import type { Transaction } from 'kysely';
import type { Database } from '../../../db/database.ts';
import type { DB } from '../../../db/schema.ts';
import type { Project, ProjectStatus } from '../pb.tables.ts';

type Db = Database | Transaction<DB>;

const PROJECT_COLUMNS = ['id', 'municipality_id', 'cycle_id', 'number', 'category_id', 'author_id', 'status', 'title', 'summary', 'description', 'beneficiaries',
  'lat', 'lng', 'address', 'district_id', 'cost_items', 'cost_total', 'department_cost', 'department_id', 'review_due_at', 'resubmit_by', 'decision_note',
  'submitted_at', 'decided_at', 'funded', 'impl_status', 'progress', 'contracted', 'spent', 'due_on', 'created_at', 'updated_at'] as const;

/** A project by its number in the municipality (any status: the review page says what state it is in). */
export async function findProject(db: Db, municipalityId: number, number: number, opts: { lock?: boolean } = {}): Promise<Project | undefined> {
  let q = db.selectFrom('pb_projects').select(PROJECT_COLUMNS).where('municipality_id', '=', municipalityId).where('number', '=', number);
  if (opts.lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** Submitted projects waiting for review, nearest deadline first; optionally of one cycle or one responsible department. */
export async function reviewQueue(db: Db, municipalityId: number, f: { cycleId?: number | undefined; departmentId?: number | undefined; limit: number }) {
  let q = db.selectFrom('pb_projects as p')
    .innerJoin('pb_cycles as c', 'c.id', 'p.cycle_id')
    .innerJoin('pb_categories as k', 'k.id', 'p.category_id')
    .leftJoin('departments as d', 'd.id', 'p.department_id')
    .select(['p.number', 'p.title', 'p.submitted_at', 'p.review_due_at', 'p.cost_total', 'p.department_cost', 'c.number as cycle_number', 'c.currency',
      'k.names as category_names', 'd.names as department_names'])
    .where('p.municipality_id', '=', municipalityId).where('p.status', '=', 'submitted');
  if (f.cycleId !== undefined) q = q.where('p.cycle_id', '=', f.cycleId);
  if (f.departmentId !== undefined) q = q.where('p.department_id', '=', f.departmentId);
  // Ascending puts projects without a deadline (none should be) last.
  return q.orderBy('p.review_due_at').orderBy('p.number').limit(f.limit).execute();
}

export type ReviewSet = Partial<Pick<Project, 'status' | 'department_cost' | 'department_id' | 'decision_note' | 'resubmit_by' | 'decided_at'>> & { status?: ProjectStatus };

/**
 * Writes a review step only if the project is still the submission the official's form was drawn for: status
 * `submitted` and submitted at `version` (epoch milliseconds, within the millisecond the database keeps finer).
 * A second decision, or a form left open while the project was returned and resubmitted, changes nothing.
 */
export async function reviewProject(trx: Transaction<DB>, id: number, version: number, set: ReviewSet, now: Date): Promise<boolean> {
  const r = await trx.updateTable('pb_projects').set({ ...set, updated_at: now })
    .where('id', '=', id).where('status', '=', 'submitted')
    .where('submitted_at', '>', new Date(version - 1)).where('submitted_at', '<', new Date(version + 1))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Whether the department is one of the municipality's. */
export async function isDepartmentOf(db: Db, municipalityId: number, id: number): Promise<boolean> {
  return (await db.selectFrom('departments').select('id').where('municipality_id', '=', municipalityId).where('id', '=', id).executeTakeFirst()) !== undefined;
}

/** A category's cost limits and names. */
export async function categoryOf(db: Db, id: number) {
  return db.selectFrom('pb_categories').select(['id', 'slug', 'names', 'min_cost', 'max_cost']).where('id', '=', id).executeTakeFirstOrThrow();
}
