import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { prepared } from '../../db/prepared.ts';

/** An entry to append, as stored: its payload already canonical JSON. */
export interface QueueRow { municipalityId: number; chain: string; kind: string; payload: string; ref: string | null }

/** One column of rows as an array parameter, for `unnest`. */
const column = <R, V>(rows: R[], f: (r: R) => V) => sql.val(rows.map(f));

/** Queues entries in one statement (ids, and so their order in the chain, in the order given). */
export async function insertQueued(db: Database, rows: QueueRow[]): Promise<void> {
  if (rows.length === 0) return;
  await sql`INSERT INTO ledger_queue (municipality_id, chain, kind, payload, ref)
    SELECT v.municipality_id, v.chain, v.kind, v.payload, v.ref
    FROM unnest(${column(rows, (r) => r.municipalityId)}::int[], ${column(rows, (r) => r.chain)}::text[], ${column(rows, (r) => r.kind)}::text[],
      ${column(rows, (r) => r.payload)}::text[], ${column(rows, (r) => r.ref)}::text[]) WITH ORDINALITY AS v(municipality_id, chain, kind, payload, ref, ord)
    ORDER BY v.ord ${prepared}`.execute(db);
}

/** Chains (of names starting `<prefix>:`) with entries waiting, at most `limit`. */
export async function chainsWithQueued(db: Database, prefix: string, limit: number): Promise<{ municipalityId: number; chain: string }[]> {
  const { rows } = await sql<{ municipality_id: number; chain: string }>`
    SELECT DISTINCT municipality_id, chain FROM ledger_queue WHERE chain LIKE ${`${prefix}:%`} LIMIT ${limit}`.execute(db);
  return rows.map((r) => ({ municipalityId: r.municipality_id, chain: r.chain }));
}

/**
 * Takes the oldest waiting entries of a chain off the queue, in id order. The caller holds the chain's lock, so
 * no other sealer takes the same ones; its transaction seals them or puts them back. A range up to the limit-th
 * oldest id (the queue's statistics are always stale, as with petitions' signatures); an entry committed
 * meanwhile with a lower id waits for the next batch.
 */
export async function takeQueued(trx: Database, municipalityId: number, chain: string, limit: number) {
  const { rows } = await sql<{ id: number; kind: string; payload: string; ref: string | null }>`
    DELETE FROM ledger_queue WHERE municipality_id = ${municipalityId} AND chain = ${chain}
      AND id <= (SELECT max(id) FROM (SELECT id FROM ledger_queue WHERE municipality_id = ${municipalityId} AND chain = ${chain} ORDER BY id LIMIT ${limit}) AS next)
    RETURNING id, kind, payload, ref`.execute(trx);
  return rows.map((r) => ({ ...r, id: Number(r.id) })).sort((a, b) => a.id - b.id);
}

/** Records where the referenced entries landed. */
export async function insertRefs(trx: Database, municipalityId: number, chain: string, refs: { ref: string; seq: number }[]): Promise<void> {
  if (refs.length === 0) return;
  await sql`INSERT INTO ledger_refs (municipality_id, chain, ref, seq)
    SELECT ${municipalityId}::int, ${chain}::text, v.ref, v.seq FROM unnest(${column(refs, (r) => r.ref)}::text[], ${column(refs, (r) => r.seq)}::bigint[]) AS v(ref, seq)`.execute(trx);
}

/** The seq of a referenced entry once sealed, or null while it waits. */
export async function refSeq(db: Database, municipalityId: number, chain: string, ref: string): Promise<number | null> {
  const row = await db.selectFrom('ledger_refs').select('seq')
    .where('municipality_id', '=', municipalityId).where('chain', '=', chain).where('ref', '=', ref).executeTakeFirst();
  return row ? Number(row.seq) : null;
}

/** How many entries of a chain wait to be sealed. */
export async function countQueued(db: Database, municipalityId: number, chain: string): Promise<number> {
  const row = await db.selectFrom('ledger_queue').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('municipality_id', '=', municipalityId).where('chain', '=', chain).executeTakeFirst();
  return Number(row?.n ?? 0);
}
