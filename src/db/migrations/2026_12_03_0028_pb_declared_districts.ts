import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * The district a voter declares on their ballot while building it, where no confirmed residence district is
 * recorded (resident_verifications.district_id): it decides which district categories they may choose from, and
 * goes onto the ballot (pb_ballots.district_id) when it is cast.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, `
    CREATE TABLE pb_declared_districts (
      municipality_id integer NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
      cycle_id integer NOT NULL REFERENCES pb_cycles(id) ON DELETE CASCADE,
      user_id integer NOT NULL REFERENCES users(id),
      district_id integer NOT NULL REFERENCES districts(id) ON DELETE CASCADE,
      declared_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (cycle_id, user_id)
    );
  `);
}
