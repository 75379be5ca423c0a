import crypto from 'node:crypto';

/**
 * The Merkle tree of RFC 9162 (certificate transparency v2, the same tree as RFC 6962) over a chain's
 * entries: leaf hash SHA-256(0x00 || leaf), node hash SHA-256(0x01 || left || right), the tree split at
 * the largest power of two below its size. Sizes and indexes are plain numbers (below 2^53), so halving
 * uses division: JavaScript's bit operators would cut them to 32 bits.
 *
 * A tree is stored as its perfect subtrees ("nodes"): level L, index i covers leaves [i·2^L, (i+1)·2^L).
 * Proofs are planned as leaf ranges, resolved to the stored nodes they need, fetched in one read and then
 * hashed, so a proof in a million-entry chain reads about forty small rows.
 */

export const HASH_BYTES = 32;
const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);

/** The root of the empty tree: SHA-256 of nothing. */
export const EMPTY_ROOT = crypto.createHash('sha256').digest();

export const leafHash = (data: Uint8Array | string): Buffer => crypto.createHash('sha256').update(LEAF).update(data).digest();
export const nodeHash = (left: Uint8Array, right: Uint8Array): Buffer => crypto.createHash('sha256').update(NODE).update(left).update(right).digest();

const odd = (n: number) => n % 2 === 1;
const half = (n: number) => Math.floor(n / 2);

/** The largest power of two strictly below n (n ≥ 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

const isPowerOfTwo = (n: number) => n >= 1 && splitPoint(n + 1) === n;

/** A stored node: level L, index i, covering leaves [i·2^L, (i+1)·2^L). */
export interface NodeRef { level: number; index: number }
export const nodeKey = (r: NodeRef) => `${r.level}/${r.index}`;

/** The leaves [start, end) of a subtree used in a proof. */
export type Range = readonly [start: number, end: number];

/** The stored nodes a range's hash is made of, left to right (a perfect aligned range is one node). */
export function rangeNodes([start, end]: Range): NodeRef[] {
  const out: NodeRef[] = [];
  let at = start;
  while (at < end) {
    // The biggest perfect subtree that starts at `at` (aligned) and fits before `end`.
    let size = 1;
    while (at % (size * 2) === 0 && at + size * 2 <= end) size *= 2;
    out.push({ level: Math.log2(size), index: at / size });
    at += size;
  }
  return out;
}

/** The hash of a range from its stored nodes: folded right to left, as MTH splits at powers of two. */
export function rangeHash(range: Range, node: (r: NodeRef) => Buffer): Buffer {
  const parts = rangeNodes(range).map(node);
  let h = parts.pop()!;
  while (parts.length > 0) h = nodeHash(parts.pop()!, h);
  return h;
}

/** RFC 9162 §2.1.3.1 PATH(m, D[n]) as ranges, deepest first. */
export function inclusionRanges(index: number, size: number): Range[] {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) throw new RangeError(`No leaf ${index} in a tree of ${size}`);
  const out: Range[] = [];
  let [lo, hi, m] = [0, size, index];
  const path: Range[] = [];
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (m < k) {
      path.push([lo + k, hi]);
      hi = lo + k;
    } else {
      path.push([lo, lo + k]);
      lo += k;
      m -= k;
    }
  }
  for (let i = path.length - 1; i >= 0; i--) out.push(path[i]!);
  return out;
}

/** RFC 9162 §2.1.4.1 PROOF(m, D[n]) as ranges, in the order the proof lists them. */
export function consistencyRanges(m: number, n: number): Range[] {
  if (!Number.isSafeInteger(m) || !Number.isSafeInteger(n) || m < 0 || m > n) throw new RangeError(`No consistency proof from ${m} to ${n}`);
  if (m === 0 || m === n) return [];
  const path: Range[] = [];
  let [lo, hi, mm, whole] = [0, n, m, true];
  while (mm !== hi - lo) {
    const k = splitPoint(hi - lo);
    if (mm <= k) {
      path.push([lo + k, hi]);
      hi = lo + k;
    } else {
      path.push([lo, lo + k]);
      lo += k;
      mm -= k;
      whole = false;
    }
  }
  if (!whole) path.push([lo, hi]);
  return path.reverse();
}

/** The nodes whose hashes a set of ranges needs, each once. */
export function nodesFor(ranges: readonly Range[]): NodeRef[] {
  const seen = new Map<string, NodeRef>();
  for (const r of ranges) for (const n of rangeNodes(r)) seen.set(nodeKey(n), n);
  return [...seen.values()];
}

/** The perfect subtrees a tree of `size` leaves is made of, left to right (its right border). */
export const frontier = (size: number): NodeRef[] => (size === 0 ? [] : rangeNodes([0, size]));

/** The root of a tree from its nodes. */
export const treeRoot = (size: number, node: (r: NodeRef) => Buffer): Buffer => (size === 0 ? EMPTY_ROOT : rangeHash([0, size], node));

/**
 * Appends leaves to a tree of `size`, given the hashes of its frontier: returns every new node to store
 * (each leaf, and each perfect subtree it completes) and the new root.
 */
export function appendLeaves(size: number, known: ReadonlyMap<string, Buffer>, leaves: readonly Buffer[]) {
  const nodes = new Map(known);
  const stored: (NodeRef & { hash: Buffer })[] = [];
  const put = (level: number, index: number, hash: Buffer) => {
    nodes.set(`${level}/${index}`, hash);
    stored.push({ level, index, hash });
  };
  for (const [i, leaf] of leaves.entries()) {
    let [level, index, hash] = [0, size + i, leaf];
    put(level, index, hash);
    while (odd(index)) {
      const left = nodes.get(`${level}/${index - 1}`);
      if (!left) throw new Error(`Merkle node ${level}/${index - 1} is missing`);
      hash = nodeHash(left, hash);
      level += 1;
      index = half(index);
      put(level, index, hash);
    }
  }
  const end = size + leaves.length;
  const get = (r: NodeRef) => nodes.get(nodeKey(r)) ?? missing(r);
  return { stored, root: treeRoot(end, get) };
}

function missing(r: NodeRef): never {
  throw new Error(`Merkle node ${nodeKey(r)} is missing`);
}

/** Hashes of perfect subtrees computed from all leaf hashes, for checkers that hold a whole chain. */
export function nodesFromLeaves(leaves: readonly Buffer[]): (r: NodeRef) => Buffer {
  const levels: Buffer[][] = [leaves.slice()];
  for (let l = 0; levels[l]!.length > 1; l++) {
    const below = levels[l]!;
    const up: Buffer[] = [];
    for (let i = 0; i + 1 < below.length; i += 2) up.push(nodeHash(below[i]!, below[i + 1]!));
    levels.push(up);
  }
  return (r) => levels[r.level]?.[r.index] ?? missing(r);
}

export const rootOf = (leaves: readonly Buffer[]) => treeRoot(leaves.length, nodesFromLeaves(leaves));
export const inclusionProofOf = (index: number, leaves: readonly Buffer[]) => {
  const node = nodesFromLeaves(leaves);
  return inclusionRanges(index, leaves.length).map((r) => rangeHash(r, node));
};
export const consistencyProofOf = (m: number, leaves: readonly Buffer[]) => {
  const node = nodesFromLeaves(leaves);
  return consistencyRanges(m, leaves.length).map((r) => rangeHash(r, node));
};

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && crypto.timingSafeEqual(a, b);

/** RFC 9162 §2.1.3.2: does `proof` place the leaf hash at `index` in the tree of `size` with `root`? */
export function verifyInclusion(leaf: Uint8Array, index: number, size: number, proof: readonly Uint8Array[], root: Uint8Array): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  let [fn, sn] = [index, size - 1];
  let r: Buffer = Buffer.from(leaf);
  for (const p of proof) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      r = nodeHash(p, r);
      while (!odd(fn) && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    } else {
      r = nodeHash(r, p);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  return sn === 0 && same(r, root);
}

/** RFC 9162 §2.1.4.2: is the tree of size `n` with `rootN` an extension of the one of size `m` with `rootM`? */
export function verifyConsistency(m: number, n: number, proof: readonly Uint8Array[], rootM: Uint8Array, rootN: Uint8Array): boolean {
  if (!Number.isSafeInteger(m) || !Number.isSafeInteger(n) || m < 0 || m > n) return false;
  if (m === n) return proof.length === 0 && same(rootM, rootN);
  if (m === 0) return proof.length === 0 && same(rootM, EMPTY_ROOT);
  if (proof.length === 0) return false;
  const path = isPowerOfTwo(m) ? [rootM, ...proof] : [...proof];
  let [fn, sn] = [m - 1, n - 1];
  while (odd(fn)) [fn, sn] = [half(fn), half(sn)];
  let fr: Buffer = Buffer.from(path[0]!);
  let sr: Buffer = Buffer.from(path[0]!);
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (!odd(fn) && fn !== 0) [fn, sn] = [half(fn), half(sn)];
    } else {
      sr = nodeHash(sr, c);
    }
    [fn, sn] = [half(fn), half(sn)];
  }
  return sn === 0 && same(fr, rootM) && same(sr, rootN);
}
