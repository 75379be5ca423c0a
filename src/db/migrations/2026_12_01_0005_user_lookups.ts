import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * Every request with a session reads the user's residences by user id; the primary key leads with the
 * municipality, so without this index that read scanned every verification of every municipality
 * (about 1 ms per signed-in request with 10 000 residents, and growing with them).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, 'CREATE INDEX resident_verifications_user ON resident_verifications (user_id);');
}
