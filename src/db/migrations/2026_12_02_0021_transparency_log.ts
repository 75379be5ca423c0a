import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * The ledger as a transparency log (docs/LEDGER.md, platform/ledger):
 * - each entry's Merkle leaf hash beside it, and the tree's other perfect subtrees (level ≥ 1) per chain;
 * - the signed checkpoint of every tree size a seal reached;
 * - the installation's name (the first part of every chain's origin, fixed at first start) and its Ed25519
 *   keys by generation, with when each stops signing (rotation with an overlap);
 * - witnesses' cosignatures of checkpoints.
 * Entries written before this migration get their leaves, nodes and a checkpoint at the next start.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, `
    ALTER TABLE ledger_entries ADD COLUMN leaf bytea;
    -- Empty once every tree is built: the check at each start reads nothing.
    CREATE INDEX ledger_entries_without_leaf ON ledger_entries (municipality_id, chain) WHERE leaf IS NULL;

    CREATE TABLE ledger_nodes (
      municipality_id integer NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
      chain text NOT NULL,
      level smallint NOT NULL CHECK (level >= 1),
      idx bigint NOT NULL,
      hash bytea NOT NULL,
      PRIMARY KEY (municipality_id, chain, level, idx)
    );

    CREATE TABLE ledger_checkpoints (
      municipality_id integer NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
      chain text NOT NULL,
      size bigint NOT NULL CHECK (size >= 1),
      root bytea NOT NULL,
      note text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (municipality_id, chain, size)
    );

    CREATE TABLE ledger_log (
      id boolean PRIMARY KEY DEFAULT true CHECK (id),
      name text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE ledger_keys (
      generation integer PRIMARY KEY,
      public_key bytea NOT NULL UNIQUE,
      private_key bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      retires_at timestamptz
    );

    CREATE TABLE ledger_cosignatures (
      municipality_id integer NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
      chain text NOT NULL,
      size bigint NOT NULL,
      witness text NOT NULL,
      key_id bigint NOT NULL,
      signed_at timestamptz NOT NULL,
      line text NOT NULL,
      received_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (municipality_id, chain, size, witness)
    );
  `);
}
