import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';

/** Reads of the signed checkpoints and their witnesses' cosignatures. */

export interface StoredCheckpoint {
  size: number;
  root: Buffer;
  note: string;
  createdAt: Date;
}

const toCheckpoint = (r: { size: number | string; root: Buffer; note: string; created_at: Date }): StoredCheckpoint => ({
  size: Number(r.size), root: Buffer.from(r.root), note: r.note, createdAt: new Date(r.created_at),
});

const checkpoints = (db: Database, municipalityId: number, chain: string) => db.selectFrom('ledger_checkpoints')
  .select(['size', 'root', 'note', 'created_at']).where('municipality_id', '=', municipalityId).where('chain', '=', chain);

export async function latestCheckpoint(db: Database, municipalityId: number, chain: string): Promise<StoredCheckpoint | undefined> {
  const r = await checkpoints(db, municipalityId, chain).orderBy('size', 'desc').limit(1).executeTakeFirst();
  return r && toCheckpoint(r);
}

export async function checkpointAt(db: Database, municipalityId: number, chain: string, size: number): Promise<StoredCheckpoint | undefined> {
  const r = await checkpoints(db, municipalityId, chain).where('size', '=', size).executeTakeFirst();
  return r && toCheckpoint(r);
}

/** Newest first, below `beforeSize` when given. */
export async function checkpointHistory(db: Database, municipalityId: number, chain: string, opts: { beforeSize?: number; limit: number }): Promise<StoredCheckpoint[]> {
  let q = checkpoints(db, municipalityId, chain);
  if (opts.beforeSize) q = q.where('size', '<', opts.beforeSize);
  return (await q.orderBy('size', 'desc').limit(opts.limit).execute()).map(toCheckpoint);
}

/** Every chain's newest checkpoint, in (municipality, chain) order after a cursor: what witnesses go through. */
export async function chainHeads(db: Database, after: { municipalityId: number; chain: string } | null, limit: number) {
  const rows = await sql<{ municipality_id: number; slug: string; chain: string; size: string | number }>`
    SELECT DISTINCT ON (c.municipality_id, c.chain) c.municipality_id, m.slug, c.chain, c.size
    FROM ledger_checkpoints c JOIN municipalities m ON m.id = c.municipality_id
    WHERE ${after ? sql`(c.municipality_id, c.chain) > (${after.municipalityId}, ${after.chain})` : sql`true`}
    ORDER BY c.municipality_id, c.chain, c.size DESC
    LIMIT ${limit}`.execute(db);
  return rows.rows.map((r) => ({ municipalityId: r.municipality_id, slug: r.slug, chain: r.chain, size: Number(r.size) }));
}
