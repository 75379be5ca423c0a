import { GENESIS_HASH, verifyChain, type PublishedEntry } from '../ledger.ts';
import { nodesFromLeaves, treeRoot } from '../merkle.ts';
import { entryDigests } from './canonical.ts';

/**
 * A chain replayed page by page, holding only the leaf hashes: the hash chain (verifyChain), the same hashes
 * again from the RFC 8785 form (the Merkle leaves are made from it), and what the entries mean, by the module
 * whose chain it is (a `ChainMeaning` for the chain's prefix, e.g. `petition`).
 */

export type MeaningResult = { ok: true; count: number } | { ok: false; brokenAt: number; reason: string };

/** What a module checks in its chains' entries, page by page, and the count they prove. */
export interface ChainMeaning {
  /** Adds the next page; returns false once the chain has failed. */
  add(page: readonly PublishedEntry[]): boolean;
  result(): MeaningResult;
}

/** Meaning checkers by chain prefix (the part of a chain's name before its first colon). */
export type Meanings = Readonly<Record<string, () => ChainMeaning>>;

export interface ReplayFailure { check: string; brokenAt: number; reason: string }

export class ChainReplay {
  chain: string | undefined;
  private last = { seq: 0, hash: GENESIS_HASH };
  private readonly leaves: Buffer[] = [];
  private meaning: { name: string; checker: ChainMeaning } | null = null;
  private failure: ReplayFailure | null = null;
  private nodes: ReturnType<typeof nodesFromLeaves> | null = null;

  constructor(private readonly meanings: Meanings, private readonly onEntry?: (e: PublishedEntry) => void) {}

  /** Adds the next page (entries right after the last one added); false once the chain has failed. */
  add(page: readonly PublishedEntry[]): boolean {
    if (this.failure) return false;
    if (page.length === 0) return true;
    this.nodes = null;
    if (this.chain === undefined) {
      this.chain = page[0]!.chain;
      const prefix = this.chain.slice(0, Math.max(0, this.chain.indexOf(':')));
      const make = Object.hasOwn(this.meanings, prefix) ? this.meanings[prefix] : undefined;
      if (make) this.meaning = { name: prefix, checker: make() };
    }
    const other = page.find((e) => e.chain !== this.chain);
    const chained = other ? { ok: false as const, brokenAt: other.seq, reason: 'chain' } : verifyChain(page, this.last);
    if (!chained.ok) return this.fail('chain', chained.brokenAt, chained.reason);
    for (const e of page) {
      const { hash, leaf } = entryDigests(e);
      if (hash !== e.hash) return this.fail('canonical', e.seq, 'the RFC 8785 form hashes differently from the platform\'s canonical JSON');
      this.leaves.push(leaf);
      this.onEntry?.(e);
    }
    if (this.meaning && !this.meaning.checker.add(page)) {
      const r = this.meaning.checker.result();
      return this.fail(this.meaning.name, r.ok ? page.at(-1)!.seq : r.brokenAt, r.ok ? 'refused' : r.reason);
    }
    const tail = page.at(-1)!;
    this.last = { seq: tail.seq, hash: tail.hash };
    return true;
  }

  private fail(check: string, brokenAt: number, reason: string): false {
    this.failure = { check, brokenAt, reason };
    return false;
  }

  get failed(): ReplayFailure | null {
    return this.failure;
  }

  get size(): number {
    return this.last.seq;
  }

  get head(): string {
    return this.last.hash;
  }

  /** The name of the module check that ran (the chain's prefix), and the count it proves. */
  get counted(): { name: string; count: number } | null {
    const r = this.meaning?.checker.result();
    return r?.ok ? { name: this.meaning!.name, count: r.count } : null;
  }

  /** The Merkle root of the first `size` entries (RFC 9162), size ≤ the entries replayed. */
  rootAt(size: number): Buffer {
    if (size > this.leaves.length) throw new RangeError(`Only ${this.leaves.length} entries were read`);
    this.nodes ??= nodesFromLeaves(this.leaves);
    return treeRoot(size, this.nodes);
  }
}
