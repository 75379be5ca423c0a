import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';

/** Tables whose rows carry a public number counted per municipality (petition 12, report 345). */
type Numbered = 'petitions' | 'reports' | 'pb_cycles' | 'pb_projects';

const LOCK_NAMES: Record<Numbered, string> = { petitions: 'petition', reports: 'report', pb_cycles: 'pb-cycle', pb_projects: 'pb-project' };

/**
 * The next public number of `table` in a municipality: 1, 2, 3… with no gaps. The advisory lock holds
 * until the caller's transaction ends, so two rows created at once never get the same number.
 */
export async function nextNumber(trx: Database | Transaction<DB>, table: Numbered, municipalityId: number): Promise<number> {
  // Petitions keep the lock name they had before reports shared this helper.
  const lock = `${LOCK_NAMES[table]}-number:${municipalityId}`;
  await sql`SELECT pg_advisory_xact_lock(hashtext(${lock}))`.execute(trx);
  const row = await trx.selectFrom(table).select((eb) => eb.fn.max('number').as('n')).where('municipality_id', '=', municipalityId).executeTakeFirst();
  return Number(row?.n ?? 0) + 1;
}
