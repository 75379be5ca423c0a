import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * An invalidation's ledger entries commit to the filter the moderators used without publishing it: they carry
 * SHA-256 of {filter, salt}, and the salt kept here lets the municipality open the commitment to an auditor.
 * Invalidations made before have none (their entries carry no commitment).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, `
    ALTER TABLE petition_invalidations ADD COLUMN filter_salt text;
  `);
}
