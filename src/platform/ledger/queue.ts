import type { Database } from '../../db/database.ts';
import type { PeriodicTask } from '../module.ts';
import { breatheEvery } from '../time/breathe.ts';
import { appendToLedger, canonicalJson, type NewLedgerEntry } from './ledger.ts';
import { chainHead, lockChain } from './ledger.repo.ts';
import { chainsWithQueued, countQueued, insertQueued, insertRefs, refSeq, takeQueued } from './queue.repo.ts';

/**
 * Acts that must be one cheap write (a ballot) are recorded with the entry to append for them, in the act's own
 * transaction, and sealed into their chain about a second later (docs/LEDGER.md "How the platform writes"): the
 * act and its entry are durable together, and appending (the chain's lock, the tree, a signed checkpoint) is paid
 * once per batch instead of once per act. A module's periodic task (`ledgerQueueTask`) seals its chains.
 */

/** Entries sealed per transaction. */
const SEAL_BATCH = 5000;

export interface QueuedEntry {
  municipalityId: number;
  chain: string;
  kind: string;
  payload: Record<string, unknown>;
  /** The module's name for the entry (unique within its chain), by which `queuedSeq` finds where it landed. */
  ref?: string | null;
}

/** What a module tells the sealer about its chains. */
export interface QueueHooks {
  /** The module's chains: names `<prefix>:<key>`. */
  prefix: string;
  /**
   * Entries to append before the first queued entry of a chain that has no entry yet (the opening entry, such as
   * a participatory budget cycle's rules), read inside the sealing transaction, which holds the chain's lock.
   */
  beforeFirst?(trx: Database, municipalityId: number, chain: string): Promise<NewLedgerEntry[]>;
}

/** Queues entries inside the caller's transaction, in order; a payload outside the ledger's domain throws here. */
export async function enqueueLedgerEntries(trx: Database, entries: readonly QueuedEntry[]): Promise<void> {
  await insertQueued(trx, entries.map((e) => ({ municipalityId: e.municipalityId, chain: e.chain, kind: e.kind, payload: canonicalJson(e.payload), ref: e.ref ?? null })));
}

/** Queues one entry inside the caller's transaction (see enqueueLedgerEntries). */
export const enqueueLedgerEntry = (trx: Database, entry: QueuedEntry) => enqueueLedgerEntries(trx, [entry]);

/**
 * Seals what a chain has waiting, in id order, one transaction per batch under the chain's lock: a second sealer
 * of the same chain waits for the first, then finds only what came after. Returns how many were sealed.
 */
export async function sealQueuedChain(db: Database, municipalityId: number, chain: string, hooks: QueueHooks): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await db.transaction().execute(async (trx) => {
      await lockChain(trx, municipalityId, chain);
      const rows = await takeQueued(trx, municipalityId, chain, SEAL_BATCH);
      if (rows.length === 0) return 0;
      const opening = hooks.beforeFirst && !(await chainHead(trx, municipalityId, chain)) ? await hooks.beforeFirst(trx, municipalityId, chain) : [];
      const entries: NewLedgerEntry[] = [...opening];
      for (const [i, r] of rows.entries()) {
        await breatheEvery(i);
        entries.push({ kind: r.kind, payload: JSON.parse(r.payload) as Record<string, unknown> });
      }
      const published = await appendToLedger(trx, { municipalityId, chain, entries });
      await insertRefs(trx, municipalityId, chain, rows.flatMap((r, i) => (r.ref ? [{ ref: r.ref, seq: published[opening.length + i]!.seq }] : [])));
      return rows.length;
    });
    total += n;
    if (n < SEAL_BATCH) return total;
  }
}

/** Seals every chain of the prefix that has entries waiting. */
export async function sealLedgerQueue(db: Database, hooks: QueueHooks): Promise<number> {
  let total = 0;
  for (const { municipalityId, chain } of await chainsWithQueued(db, hooks.prefix, 100)) total += await sealQueuedChain(db, municipalityId, chain, hooks);
  return total;
}

/** The periodic task that seals a module's chains every second (safe with several workers: see sealQueuedChain). */
export const ledgerQueueTask = (hooks: QueueHooks): PeriodicTask => ({
  name: `ledger.seal.${hooks.prefix}`,
  everySeconds: 1,
  run: (deps) => sealLedgerQueue(deps.db, hooks),
});

/** Where a queued entry landed in its chain, by its reference; null while it waits. */
export const queuedSeq = (db: Database, municipalityId: number, chain: string, ref: string) => refSeq(db, municipalityId, chain, ref);

/** How many entries of a chain wait to be sealed (the ledger page says so). */
export const queuedCount = (db: Database, municipalityId: number, chain: string) => countQueued(db, municipalityId, chain);
