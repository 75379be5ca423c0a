import type { Database } from '../../db/database.ts';
import {
  appendLeaves, consistencyRanges, frontier, inclusionRanges, nodeKey, nodesFor, rangeHash, treeRoot, type NodeRef, type Range,
} from './merkle.ts';
import { readNodes, insertNodes } from './tree.repo.ts';

/** A chain's Merkle tree in the database: growing it as entries are appended, and proofs from it. */

/** Adds leaves after the first `size` and returns the new root; inside the append's transaction and chain lock. */
export async function growTree(trx: Database, municipalityId: number, chain: string, size: number, leaves: readonly Buffer[]): Promise<Buffer> {
  const known = await readNodes(trx, municipalityId, chain, frontier(size));
  const { stored, root } = appendLeaves(size, known, leaves);
  await insertNodes(trx, municipalityId, chain, stored);
  return root;
}

/** The hashes of ranges of leaves, from the nodes they are made of (read at once). */
async function hashRanges(db: Database, municipalityId: number, chain: string, ranges: readonly Range[]): Promise<Buffer[]> {
  const nodes = await readNodes(db, municipalityId, chain, nodesFor(ranges));
  const get = (r: NodeRef) => {
    const h = nodes.get(nodeKey(r));
    if (!h) throw new Error(`Merkle node ${nodeKey(r)} of ${chain} is missing`);
    return h;
  };
  return ranges.map((r) => rangeHash(r, get));
}

/** RFC 9162 inclusion proof of the entry `seq` in the tree of `size` entries. */
export const inclusionProof = (db: Database, municipalityId: number, chain: string, seq: number, size: number) =>
  hashRanges(db, municipalityId, chain, inclusionRanges(seq - 1, size));

/** RFC 9162 consistency proof from the tree of `from` entries to the one of `to`. */
export const consistencyProof = (db: Database, municipalityId: number, chain: string, from: number, to: number) =>
  hashRanges(db, municipalityId, chain, consistencyRanges(from, to));

/** The root of the tree of the first `size` entries. */
export async function rootAt(db: Database, municipalityId: number, chain: string, size: number): Promise<Buffer> {
  if (size === 0) return treeRoot(0, () => Buffer.alloc(0));
  return (await hashRanges(db, municipalityId, chain, [[0, size]]))[0]!;
}
