import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * Ways to become a confirmed resident without a national identity (issue 13):
 * - a `registrar` role (an official at a service centre who confirms residents in person and decides requests);
 * - which ways each municipality offers (`resident_ways`; new and existing municipalities get identity, in
 *   person and online requests; letters and census are switched on by their admin);
 * - confirmations record how (method), the document type and a keyed hash of its number (never the number):
 *   one document confirms one account per municipality;
 * - residents' requests to be confirmed (an address, optionally a scan, deleted after the decision), with a
 *   working-day deadline;
 * - letters with a one-time code to the declared address (the code's hash only; the code is made when the
 *   letter is printed);
 * - census entries of document-number hashes with addresses, beside e-mail addresses.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, `
    ALTER TABLE memberships DROP CONSTRAINT memberships_role_check;
    ALTER TABLE memberships ADD CONSTRAINT memberships_role_check CHECK (role IN ('moderator', 'official', 'admin', 'registrar'));

    ALTER TABLE municipalities ADD COLUMN resident_ways jsonb NOT NULL DEFAULT '["identity", "in_person", "request"]'::jsonb;

    ALTER TABLE resident_verifications DROP CONSTRAINT resident_verifications_method_check;
    ALTER TABLE resident_verifications ADD CONSTRAINT resident_verifications_method_check
      CHECK (method IN ('official', 'census', 'in_person', 'request', 'letter'));
    ALTER TABLE resident_verifications ADD COLUMN document_type text, ADD COLUMN document_hash text;
    CREATE UNIQUE INDEX resident_verifications_document ON resident_verifications (municipality_id, document_hash) WHERE document_hash IS NOT NULL;

    CREATE TABLE residence_requests (
      id bigserial PRIMARY KEY,
      municipality_id integer NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
      user_id integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      address text NOT NULL,
      document_file_id text REFERENCES files(id) ON DELETE SET NULL,
      next_path text,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'refused', 'withdrawn')),
      reason text,
      due_at timestamptz NOT NULL,
      decided_by integer REFERENCES users(id) ON DELETE SET NULL,
      decided_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX residence_requests_one_pending ON residence_requests (municipality_id, user_id) WHERE status = 'pending';
    CREATE INDEX residence_requests_queue ON residence_requests (municipality_id, status, due_at);

    CREATE TABLE residence_letters (
      id bigserial PRIMARY KEY,
      municipality_id integer NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
      user_id integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      recipient text NOT NULL,
      address text NOT NULL,
      code_hash text,
      printed_by integer REFERENCES users(id) ON DELETE SET NULL,
      printed_at timestamptz,
      expires_at timestamptz,
      attempts integer NOT NULL DEFAULT 0,
      used_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE UNIQUE INDEX residence_letters_one_open ON residence_letters (municipality_id, user_id) WHERE used_at IS NULL;
    CREATE INDEX residence_letters_to_print ON residence_letters (municipality_id, printed_at);

    ALTER TABLE census_entries ADD COLUMN kind text NOT NULL DEFAULT 'email' CHECK (kind IN ('email', 'document')), ADD COLUMN address text;
  `);
}
