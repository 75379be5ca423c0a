import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * Sealing no longer rewrites every signature row. Marking each row with its ledger place cost a row lock
 * and a new row version with all its index entries per signature (as much again as the signature's own
 * INSERT) and left a dead tuple per signature that slowed counting until vacuum. Instead:
 * - the signing INSERT also adds the signature to `petition_unsealed`, a short queue the sealing task
 *   empties every second (the exact count is the sealed tally plus this queue's rows of the petition);
 * - each sealed batch is one `petition_seal_batches` row with the signature ids and their ledger places,
 *   which receipts look up.
 * Signatures sealed before this migration are carried over as batches of 5 000.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, `
    -- No foreign keys: each row is written by the statement that writes its signature, and checking them
    -- would take a share lock on the petition's row per signature (the hot row this design avoids).
    CREATE TABLE petition_unsealed (
      municipality_id integer NOT NULL,
      petition_id integer NOT NULL,
      signature_id bigint NOT NULL,
      user_id integer NOT NULL,
      signed_at timestamptz NOT NULL,
      PRIMARY KEY (municipality_id, petition_id, signature_id)
    );

    CREATE TABLE petition_seal_batches (
      id bigserial PRIMARY KEY,
      municipality_id integer NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
      petition_id integer NOT NULL REFERENCES petitions(id) ON DELETE CASCADE,
      first_signature_id bigint NOT NULL,
      last_signature_id bigint NOT NULL,
      -- Ascending signature ids and, position by position, their seq in the petition's chain.
      signature_ids bigint[] NOT NULL,
      seqs bigint[] NOT NULL CHECK (cardinality(seqs) = cardinality(signature_ids)),
      sealed_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX petition_seal_batches_range ON petition_seal_batches (municipality_id, petition_id, first_signature_id);

    INSERT INTO petition_unsealed (municipality_id, petition_id, signature_id, user_id, signed_at)
      SELECT municipality_id, petition_id, id, user_id, signed_at FROM petition_signatures WHERE ledger_seq IS NULL;

    INSERT INTO petition_seal_batches (municipality_id, petition_id, first_signature_id, last_signature_id, signature_ids, seqs)
      SELECT municipality_id, petition_id, min(id), max(id), array_agg(id ORDER BY id), array_agg(ledger_seq ORDER BY id)
      FROM (SELECT municipality_id, petition_id, id, ledger_seq, (row_number() OVER (PARTITION BY petition_id ORDER BY id) - 1) / 5000 AS chunk
            FROM petition_signatures WHERE ledger_seq IS NOT NULL) s
      GROUP BY municipality_id, petition_id, chunk;

    DROP INDEX petition_signatures_unsealed;
    ALTER TABLE petition_signatures DROP COLUMN ledger_seq;
  `);
}
