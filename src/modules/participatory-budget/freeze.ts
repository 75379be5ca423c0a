import { sql, type Transaction } from 'kysely';
import { prepared } from '../../db/prepared.ts';
import type { DB } from '../../db/schema.ts';

/**
 * A cycle's voting rule, limits, categories, amounts and admitted projects are frozen once its first ballot
 * exists. Casting a ballot holds the cycle's rules lock shared for its transaction, and changing any of those
 * holds it exclusively and then looks for a ballot: so a change and a first ballot at the same moment cannot
 * both succeed (the change either commits before the ballot is checked against the rules, or sees the ballot).
 * Shared advisory locks are taken in memory, so a rush of ballots writes nothing for this.
 */
const key = (cycleId: number) => sql`hashtext(${`pb-rules:${cycleId}`})`;

/** Held by every transaction that casts or changes a ballot of the cycle. */
export async function holdRulesShared(trx: Transaction<DB>, cycleId: number): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock_shared(${key(cycleId)}) ${prepared}`.execute(trx);
}

/** Takes the cycle's rules for a change and says whether they are frozen (a ballot exists): then change nothing. */
export async function rulesFrozen(trx: Transaction<DB>, cycleId: number): Promise<boolean> {
  await sql`SELECT pg_advisory_xact_lock(${key(cycleId)})`.execute(trx);
  const ballot = await trx.selectFrom('pb_ballots').select('id').where('cycle_id', '=', cycleId).limit(1).executeTakeFirst();
  return ballot !== undefined;
}
