import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/** The platform core: tenancy, accounts, jobs, notifications, audit, files, ledger. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, `
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE EXTENSION IF NOT EXISTS unaccent;

    CREATE TABLE association (
      id serial PRIMARY KEY,
      names jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE municipalities (
      id serial PRIMARY KEY,
      slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
      names jsonb NOT NULL,
      official_code text NOT NULL,
      population integer NOT NULL DEFAULT 0 CHECK (population >= 0),
      center_lat double precision NOT NULL,
      center_lng double precision NOT NULL,
      zoom integer NOT NULL DEFAULT 13,
      enabled_modules jsonb NOT NULL DEFAULT '[]',
      settings jsonb NOT NULL DEFAULT '{}',
      default_locale text NOT NULL,
      currency text NOT NULL,
      time_zone text NOT NULL DEFAULT 'Europe/Kyiv',
      logo_file_id text,
      host text UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE departments (
      id serial PRIMARY KEY,
      municipality_id integer NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
      slug text NOT NULL,
      names jsonb NOT NULL,
      email text,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (municipality_id, slug)
    );

    CREATE TABLE users (
      id serial PRIMARY KEY,
      email text UNIQUE,
      password_hash text,
      full_name text NOT NULL,
      locale text NOT NULL,
      email_verified_at timestamptz,
      identity_verified_at timestamptz,
      identity_provider text,
      identity_subject text,
      residence_municipality_id integer REFERENCES municipalities(id) ON DELETE SET NULL,
      platform_role text CHECK (platform_role IN ('platform_admin', 'association_admin')),
      deleted_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (identity_provider, identity_subject)
    );

    CREATE TABLE memberships (
      municipality_id integer NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
      user_id integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      role text NOT NULL CHECK (role IN ('moderator', 'official', 'admin')),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (municipality_id, user_id, role)
    );
    CREATE INDEX memberships_user ON memberships (user_id);

    CREATE TABLE official_departments (
      municipality_id integer NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
      user_id integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      department_id integer NOT NULL REFERENCES departments(id) ON DELETE CASCADE,
      PRIMARY KEY (municipality_id, user_id, department_id)
    );

    CREATE TABLE resident_verifications (
      municipality_id integer NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
      user_id integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      method text NOT NULL CHECK (method IN ('official', 'census')),
      verified_by integer REFERENCES users(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (municipality_id, user_id)
    );

    CREATE TABLE census_entries (
      municipality_id integer NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
      identifier text NOT NULL,
      uploaded_by integer REFERENCES users(id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (municipality_id, identifier)
    );

    CREATE TABLE sessions (
      id text PRIMARY KEY,
      user_id integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      last_seen_at timestamptz NOT NULL,
      ip text,
      user_agent text
    );
    CREATE INDEX sessions_user ON sessions (user_id);

    CREATE TABLE tokens (
      id text PRIMARY KEY,
      user_id integer REFERENCES users(id) ON DELETE CASCADE,
      purpose text NOT NULL,
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE jobs (
      id bigserial PRIMARY KEY,
      kind text NOT NULL,
      payload jsonb NOT NULL DEFAULT '{}',
      municipality_id integer REFERENCES municipalities(id) ON DELETE CASCADE,
      state text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'dead')),
      attempts integer NOT NULL DEFAULT 0,
      max_attempts integer NOT NULL DEFAULT 5,
      run_at timestamptz NOT NULL DEFAULT now(),
      locked_until timestamptz,
      last_error text,
      dedupe_key text UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX jobs_ready ON jobs (run_at) WHERE state IN ('queued', 'running');

    CREATE TABLE notifications (
      id bigserial PRIMARY KEY,
      user_id integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      municipality_id integer REFERENCES municipalities(id) ON DELETE CASCADE,
      kind text NOT NULL,
      params jsonb NOT NULL DEFAULT '{}',
      link text,
      read_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX notifications_user ON notifications (user_id, created_at DESC);

    CREATE TABLE notification_preferences (
      user_id integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      kind text NOT NULL,
      email boolean NOT NULL,
      in_app boolean NOT NULL,
      PRIMARY KEY (user_id, kind)
    );

    CREATE TABLE outbox (
      id bigserial PRIMARY KEY,
      to_address text NOT NULL,
      subject text NOT NULL,
      text_body text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE audit_log (
      id bigserial PRIMARY KEY,
      municipality_id integer REFERENCES municipalities(id) ON DELETE CASCADE,
      actor_id integer REFERENCES users(id) ON DELETE SET NULL,
      action text NOT NULL,
      subject_type text NOT NULL,
      subject_id text,
      before jsonb,
      after jsonb,
      ip text,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX audit_log_municipality ON audit_log (municipality_id, created_at DESC);

    CREATE TABLE files (
      id text PRIMARY KEY,
      municipality_id integer REFERENCES municipalities(id) ON DELETE CASCADE,
      owner_id integer REFERENCES users(id) ON DELETE SET NULL,
      mime text NOT NULL,
      size integer NOT NULL,
      sha256 text NOT NULL,
      original_name text NOT NULL,
      storage_key text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE ledger_entries (
      id bigserial PRIMARY KEY,
      municipality_id integer NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
      chain text NOT NULL,
      seq bigint NOT NULL,
      kind text NOT NULL,
      payload jsonb NOT NULL,
      prev_hash text NOT NULL,
      hash text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (municipality_id, chain, seq)
    );

    CREATE TABLE rate_limits (
      key text PRIMARY KEY,
      count integer NOT NULL,
      reset_at timestamptz NOT NULL
    );

    CREATE TABLE secrets (
      name text PRIMARY KEY,
      value text NOT NULL
    );
  `);
}
