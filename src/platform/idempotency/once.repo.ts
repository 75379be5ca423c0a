import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';

export interface OnceRow { municipalityId: number; actor: string; key: string }

/**
 * Claims the key, or answers what the create that claimed it first answered. On PostgreSQL an INSERT that
 * meets a key claimed by a transaction still running waits for it: after its commit this one finds the
 * row (and its answer, written in the same transaction); after its rollback this one claims the key.
 */
export async function claimKey(trx: Transaction<DB>, k: OnceRow): Promise<{ claimed: true } | { claimed: false; answer: unknown }> {
  const inserted = await trx.insertInto('idempotency_keys')
    .values({ municipality_id: k.municipalityId, actor: k.actor, key: k.key, answer: 'null' })
    .onConflict((oc) => oc.columns(['municipality_id', 'actor', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  if (inserted) return { claimed: true };
  const row = await trx.selectFrom('idempotency_keys').select('answer')
    .where('municipality_id', '=', k.municipalityId).where('actor', '=', k.actor).where('key', '=', k.key)
    .executeTakeFirstOrThrow();
  return { claimed: false, answer: row.answer };
}

/** Records what the create answered, for the repeats to come. */
export async function recordAnswer(trx: Transaction<DB>, k: OnceRow, answer: unknown): Promise<void> {
  await trx.updateTable('idempotency_keys').set({ answer: JSON.stringify(answer ?? null) })
    .where('municipality_id', '=', k.municipalityId).where('actor', '=', k.actor).where('key', '=', k.key)
    .execute();
}

/** Forgets keys older than `olderThanMs`; returns how many. */
export async function forgetKeys(db: Database, olderThanMs: number): Promise<number> {
  const r = await db.deleteFrom('idempotency_keys').where('created_at', '<', new Date(Date.now() - olderThanMs)).executeTakeFirst();
  return Number(r.numDeletedRows);
}
