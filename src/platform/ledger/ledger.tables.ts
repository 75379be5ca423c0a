import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, Timestamp } from '../../db/schema.ts';

/** A perfect subtree of a chain's Merkle tree above the leaves: level L, index i covers leaves [i·2^L, (i+1)·2^L). */
export interface LedgerNodeTable {
  municipality_id: number;
  chain: string;
  level: number;
  idx: number | string;
  hash: Buffer;
}

/** The signed checkpoint of a tree size a chain reached (the note as signed, without witnesses' lines). */
export interface LedgerCheckpointTable {
  municipality_id: number;
  chain: string;
  size: number | string;
  root: Buffer;
  note: string;
  created_at: CreatedAt;
}

/** The installation's name in every origin, fixed at first start. One row. */
export interface LedgerLogTable {
  id: boolean;
  name: string;
  created_at: CreatedAt;
}

/** An Ed25519 key of the installation: raw 32-byte public key and seed; it signs until `retires_at`. */
export interface LedgerKeyTable {
  generation: number;
  public_key: Buffer;
  private_key: Buffer;
  created_at: CreatedAt;
  retires_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** A witness's cosignature (c2sp.org/tlog-cosignature) of a checkpoint. */
export interface LedgerCosignatureTable {
  municipality_id: number;
  chain: string;
  size: number | string;
  witness: string;
  key_id: number | string;
  signed_at: Timestamp;
  line: string;
  received_at: CreatedAt;
}

/** An entry waiting to be sealed into its chain (migration 0025): the payload as its canonical JSON. */
export interface LedgerQueueTable {
  id: Generated<number>;
  municipality_id: number;
  chain: string;
  kind: string;
  payload: string;
  ref: string | null;
  created_at: CreatedAt;
}

/** Where a queued entry with a reference landed in its chain. */
export interface LedgerRefTable {
  municipality_id: number;
  chain: string;
  ref: string;
  seq: number | string;
}

/** The ledger's tables, merged into the database's type. */
export interface LedgerTables {
  ledger_queue: LedgerQueueTable;
  ledger_refs: LedgerRefTable;
  ledger_nodes: LedgerNodeTable;
  ledger_checkpoints: LedgerCheckpointTable;
  ledger_log: LedgerLogTable;
  ledger_keys: LedgerKeyTable;
  ledger_cosignatures: LedgerCosignatureTable;
}
