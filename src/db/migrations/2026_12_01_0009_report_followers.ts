import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/** Residents who follow a report's updates without having the problem themselves ("me too" counts those). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, `
    CREATE TABLE report_followers (
      municipality_id integer NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
      report_id bigint NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
      user_id integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (municipality_id, report_id, user_id)
    );
    CREATE INDEX report_followers_user ON report_followers (user_id);
  `);
}
