import type { Transaction } from 'kysely';
import type { Database } from '../../../db/database.ts';
import type { DB, LocalizedText } from '../../../db/schema.ts';
import type { Category, Cycle } from '../pb.tables.ts';
import type { CycleInput } from './cycle.input.ts';

type Db = Database | Transaction<DB>;

/** A new draft cycle with the next number of the municipality (the caller took it with nextNumber). */
export async function insertCycle(trx: Transaction<DB>, municipalityId: number, number: number, input: CycleInput): Promise<Cycle> {
  return trx.insertInto('pb_cycles').values({ municipality_id: municipalityId, number, status: 'draft', ...input }).returningAll().executeTakeFirstOrThrow();
}

/** The cycle by number, its row held until the transaction ends: writes to one cycle and its categories go one at a time. */
export async function lockCycle(trx: Transaction<DB>, municipalityId: number, number: number): Promise<Cycle | undefined> {
  return trx.selectFrom('pb_cycles').selectAll().where('municipality_id', '=', municipalityId).where('number', '=', number).forUpdate().executeTakeFirst();
}

export async function updateCycleColumns(trx: Transaction<DB>, id: number, set: Partial<CycleInput>, now: Date): Promise<void> {
  await trx.updateTable('pb_cycles').set({ ...set, updated_at: now }).where('id', '=', id).execute();
}

/** Publishes a draft that has a category; false when it is no draft any more or has none. */
export async function publishDraft(trx: Transaction<DB>, id: number, now: Date): Promise<boolean> {
  const r = await trx.updateTable('pb_cycles').set({ status: 'published', published_at: now, updated_at: now })
    .where('id', '=', id).where('status', '=', 'draft')
    .where((eb) => eb.exists(eb.selectFrom('pb_categories').select('id').where('cycle_id', '=', id)))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** When the cycle's first ballot was cast (its rules froze then), or null while there is none. */
export async function firstBallotAt(db: Db, cycleId: number): Promise<Date | null> {
  const r = await db.selectFrom('pb_ballots').select((eb) => eb.fn.min('cast_at').as('at')).where('cycle_id', '=', cycleId).executeTakeFirst();
  return r?.at ? new Date(r.at) : null;
}

/** The sum of the cycle's category amounts, leaving one category out (the one being edited). */
export async function categoriesTotal(db: Db, cycleId: number, exceptId: number | null = null): Promise<number> {
  let q = db.selectFrom('pb_categories').select((eb) => eb.fn.sum<string | number>('amount').as('sum')).where('cycle_id', '=', cycleId);
  if (exceptId !== null) q = q.where('id', '<>', exceptId);
  return Number((await q.executeTakeFirst())?.sum ?? 0);
}

export interface CategoryValues { names: LocalizedText; district_id: number | null; amount: number; min_cost: number; max_cost: number }

/** Adds a category at the end of the cycle's list; undefined when the slug is taken in the cycle. */
export async function insertCategory(trx: Transaction<DB>, cycle: Pick<Cycle, 'id' | 'municipality_id'>, slug: string, v: CategoryValues): Promise<number | undefined> {
  const last = await trx.selectFrom('pb_categories').select((eb) => eb.fn.max('position').as('p')).where('cycle_id', '=', cycle.id).executeTakeFirst();
  const row = await trx.insertInto('pb_categories').values({
    municipality_id: cycle.municipality_id, cycle_id: cycle.id, slug, ...v, names: JSON.stringify(v.names), position: Number(last?.p ?? -1) + 1,
  }).onConflict((oc) => oc.columns(['cycle_id', 'slug']).doNothing()).returning('id').executeTakeFirst();
  return row?.id;
}

export async function findCategory(db: Db, cycleId: number, slug: string): Promise<Category | undefined> {
  return db.selectFrom('pb_categories').selectAll().where('cycle_id', '=', cycleId).where('slug', '=', slug).executeTakeFirst();
}

export async function updateCategoryRow(trx: Transaction<DB>, id: number, v: CategoryValues): Promise<void> {
  await trx.updateTable('pb_categories').set({ ...v, names: JSON.stringify(v.names) }).where('id', '=', id).execute();
}

/** Whether any project (a draft too) is in the category: then it cannot be deleted. */
export async function categoryInUse(db: Db, categoryId: number): Promise<boolean> {
  return (await db.selectFrom('pb_projects').select('id').where('category_id', '=', categoryId).limit(1).executeTakeFirst()) !== undefined;
}

export async function deleteCategoryRow(trx: Transaction<DB>, id: number): Promise<void> {
  await trx.deleteFrom('pb_categories').where('id', '=', id).execute();
}

/** The cycle's rules documents, oldest first, with their files' names and sizes. */
export async function cycleDocuments(db: Db, cycleId: number) {
  return db.selectFrom('pb_cycle_documents as d').innerJoin('files as f', 'f.id', 'd.file_id')
    .select(['d.id', 'd.file_id', 'd.title', 'd.created_at', 'f.original_name', 'f.size'])
    .where('d.cycle_id', '=', cycleId).orderBy('d.id').execute();
}

export async function insertDocument(trx: Transaction<DB>, cycle: Pick<Cycle, 'id' | 'municipality_id'>, fileId: string, title: string): Promise<number> {
  const row = await trx.insertInto('pb_cycle_documents').values({ municipality_id: cycle.municipality_id, cycle_id: cycle.id, file_id: fileId, title })
    .returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Removes a document of the cycle; its file's id, or undefined when the cycle has no such document. */
export async function deleteDocumentRow(trx: Transaction<DB>, cycleId: number, id: number): Promise<{ file_id: string; title: string } | undefined> {
  return trx.deleteFrom('pb_cycle_documents').where('cycle_id', '=', cycleId).where('id', '=', id).returning(['file_id', 'title']).executeTakeFirst();
}

/** Per cycle of the municipality: how many projects wait for review, and how many of them are overdue. */
export async function reviewCounts(db: Db, municipalityId: number, now: Date): Promise<Map<number, { waiting: number; overdue: number }>> {
  const rows = await db.selectFrom('pb_projects').select(['cycle_id', (eb) => eb.fn.countAll<number>().as('waiting'),
    (eb) => eb.fn.sum<number>(eb.case().when('review_due_at', '<', now).then(1).else(0).end()).as('overdue')])
    .where('municipality_id', '=', municipalityId).where('status', '=', 'submitted').groupBy('cycle_id').execute();
  return new Map(rows.map((r) => [r.cycle_id, { waiting: Number(r.waiting), overdue: Number(r.overdue ?? 0) }]));
}

/** The categories of several cycles at once (the index of cycles), in their order. */
export async function categoriesOfCycles(db: Db, cycleIds: number[]): Promise<Category[]> {
  if (cycleIds.length === 0) return [];
  return db.selectFrom('pb_categories').selectAll().where('cycle_id', 'in', cycleIds).orderBy('cycle_id').orderBy('position').orderBy('id').execute();
}
