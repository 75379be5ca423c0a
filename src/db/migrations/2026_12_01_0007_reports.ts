import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * Communal problem reports (module `reports`). A report's place is kept as latitude and longitude and as
 * a `point` (x = longitude, y = latitude) under a GiST index, core PostgreSQL on both dialects, so the
 * map's bounding-box query and the nearby-duplicates query use the index without PostGIS.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, `
    CREATE TABLE report_categories (
      id serial PRIMARY KEY,
      municipality_id integer NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
      slug text NOT NULL CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
      names jsonb NOT NULL,
      department_id integer REFERENCES departments(id) ON DELETE SET NULL,
      -- Extra questions: [{ key, kind: text|number|date|single|multiple, required, labels, options: [{ value, labels }] }]
      questions jsonb NOT NULL DEFAULT '[]',
      ack_hours integer NOT NULL DEFAULT 48 CHECK (ack_hours BETWEEN 1 AND 8760),
      fix_days integer NOT NULL DEFAULT 10 CHECK (fix_days BETWEEN 1 AND 3650),
      active boolean NOT NULL DEFAULT true,
      position integer NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (municipality_id, slug)
    );

    CREATE TABLE reports (
      id bigserial PRIMARY KEY,
      municipality_id integer NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
      number integer NOT NULL,
      category_id integer NOT NULL REFERENCES report_categories(id),
      department_id integer REFERENCES departments(id) ON DELETE SET NULL,
      status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'acknowledged', 'in_progress', 'scheduled', 'fixed', 'closed')),
      close_reason text CHECK (close_reason IN ('not_responsible', 'duplicate', 'no_action')),
      duplicate_of integer,
      title text NOT NULL CHECK (length(title) BETWEEN 5 AND 120),
      description text NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
      lat double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
      lng double precision NOT NULL CHECK (lng BETWEEN -180 AND 180),
      location point NOT NULL,
      -- false when the resident gave only an address: the point is then the municipality's centre until staff place it.
      located boolean NOT NULL DEFAULT true,
      address text CHECK (length(address) <= 300),
      author_id integer REFERENCES users(id),
      show_name boolean NOT NULL DEFAULT false,
      answers jsonb NOT NULL DEFAULT '{}',
      supporters integer NOT NULL DEFAULT 0,
      -- Reports that came through Open311: the key that sent them, the contact given (staff only) and the token.
      source text NOT NULL DEFAULT 'web' CHECK (source IN ('web', 'open311')),
      api_key_id integer,
      contact jsonb,
      open311_token text,
      created_at timestamptz NOT NULL DEFAULT now(),
      acknowledged_at timestamptz,
      fixed_at timestamptz,
      closed_at timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (municipality_id, number),
      UNIQUE (municipality_id, open311_token)
    );
    CREATE INDEX reports_location ON reports USING gist (location);
    CREATE INDEX reports_list ON reports (municipality_id, status, created_at DESC);
    CREATE INDEX reports_department ON reports (municipality_id, department_id, status, created_at);
    CREATE INDEX reports_author ON reports (author_id);

    CREATE TABLE report_events (
      id bigserial PRIMARY KEY,
      municipality_id integer NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
      report_id bigint NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
      kind text NOT NULL,
      from_status text,
      to_status text,
      note text CHECK (length(note) <= 5000),
      public boolean NOT NULL DEFAULT true,
      actor_id integer REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX report_events_report ON report_events (report_id, id);

    -- Keys an administrator issues to an Open311 client (an app, a call centre); only the hash is kept.
    CREATE TABLE open311_keys (
      id serial PRIMARY KEY,
      municipality_id integer NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
      name text NOT NULL CHECK (length(name) BETWEEN 2 AND 120),
      key_hash text NOT NULL,
      created_by integer REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz,
      UNIQUE (municipality_id, key_hash)
    );
    ALTER TABLE reports ADD CONSTRAINT reports_api_key FOREIGN KEY (api_key_id) REFERENCES open311_keys(id);

    -- A resident's area: new reports placed within radius_m of the point (of one category, or any) are told to them.
    CREATE TABLE report_subscriptions (
      id serial PRIMARY KEY,
      municipality_id integer NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
      user_id integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      lat double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
      lng double precision NOT NULL CHECK (lng BETWEEN -180 AND 180),
      radius_m integer NOT NULL CHECK (radius_m BETWEEN 50 AND 10000),
      category_id integer REFERENCES report_categories(id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX report_subscriptions_area ON report_subscriptions (municipality_id);
    CREATE INDEX report_subscriptions_user ON report_subscriptions (user_id);

    -- Photos of the problem (by its reporter) and of the fix (by staff), stored as normalised JPEGs.
    CREATE TABLE report_photos (
      municipality_id integer NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
      report_id bigint NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
      file_id text NOT NULL REFERENCES files(id),
      kind text NOT NULL CHECK (kind IN ('report', 'fix')),
      created_by integer REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (municipality_id, report_id, file_id)
    );

    -- Ready answers officials start a public message from ("Thank you, the crew comes out this week").
    CREATE TABLE report_templates (
      id serial PRIMARY KEY,
      municipality_id integer NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
      title text NOT NULL CHECK (length(title) BETWEEN 2 AND 120),
      body text NOT NULL CHECK (length(body) BETWEEN 2 AND 2000),
      created_by integer REFERENCES users(id),
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX report_templates_municipality ON report_templates (municipality_id);

    -- "Me too": residents who have the same problem follow the report instead of filing a duplicate.
    CREATE TABLE report_supporters (
      municipality_id integer NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
      report_id bigint NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
      user_id integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (municipality_id, report_id, user_id)
    );
    CREATE INDEX report_supporters_user ON report_supporters (user_id);
  `);
}
