import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * A person's national id (RNOKPP, PESEL, JMBG) as a national identity provider vouched for it, kept only as a
 * keyed hash (platform/auth/identifiers.ts): one account per person, whichever provider they come through
 * (Diia and BankID name the same tax number), and never the number itself.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, `
    ALTER TABLE users ADD COLUMN national_id_hash text;
    CREATE UNIQUE INDEX users_national_id ON users (national_id_hash) WHERE national_id_hash IS NOT NULL;
  `);
}
