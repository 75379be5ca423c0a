import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * Failed sign-ins (and mail-sending requests) are limited per account and per address with a backoff:
 * a key that ran out of free attempts is locked until `blocked_until`, which grows with each failure.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, 'ALTER TABLE rate_limits ADD COLUMN blocked_until timestamptz;');
}
