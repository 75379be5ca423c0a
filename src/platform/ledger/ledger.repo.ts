import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { PublishedEntry } from './ledger.ts';

/** One stored entry as published: everything needed to recompute its hash, plus when it was written. */
export interface LedgerRow extends PublishedEntry {
  createdAt: Date;
}

/** Serialises appends to one chain until the caller's transaction ends (commit or rollback). */
export async function lockChain(trx: Database, municipalityId: number, chain: string): Promise<void> {
  // The 'ledger:' prefix keeps these keys apart from other users of hashtext-based advisory locks;
  // a collision between two chains would only make them wait for each other, never break a chain.
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`ledger:${municipalityId}:${chain}`}))`.execute(trx);
}

/** The last entry of a chain (seq and hash), or undefined for a chain not yet started. */
export async function chainHead(db: Database, municipalityId: number, chain: string): Promise<{ seq: number; hash: string } | undefined> {
  const row = await db.selectFrom('ledger_entries').select(['seq', 'hash'])
    .where('municipality_id', '=', municipalityId).where('chain', '=', chain)
    .orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return row ? { seq: Number(row.seq), hash: row.hash } : undefined;
}

/**
 * Inserts entries already hashed by the caller: one array per column, so a sealed batch of thousands is one
 * small statement (a multi-row VALUES would bind seven parameters per entry and take long to build).
 */
export async function insertEntries(db: Database, municipalityId: number, rows: (PublishedEntry & { leaf: Buffer })[]): Promise<void> {
  if (rows.length === 0) return;
  const col = (f: (r: PublishedEntry & { leaf: Buffer }) => string | number) => sql.val(rows.map(f));
  await sql`INSERT INTO ledger_entries (municipality_id, chain, seq, kind, payload, prev_hash, hash, leaf)
    SELECT ${municipalityId}::int, v.chain, v.seq, v.kind, v.payload::jsonb, v.prev_hash, v.hash, decode(v.leaf, 'hex')
    FROM unnest(${col((r) => r.chain)}::text[], ${col((r) => r.seq)}::bigint[], ${col((r) => r.kind)}::text[],
      ${col((r) => JSON.stringify(r.payload))}::text[], ${col((r) => r.prev)}::text[], ${col((r) => r.hash)}::text[],
      ${col((r) => r.leaf.toString('hex'))}::text[])
      AS v(chain, seq, kind, payload, prev_hash, hash, leaf)`.execute(db);
}

/** A page of a chain in order, starting after `afterSeq`. */
export async function selectEntries(db: Database, municipalityId: number, chain: string, afterSeq: number, limit: number): Promise<LedgerRow[]> {
  const rows = await db.selectFrom('ledger_entries')
    .select(['chain', 'seq', 'kind', 'payload', 'prev_hash', 'hash', 'created_at'])
    .where('municipality_id', '=', municipalityId).where('chain', '=', chain).where('seq', '>', afterSeq)
    .orderBy('seq').limit(limit).execute();
  return rows.map((r) => ({
    chain: r.chain,
    seq: Number(r.seq),
    kind: r.kind,
    payload: r.payload,
    prev: r.prev_hash,
    hash: r.hash,
    createdAt: r.created_at,
  }));
}

/** The first entry of a chain with this kind and exactly this payload (canonical JSON), or null. */
export async function findPromised(db: Database, municipalityId: number, chain: string, kind: string, payload: string): Promise<number | null> {
  const row = await db.selectFrom('ledger_entries').select('seq')
    .where('municipality_id', '=', municipalityId).where('chain', '=', chain).where('kind', '=', kind)
    .where('payload', '=', sql<never>`${payload}::jsonb`).orderBy('seq').limit(1).executeTakeFirst();
  return row ? Number(row.seq) : null;
}
