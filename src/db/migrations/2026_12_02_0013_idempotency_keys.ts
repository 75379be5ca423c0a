import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * One row per create that a form or API client asked for with an idempotency key (platform/idempotency):
 * claimed in the transaction of the create itself, so the row exists exactly when the record does, and
 * holding the answer a repeat of the request gets. `municipality_id` 0 stands for creates outside any
 * municipality (a new municipality); there is no foreign key, so a claim takes no lock on the municipality.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, `
    CREATE TABLE idempotency_keys (
      municipality_id integer NOT NULL,
      actor text NOT NULL,
      key text NOT NULL,
      answer jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (municipality_id, actor, key)
    );
    CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
  `);
}
