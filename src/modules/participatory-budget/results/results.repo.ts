import { sql, type Transaction } from 'kysely';
import type { Database } from '../../../db/database.ts';
import type { DB } from '../../../db/schema.ts';
import type { CountedBallot } from './compute.ts';

type Db = Database | Transaction<DB>;

/** Every voter's current ballot of a cycle (one row per voter holds the latest choices and version). */
export async function countedBallots(db: Db, cycleId: number): Promise<CountedBallot[]> {
  return db.selectFrom('pb_ballots').select(['voter', 'version', 'choices']).where('cycle_id', '=', cycleId).execute();
}

/** Voters by channel, and the ballot entries the ledger must hold for them (one per version). */
export async function ballotTotals(db: Db, cycleId: number) {
  const rows = await db.selectFrom('pb_ballots').select((eb) => ['channel', eb.fn.countAll<string>().as('voters'), eb.fn.sum<string>('version').as('versions')])
    .where('cycle_id', '=', cycleId).groupBy('channel').execute();
  const of = (c: string) => rows.find((r) => r.channel === c);
  const online = Number(of('online')?.voters ?? 0);
  const paper = Number(of('paper')?.voters ?? 0);
  return { voters: online + paper, online, paper, versions: rows.reduce((s, r) => s + Number(r.versions ?? 0), 0) };
}

/** A chain's entries of one kind, counted. */
export async function countEntries(db: Db, municipalityId: number, chain: string, kind: string): Promise<number> {
  const row = await db.selectFrom('ledger_entries').select((eb) => eb.fn.countAll<string>().as('n'))
    .where('municipality_id', '=', municipalityId).where('chain', '=', chain).where('kind', '=', kind).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A chain's first entry's kind and payload (the cycle entry), if the chain has begun. */
export async function firstEntry(db: Db, municipalityId: number, chain: string) {
  return db.selectFrom('ledger_entries').select(['kind', 'payload'])
    .where('municipality_id', '=', municipalityId).where('chain', '=', chain).where('seq', '=', 1).executeTakeFirst();
}

/** Marks the results published, only if they were not: false when another publication came first. */
export async function claimPublication(trx: Transaction<DB>, cycleId: number, at: Date): Promise<boolean> {
  const r = await trx.updateTable('pb_cycles').set({ results_published_at: at, updated_at: at })
    .where('id', '=', cycleId).where('results_published_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The cycle's admitted projects by number: id, title and authorship for the writes and notices of publication. */
export async function cycleProjects(db: Db, cycleId: number) {
  return db.selectFrom('pb_projects').select(['id', 'number', 'title']).where('cycle_id', '=', cycleId).where('status', '=', 'admitted').orderBy('number').execute();
}

/** Stores a cycle's results: one row per project, and each project's funded flag. */
export async function saveResults(trx: Transaction<DB>, m: number, cycleId: number, rows: { projectId: number; votes: number; rank: number; funded: boolean }[]): Promise<void> {
  if (rows.length === 0) return;
  await trx.insertInto('pb_results').values(rows.map((r) => ({ municipality_id: m, cycle_id: cycleId, project_id: r.projectId, votes: r.votes, rank: r.rank, funded: r.funded }))).execute();
  for (const funded of [true, false]) {
    const ids = rows.filter((r) => r.funded === funded).map((r) => r.projectId);
    if (ids.length) await trx.updateTable('pb_projects').set({ funded, updated_at: sql<Date>`now()` }).where('id', 'in', ids).execute();
  }
}

/** A cycle's published results with what the page shows of each project, by category position and rank. */
export async function publishedResults(db: Db, cycleId: number) {
  return db.selectFrom('pb_results as r').innerJoin('pb_projects as p', 'p.id', 'r.project_id').innerJoin('pb_categories as c', 'c.id', 'p.category_id')
    .select(['r.votes', 'r.rank', 'r.funded', 'p.number', 'p.title', 'p.cost_total', 'p.department_cost', 'p.category_id'])
    .where('r.cycle_id', '=', cycleId).orderBy('c.position').orderBy('c.id').orderBy('r.rank').execute();
}

/** One project's published result, if there is one. */
export async function projectResult(db: Db, projectId: number) {
  return db.selectFrom('pb_results').select(['votes', 'rank', 'funded']).where('project_id', '=', projectId).executeTakeFirst();
}
