import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import type { Category, Cycle } from './pb.tables.ts';

type Db = Database | Transaction<DB>;

/** A cycle by its number in the municipality, whatever its status (callers decide who may see a draft). */
export async function findCycle(db: Db, municipalityId: number, number: number): Promise<Cycle | undefined> {
  return db.selectFrom('pb_cycles').selectAll().where('municipality_id', '=', municipalityId).where('number', '=', number).executeTakeFirst();
}

/** A cycle by id, only within the municipality (an id from another municipality finds nothing). */
export async function findCycleById(db: Db, municipalityId: number, id: number): Promise<Cycle | undefined> {
  return db.selectFrom('pb_cycles').selectAll().where('municipality_id', '=', municipalityId).where('id', '=', id).executeTakeFirst();
}

/** The municipality's cycles, newest year first; drafts only when asked for (staff). */
export async function listCycles(db: Db, municipalityId: number, opts: { drafts?: boolean } = {}): Promise<Cycle[]> {
  let q = db.selectFrom('pb_cycles').selectAll().where('municipality_id', '=', municipalityId);
  if (!opts.drafts) q = q.where('status', '=', 'published');
  return q.orderBy('year', 'desc').orderBy('number', 'desc').execute();
}

/** A cycle's categories in their order. */
export async function cycleCategories(db: Db, cycleId: number): Promise<Category[]> {
  return db.selectFrom('pb_categories').selectAll().where('cycle_id', '=', cycleId).orderBy('position').orderBy('id').execute();
}
