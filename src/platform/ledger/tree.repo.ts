import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { nodeKey, type NodeRef } from './merkle.ts';

/**
 * Where a chain's Merkle tree is kept: leaf hashes (level 0) beside their entries (`ledger_entries.leaf`,
 * leaf i is the entry with seq i + 1), the perfect subtrees above them in `ledger_nodes`.
 */

/** The hashes of the nodes asked for, keyed by nodeKey; one read whatever their number. */
export async function readNodes(db: Database, municipalityId: number, chain: string, refs: readonly NodeRef[]): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  if (refs.length === 0) return out;
  const leaves = refs.filter((r) => r.level === 0).map((r) => r.index + 1);
  const inner = refs.filter((r) => r.level > 0);
  // One index lookup per node (LATERAL … LIMIT 1), whatever the planner's statistics say: a chain growing
  // during a rush has stale ones, and a hash join over the chain's nodes took 70 ms where this takes 1.
  const rows = await sql<{ level: number; idx: string | number; hash: Buffer }>`
    SELECT 0 AS level, w.seq - 1 AS idx, e.hash FROM unnest(${sql.val(leaves)}::bigint[]) AS w(seq)
      CROSS JOIN LATERAL (SELECT leaf AS hash FROM ledger_entries
        WHERE municipality_id = ${municipalityId} AND chain = ${chain} AND seq = w.seq AND leaf IS NOT NULL LIMIT 1) e
    UNION ALL
    SELECT w.level, w.idx, n.hash FROM unnest(${sql.val(inner.map((r) => r.level))}::smallint[], ${sql.val(inner.map((r) => r.index))}::bigint[]) AS w(level, idx)
      CROSS JOIN LATERAL (SELECT hash FROM ledger_nodes
        WHERE municipality_id = ${municipalityId} AND chain = ${chain} AND level = w.level AND idx = w.idx LIMIT 1) n`.execute(db);
  for (const r of rows.rows) out.set(nodeKey({ level: Number(r.level), index: Number(r.idx) }), Buffer.from(r.hash));
  return out;
}

/** Stores new nodes above the leaves (the leaves go in with their entries). */
export async function insertNodes(db: Database, municipalityId: number, chain: string, nodes: readonly (NodeRef & { hash: Buffer })[]): Promise<void> {
  const inner = nodes.filter((n) => n.level > 0);
  if (inner.length === 0) return;
  await sql`INSERT INTO ledger_nodes (municipality_id, chain, level, idx, hash)
    SELECT ${municipalityId}::int, ${chain}::text, v.level, v.idx, decode(v.hash, 'hex')
    FROM unnest(${sql.val(inner.map((n) => n.level))}::smallint[], ${sql.val(inner.map((n) => n.index))}::bigint[],
      ${sql.val(inner.map((n) => n.hash.toString('hex')))}::text[]) AS v(level, idx, hash)`.execute(db);
}

/** Chains with entries that have no leaf hash yet (written before the tree existed), a few at a time. */
export async function chainsWithoutTree(db: Database, limit: number): Promise<{ municipalityId: number; chain: string }[]> {
  const rows = await sql<{ municipality_id: number; chain: string }>`
    SELECT DISTINCT municipality_id, chain FROM ledger_entries WHERE leaf IS NULL LIMIT ${limit}`.execute(db);
  return rows.rows.map((r) => ({ municipalityId: r.municipality_id, chain: r.chain }));
}

/** Sets the leaf hashes of entries by seq. */
export async function setLeaves(db: Database, municipalityId: number, chain: string, leaves: readonly { seq: number; leaf: Buffer }[]): Promise<void> {
  if (leaves.length === 0) return;
  await sql`UPDATE ledger_entries e SET leaf = decode(v.leaf, 'hex')
    FROM unnest(${sql.val(leaves.map((l) => l.seq))}::bigint[], ${sql.val(leaves.map((l) => l.leaf.toString('hex')))}::text[]) AS v(seq, leaf)
    WHERE e.municipality_id = ${municipalityId} AND e.chain = ${chain} AND e.seq = v.seq`.execute(db);
}

/** Removes a chain's stored nodes (before they are rebuilt from its entries). */
export async function deleteNodes(db: Database, municipalityId: number, chain: string): Promise<void> {
  await db.deleteFrom('ledger_nodes').where('municipality_id', '=', municipalityId).where('chain', '=', chain).execute();
}
