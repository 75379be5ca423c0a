import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * E-petitions. A signature is one INSERT; its count is never a hot row updated per signature:
 * `petition_tallies` holds the count of signatures already sealed into the ledger (updated once per
 * sealed batch), and the page adds the few signatures not yet sealed (partial index below).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, `
    CREATE TABLE petition_categories (
      id serial PRIMARY KEY,
      municipality_id integer NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
      slug text NOT NULL CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
      names jsonb NOT NULL,
      position integer NOT NULL DEFAULT 0,
      UNIQUE (municipality_id, slug)
    );

    CREATE TABLE petitions (
      id serial PRIMARY KEY,
      municipality_id integer NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
      number integer NOT NULL,
      author_id integer REFERENCES users(id) ON DELETE SET NULL,
      category_id integer REFERENCES petition_categories(id) ON DELETE SET NULL,
      title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
      body text NOT NULL CHECK (length(body) BETWEEN 1 AND 10000),
      status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'supporters', 'moderation', 'open', 'awaiting_response', 'answered', 'closed', 'rejected')),
      -- The rules in force when the petition was published, so a later change of settings does not move its goalposts.
      threshold integer CHECK (threshold > 0),
      period_days integer CHECK (period_days > 0),
      supporters_needed integer NOT NULL DEFAULT 0 CHECK (supporters_needed >= 0),
      submitted_at timestamptz,
      moderation_due_at timestamptz,
      published_at timestamptz,
      closes_at timestamptz,
      threshold_reached_at timestamptz,
      response_due_at timestamptz,
      answered_at timestamptz,
      closed_at timestamptz,
      rejection_reason text,
      close_reason text,
      response_outcome text CHECK (response_outcome IN ('supported', 'partly_supported', 'not_supported')),
      response_text text,
      response_file_id text REFERENCES files(id) ON DELETE SET NULL,
      responded_by integer REFERENCES users(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (municipality_id, number)
    );
    CREATE INDEX petitions_list ON petitions (municipality_id, status, published_at DESC);
    CREATE INDEX petitions_author ON petitions (author_id);
    -- The expressions of searchVector('title', 'body') and matchesQuery(…, 'title') in platform/search.
    CREATE INDEX petitions_search ON petitions USING gin (
      to_tsvector('simple', hromada_unaccent(coalesce(title, '') || ' ' || coalesce(body, ''))));
    CREATE INDEX petitions_title_trgm ON petitions USING gin (hromada_unaccent(title) gin_trgm_ops);

    CREATE TABLE petition_files (
      municipality_id integer NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
      petition_id integer NOT NULL REFERENCES petitions(id) ON DELETE CASCADE,
      file_id text NOT NULL REFERENCES files(id) ON DELETE CASCADE,
      PRIMARY KEY (municipality_id, petition_id, file_id)
    );

    CREATE TABLE petition_invalidations (
      id serial PRIMARY KEY,
      municipality_id integer NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
      petition_id integer NOT NULL REFERENCES petitions(id) ON DELETE CASCADE,
      actor_id integer REFERENCES users(id) ON DELETE SET NULL,
      reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
      filter jsonb NOT NULL,
      count integer NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE petition_signatures (
      id bigserial PRIMARY KEY,
      municipality_id integer NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
      petition_id integer NOT NULL REFERENCES petitions(id) ON DELETE CASCADE,
      user_id integer NOT NULL REFERENCES users(id),
      signed_at timestamptz NOT NULL DEFAULT now(),
      -- For the anti-fraud views only: the network (/24 or /48) and the e-mail domain, never the address.
      ip_prefix text,
      email_domain text,
      ledger_seq bigint,
      invalidation_id integer REFERENCES petition_invalidations(id),
      UNIQUE (municipality_id, petition_id, user_id)
    );
    CREATE INDEX petition_signatures_unsealed ON petition_signatures (petition_id, id) WHERE ledger_seq IS NULL;
    CREATE INDEX petition_signatures_list ON petition_signatures (petition_id, signed_at DESC, id DESC) WHERE invalidation_id IS NULL;
    CREATE INDEX petition_signatures_recent ON petition_signatures (municipality_id, signed_at);

    -- Signatures already sealed into the ledger and still valid; only the sealing job and invalidation write it.
    CREATE TABLE petition_tallies (
      petition_id integer PRIMARY KEY REFERENCES petitions(id) ON DELETE CASCADE,
      municipality_id integer NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
      sealed_valid integer NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE petition_events (
      id bigserial PRIMARY KEY,
      municipality_id integer NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
      petition_id integer NOT NULL REFERENCES petitions(id) ON DELETE CASCADE,
      kind text NOT NULL,
      actor_id integer REFERENCES users(id) ON DELETE SET NULL,
      note text,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX petition_events_petition ON petition_events (petition_id, id);

    CREATE TABLE petition_blocked_domains (
      municipality_id integer NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
      domain text NOT NULL CHECK (domain ~ '^[a-z0-9.-]+$'),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (municipality_id, domain)
    );
  `);
}
