import type { ColumnType } from 'kysely';
import type { CreatedAt, Timestamp } from '../../../db/schema.ts';

/** An AuthnRequest sent to a SAML identity provider and not yet answered (migration 0020). */
export interface SamlRequestTable {
  id: string;
  provider: string;
  locale: string;
  next_path: string | null;
  /** The session (its stored hash, sessions.id) of whoever started the sign-in, when signed in. */
  session_id: string | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
  answered_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** An assertion accepted from a provider, kept until its NotOnOrAfter so it is never accepted twice. */
export interface SamlAssertionTable {
  provider: string;
  id: string;
  expires_at: Timestamp;
}

/** The SAML tables, merged into the database's type. */
export interface SamlTables {
  saml_requests: SamlRequestTable;
  saml_assertions: SamlAssertionTable;
}
