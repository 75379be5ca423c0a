import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * SAML 2.0 sign-ins (platform/auth/identity/saml.ts), kept in the database so every web process knows them:
 * - the AuthnRequests sent and not yet answered (their ID is what the answer's InResponseTo must name), with
 *   where the sign-in started (locale, next page, the starter's session: a SAML answer is a cross-site POST
 *   that carries no SameSite=Lax cookie); each is answered once;
 * - the assertions accepted, until their NotOnOrAfter, so one is never accepted twice.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, `
    CREATE TABLE saml_requests (
      id text PRIMARY KEY,
      provider text NOT NULL,
      locale text NOT NULL,
      next_path text,
      session_id text,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      answered_at timestamptz
    );
    CREATE INDEX saml_requests_expiry ON saml_requests (expires_at);

    CREATE TABLE saml_assertions (
      provider text NOT NULL,
      id text NOT NULL,
      expires_at timestamptz NOT NULL,
      PRIMARY KEY (provider, id)
    );
    CREATE INDEX saml_assertions_expiry ON saml_assertions (expires_at);
  `);
}
