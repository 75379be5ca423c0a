import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * Districts of a municipality (platform) and reports from guests (module `reports`).
 * - A district (a city district, a village of the hromada) is one or more `polygon` parts (x = longitude,
 *   y = latitude) under a GiST index; `shape @> point` finds the district of a place on both dialects.
 * - A guest's report waits in `report_pending` until its e-mail link is followed; only the hash of the
 *   link's token is kept, and rows are forgotten once they expire.
 * - A resident may follow a district instead of a circle around a point.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, `
    CREATE TABLE districts (
      id serial PRIMARY KEY,
      municipality_id integer NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
      slug text NOT NULL CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
      names jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (municipality_id, slug)
    );

    CREATE TABLE district_parts (
      id serial PRIMARY KEY,
      municipality_id integer NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
      district_id integer NOT NULL REFERENCES districts(id) ON DELETE CASCADE,
      shape polygon NOT NULL
    );
    CREATE INDEX district_parts_shape ON district_parts USING gist (shape);
    CREATE INDEX district_parts_district ON district_parts (district_id);

    CREATE TABLE report_pending (
      municipality_id integer NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
      token_hash text NOT NULL,
      email text NOT NULL,
      full_name text NOT NULL,
      locale text NOT NULL,
      report jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      confirmed_at timestamptz,
      report_number integer,
      PRIMARY KEY (municipality_id, token_hash)
    );
    CREATE INDEX report_pending_expiry ON report_pending (expires_at);

    ALTER TABLE report_subscriptions
      ALTER COLUMN lat DROP NOT NULL,
      ALTER COLUMN lng DROP NOT NULL,
      ALTER COLUMN radius_m DROP NOT NULL,
      ADD COLUMN district_id integer REFERENCES districts(id) ON DELETE CASCADE,
      ADD CONSTRAINT report_subscriptions_area_or_district CHECK (
        (district_id IS NULL AND lat IS NOT NULL AND lng IS NOT NULL AND radius_m IS NOT NULL)
        OR (district_id IS NOT NULL AND lat IS NULL AND lng IS NULL AND radius_m IS NULL));
  `);
}
