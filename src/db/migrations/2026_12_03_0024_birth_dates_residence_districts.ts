import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * What age and district rules (the participatory budget's, later others') need to know of a person:
 * a birth date and whose word it is (an identity provider's claim, or the person's own), and the district
 * of a confirmed residence where the registrar or the residence request recorded one.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, `
    ALTER TABLE users ADD COLUMN birth_date date,
      ADD COLUMN birth_date_source text CHECK (birth_date_source IN ('identity', 'declared')),
      ADD CONSTRAINT users_birth_date_pair CHECK ((birth_date IS NULL) = (birth_date_source IS NULL));
    ALTER TABLE resident_verifications ADD COLUMN district_id integer REFERENCES districts(id) ON DELETE SET NULL;
  `);
}
