import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * Rate-limit counters need no crash safety (after a crash everyone simply starts a fresh window), and
 * as an unlogged table their upsert on every limited request commits without waiting for a WAL flush:
 * a signing rush then pays for one durable write per batch of signatures, not one more per request.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, 'ALTER TABLE rate_limits SET UNLOGGED;');
}
