import type { Kysely } from 'kysely';
import { runStatements } from './run-statements.ts';

/**
 * The platform's ledger queue (platform/ledger/queue.ts): a module records an act and, in the same transaction,
 * the entry to append for it; a periodic task seals each chain's queue in id order under the chain's lock.
 * - `ledger_queue`: entries waiting, with the module's reference for each (a ballot's voter and version), the
 *   payload as its canonical JSON (exactly what will be hashed). No foreign keys: checking them would
 *   share-lock the municipality's row once per act during a rush.
 * - `ledger_refs`: where each referenced entry landed (its seq), so a receipt can find its entry.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, `
    CREATE TABLE ledger_queue (
      id bigserial PRIMARY KEY,
      municipality_id integer NOT NULL,
      chain text NOT NULL,
      kind text NOT NULL,
      payload text NOT NULL,
      ref text,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX ledger_queue_chain ON ledger_queue (municipality_id, chain, id);

    CREATE TABLE ledger_refs (
      municipality_id integer NOT NULL,
      chain text NOT NULL,
      ref text NOT NULL,
      seq bigint NOT NULL,
      PRIMARY KEY (municipality_id, chain, ref)
    );
  `);
}
