import type { PublishedEntry } from '../../../platform/ledger/ledger.ts';
import { isUtcSecond } from '../../../platform/ledger/verify/entries.ts';
import type { ChainMeaning, MeaningResult } from '../../../platform/ledger/verify/replay.ts';
import { verifyLedger as verifyWith, type VerifyOptions } from '../../../platform/ledger/verify/verify-ledger.ts';
import { PetitionLedgerChecker, type LedgerProblem } from '../ledger-check.ts';

/**
 * What `hromada verify-ledger` checks in a petition's chain (`petition:<number>`), beyond the hash chain and
 * the tree: the payload of each kind has exactly its keys (docs/LEDGER.md "Petitions"), the entries of one
 * invalidation are one run with one reason, and then the platform's own PetitionLedgerChecker (one signature
 * per signer, an invalidation only of a valid signature) gives the count.
 */

const PSEUDONYM = /^[0-9a-f]{64}$/;
const isPseudonym = (v: unknown) => typeof v === 'string' && PSEUDONYM.test(v);

/** The keys of each kind's payload and what each holds. */
const PAYLOADS: Record<string, Record<string, (v: unknown) => boolean>> = {
  signature: { signer: isPseudonym, at: (v) => typeof v === 'string' && isUtcSecond(v) },
  invalidation: { signer: isPseudonym, invalidation: (v) => Number.isSafeInteger(v) && (v as number) > 0, reason: (v) => typeof v === 'string' && v.trim() !== '' },
};

function shapeProblem(e: PublishedEntry): LedgerProblem | null {
  const shape = Object.hasOwn(PAYLOADS, e.kind) ? PAYLOADS[e.kind]! : null;
  if (!shape) return 'kind';
  const keys = Object.keys(e.payload);
  const fits = keys.length === Object.keys(shape).length && keys.every((k) => Object.hasOwn(shape, k) && shape[k]!(e.payload[k]));
  return fits ? null : 'payload';
}

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
    if (id !== null && runs.has(id) && runs.get(id) !== e.payload.reason) return 'invalidation_reason';
    if (id !== null) runs.set(id, e.payload.reason as string);
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
