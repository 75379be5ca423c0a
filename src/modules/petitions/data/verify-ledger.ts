import type { PublishedEntry } from '../../../platform/ledger/ledger.ts';
import type { ChainMeaning, MeaningResult } from '../../../platform/ledger/verify/replay.ts';
import { verifyLedger as verifyWith, type VerifyOptions } from '../../../platform/ledger/verify/verify-ledger.ts';
import { PetitionLedgerChecker, shapeProblem } from '../ledger-check.ts';

/**
 * What `hromada verify-ledger` checks in a petition's chain (`petition:<number>`), beyond the hash chain and
 * the tree: the payload of each kind has exactly its keys (docs/LEDGER.md "Petitions"), the entries of one
 * invalidation are one run with one reason, date and filter commitment, and then the platform's own PetitionLedgerChecker (one signature
 * per signer, an invalidation only of a valid signature) gives the count.
 */

/** A fresh checker for one petition chain. */
export function petitionMeaning(): ChainMeaning {
  const checker = new PetitionLedgerChecker();
  const runs = new Map<number, string>();
  let open: number | null = null;
  let failure: MeaningResult | null = null;
  const problem = (e: PublishedEntry): string | null => {
    const shape = shapeProblem(e);
    if (shape) return shape;
    const id = e.kind === 'invalidation' ? (e.payload.invalidation as number) : null;
    if (id !== null && id !== open && runs.has(id)) return 'invalidation_split';
    // One invalidation binds one reason, date and filter commitment to every entry of its run.
    const bound = id === null ? '' : JSON.stringify([e.payload.reason, e.payload.at, e.payload.filter]);
    if (id !== null && runs.has(id) && runs.get(id) !== bound) return 'invalidation_reason';
    if (id !== null) runs.set(id, bound);
    open = id;
    return null;
  };
  return {
    add(page) {
      if (failure) return false;
      let bad = -1;
      let reason: string | null = null;
      for (const [i, e] of page.entries()) {
        reason = problem(e);
        if (reason) {
          bad = i;
          break;
        }
      }
      // The entries before the first misshapen one go through the platform's checker first, so the earliest fault wins.
      if (!checker.add(bad < 0 ? page : page.slice(0, bad))) return false;
      if (bad < 0) return true;
      failure = { ok: false, brokenAt: page[bad]!.seq, reason: reason! };
      return false;
    },
    result() {
      return failure ?? checker.result();
    },
  };
}

/** `hromada verify-ledger` of a petition's chain (or any chain, petitions' checked for their meaning). */
export const verifyLedger = (source: string | VerifyOptions) => verifyWith(typeof source === 'string' ? { source } : source, { petition: petitionMeaning });
