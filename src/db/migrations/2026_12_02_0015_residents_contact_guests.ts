import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * - The municipality's public contact (e-mail, phone, address): whom residents ask when a page tells them
 *   what they lack (being confirmed as a resident, say). Edited on the municipality's settings form.
 * - Guest reports become the default for new municipalities (the setting's default changes in code); a
 *   municipality that exists already keeps what it had, so the old default ("no") is written down for it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, `
    ALTER TABLE municipalities ADD COLUMN contact_email text, ADD COLUMN contact_phone text, ADD COLUMN contact_address text;
    UPDATE municipalities SET settings = jsonb_set(settings, '{reports}', COALESCE(settings->'reports', '{}'::jsonb) || '{"guests": "no"}'::jsonb)
      WHERE NOT (COALESCE(settings->'reports', '{}'::jsonb) ? 'guests');
  `);
}
