import { isUtcSecond } from '../../platform/ledger/verify/entries.ts';
import { GENESIS_HASH, verifyChain, type PublishedEntry } from '../../platform/ledger/ledger.ts';

/** Why a petition chain fails: the chain itself (see docs/LEDGER.md), or what its entries say. */
export type LedgerProblem = 'chain' | 'seq' | 'prev' | 'hash' | 'payload' | 'kind' | 'double_signature' | 'invalidation_without_signature';

export type LedgerCheck =
  | { ok: true; entries: number; head: string; count: number }
  | { ok: false; brokenAt: number; reason: LedgerProblem };

const PSEUDONYM = /^[0-9a-f]{64}$/;
const HEX64 = (v: unknown) => typeof v === 'string' && PSEUDONYM.test(v);

/** The keys of each kind's payload and what each holds (docs/LEDGER.md "Petitions"). */
const PAYLOADS: Record<string, Record<string, (v: unknown) => boolean>> = {
  signature: { signer: HEX64, at: (v) => typeof v === 'string' && isUtcSecond(v) },
  invalidation: {
    signer: HEX64, invalidation: (v) => Number.isSafeInteger(v) && (v as number) > 0, reason: (v) => typeof v === 'string' && v.trim() !== '',
    at: (v) => typeof v === 'string' && isUtcSecond(v), filter: HEX64,
  },
};

/** 'kind' for an unknown kind, 'payload' for a payload without exactly its kind's keys, or null. */
export function shapeProblem(e: PublishedEntry): LedgerProblem | null {
  const shape = Object.hasOwn(PAYLOADS, e.kind) ? PAYLOADS[e.kind]! : null;
  if (!shape) return 'kind';
  const keys = Object.keys(e.payload);
  const fits = keys.length === Object.keys(shape).length && keys.every((k) => Object.hasOwn(shape, k) && shape[k]!(e.payload[k]));
  return fits ? null : 'payload';
}

/**
 * Checks a petition's chain page by page, as docs/LEDGER.md "Petitions" specifies: the hash chain, then the
 * meaning of each entry. A signer may have one `signature` entry; an `invalidation` needs a valid signature
 * before it. The count is the signers left valid. The web page (reading the database) and
 * `hromada verify-ledger` (reading the published pages) both use this one checker.
 */
export class PetitionLedgerChecker {
  private last = { seq: 0, hash: GENESIS_HASH };
  private readonly signed = new Set<string>();
  private readonly valid = new Set<string>();
  private chain: string | undefined;
  private failure: LedgerCheck | null = null;

  /** Adds the next page (entries after the last one added); returns false once the chain has failed. */
  add(page: readonly PublishedEntry[]): boolean {
    if (this.failure) return false;
    if (page.length === 0) return true;
    this.chain ??= page[0]!.chain;
    const chainBroken = page.find((e) => e.chain !== this.chain);
    const verified = chainBroken ? { ok: false as const, brokenAt: chainBroken.seq, reason: 'chain' as const } : verifyChain(page, this.last);
    if (!verified.ok) {
      this.failure = verified;
      return false;
    }
    for (const e of page) {
      const problem = this.apply(e);
      if (problem) {
        this.failure = { ok: false, brokenAt: e.seq, reason: problem };
        return false;
      }
    }
    const tail = page[page.length - 1]!;
    this.last = { seq: tail.seq, hash: tail.hash };
    return true;
  }

  private apply(e: PublishedEntry): LedgerProblem | null {
    const shape = shapeProblem(e);
    if (shape) return shape;
    const signer = e.payload.signer as string;
    if (e.kind === 'signature') {
      if (this.signed.has(signer)) return 'double_signature';
      this.signed.add(signer);
      this.valid.add(signer);
      return null;
    }
    return this.valid.delete(signer) ? null : 'invalidation_without_signature';
  }

  result(): LedgerCheck {
    return this.failure ?? { ok: true, entries: this.last.seq, head: this.last.hash, count: this.valid.size };
  }
}

/** The count a whole published chain proves; throws where the chain does not check out. */
export function tallyFromEntries(entries: readonly PublishedEntry[]): number {
  const checker = new PetitionLedgerChecker();
  checker.add(entries);
  const r = checker.result();
  if (!r.ok) throw new Error(`The chain breaks at seq ${r.brokenAt}: ${r.reason}`);
  return r.count;
}
