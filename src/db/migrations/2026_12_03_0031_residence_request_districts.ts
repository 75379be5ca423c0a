import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * The district a resident names in a residence request, kept until a registrar decides: approving it
 * records that district on the confirmation (resident_verifications.district_id, migration 0024), or the
 * one the registrar corrects it to.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, `
    ALTER TABLE residence_requests ADD COLUMN district_id integer REFERENCES districts(id) ON DELETE SET NULL;
  `);
}
