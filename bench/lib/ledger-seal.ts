// The server-side half of bench/ledger-proofs.ts: entries shaped as the petition sealing makes them, a chain
// seeded through appendToLedger (so its tree, leaves and checkpoints are the real stored layout), and the
// sealing cost: appendToLedger (chain + tree + checkpoint) against the chain alone as it was written before
// the tree (lock, head, hashing, insertEntries), batch by batch in alternating order.
import { sql } from 'kysely';
import type { Database } from '../../src/db/database.ts';
import { GENESIS_HASH, appendToLedger, entryHash, entryLeaf, pseudonym, type NewLedgerEntry, type PublishedEntry } from '../../src/platform/ledger/ledger.ts';
import { chainHead, insertEntries, lockChain } from '../../src/platform/ledger/ledger.repo.ts';

const SECRET = 'bench-ledger-pseudonyms';
const T0 = Date.parse('2025-03-01T08:00:00Z');

/** `count` signature entries from user `from + 1` on: the payload sealBatch writes (pseudonym, UTC second). */
export function signatureEntries(chain: string, from: number, count: number): NewLedgerEntry[] {
  return Array.from({ length: count }, (_, i) => ({
    kind: 'signature',
    payload: { signer: pseudonym(SECRET, chain, from + i + 1), at: new Date(T0 + (from + i) * 250).toISOString().replace(/\.\d{3}Z$/, 'Z') },
  }));
}

/** Appends `n` entries to a chain in batches of `batch`; returns the sizes that have a checkpoint. */
export async function seedChain(db: Database, municipalityId: number, chain: string, n: number, batch: number, say: (s: string) => void): Promise<number[]> {
  const sizes: number[] = [];
  const started = performance.now();
  for (let done = 0; done < n; done += batch) {
    const count = Math.min(batch, n - done);
    await appendToLedger(db, { municipalityId, chain, entries: signatureEntries(chain, done, count) });
    sizes.push(done + count);
    if (sizes.length % 20 === 0) say(`seeded ${done + count} entries (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
  // What autovacuum does after such a load: statistics and the visibility map (index-only reads).
  await sql`VACUUM (ANALYZE) ledger_entries`.execute(db);
  await sql`VACUUM (ANALYZE) ledger_nodes`.execute(db);
  await sql`VACUUM (ANALYZE) ledger_checkpoints`.execute(db);
  return sizes;
}

/** The rows the chain alone stores for these entries (hash and leaf), as appendToLedger would make them. */
function chainRows(chain: string, start: { seq: number; hash: string }, entries: NewLedgerEntry[]) {
  let prev = start.hash;
  return entries.map((e, i) => {
    const entry = { chain, seq: start.seq + i + 1, kind: e.kind, payload: e.payload, prev };
    prev = entryHash(entry);
    return { ...entry, hash: prev, leaf: entryLeaf(entry) };
  });
}

/** The append as it was before the tree: under the chain lock, the head, each entry hashed, one INSERT. */
async function chainOnly(db: Database, municipalityId: number, chain: string, rows: (PublishedEntry & { leaf: Buffer })[]) {
  await db.transaction().execute(async (trx) => {
    await lockChain(trx, municipalityId, chain);
    const head = await chainHead(trx, municipalityId, chain);
    let prev = head?.hash ?? GENESIS_HASH;
    for (const [i, r] of rows.entries()) {
      const hash = entryHash({ chain, seq: r.seq, kind: r.kind, payload: r.payload, prev });
      if (hash !== r.hash || r.seq !== (head?.seq ?? 0) + i + 1) throw new Error('baseline rows out of step');
      prev = hash;
    }
    await insertEntries(trx, municipalityId, rows);
  });
}

export interface SealCost { batches: number; batch: number; append: { rate: number; ms: number[] }; chainOnly: { rate: number; ms: number[] } }

/**
 * `batches` batches of `batch` entries: each appended to chain `chain` of municipality A with appendToLedger and,
 * as the baseline, the same rows (same chain name, seqs and hashes) to municipality B's chain alone; who goes
 * first alternates. The first pair warms up and is not counted.
 */
export async function sealCost(db: Database, a: number, b: number, chain: string, batches: number, batch: number): Promise<SealCost> {
  const append: number[] = [];
  const alone: number[] = [];
  let head = { seq: 0, hash: GENESIS_HASH };
  for (let i = 0; i <= batches; i++) {
    const entries = signatureEntries(chain, head.seq, batch);
    const rows = chainRows(chain, head, entries);
    const runA = async () => {
      const t = performance.now();
      const out = await appendToLedger(db, { municipalityId: a, chain, entries });
      if (out.at(-1)!.hash !== rows.at(-1)!.hash) throw new Error('appendToLedger and the baseline disagree');
      return performance.now() - t;
    };
    const runB = async () => {
      const t = performance.now();
      await chainOnly(db, b, chain, rows);
      return performance.now() - t;
    };
    let ta: number;
    let tb: number;
    if (i % 2 === 0) {
      ta = await runA();
      tb = await runB();
    } else {
      tb = await runB();
      ta = await runA();
    }
    if (i > 0) {
      append.push(ta);
      alone.push(tb);
    }
    head = { seq: rows.at(-1)!.seq, hash: rows.at(-1)!.hash };
  }
  const rate = (ms: number[]) => (ms.length * batch) / (ms.reduce((s, x) => s + x, 0) / 1000);
  return { batches, batch, append: { rate: rate(append), ms: append }, chainOnly: { rate: rate(alone), ms: alone } };
}

/** What the planner's statistics miss of the ledger tables: rows changed since each was last analyzed. */
export async function sinceAnalyze(db: Database): Promise<string> {
  const { rows } = await sql<{ relname: string; n: number; last: Date | null }>`
    SELECT relname, n_mod_since_analyze AS n, greatest(last_analyze, last_autoanalyze) AS last FROM pg_stat_user_tables
    WHERE relname IN ('ledger_entries', 'ledger_nodes') ORDER BY relname`.execute(db);
  return rows.map((r) => `${r.relname}: ${r.n} rows changed since ${r.last ? new Date(r.last).toISOString().slice(11, 19) : 'never'}`).join(', ') || 'no statistics';
}
