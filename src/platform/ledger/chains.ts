import type { Database } from '../../db/database.ts';
import type { Municipality } from '../../db/schema.ts';
import type { LedgerChains } from '../module.ts';
import { enabledModules } from '../modules-registry.ts';

/** A chain name as the API takes it: `<prefix>:<key>`, e.g. `petition:12`. */
export const CHAIN_PATTERN = '^[a-z][a-z0-9-]{0,30}:[A-Za-z0-9_:-]{1,100}$';

/** The module that writes a chain, if the municipality has it on, with the chain's key. */
export function chainOwner(m: Municipality, chain: string): { chains: LedgerChains; key: string } | undefined {
  const at = chain.indexOf(':');
  if (at < 1) return undefined;
  const prefix = chain.slice(0, at);
  const chains = enabledModules(m).map((mod) => mod.ledger).find((l) => l?.prefix === prefix);
  return chains ? { chains, key: chain.slice(at + 1) } : undefined;
}

/** Whether anyone may read a chain of this municipality (its module says; unknown chains are not). */
export async function chainVisible(db: Database, m: Municipality, chain: string): Promise<boolean> {
  const owner = chainOwner(m, chain);
  return owner ? owner.chains.visible(db, m, owner.key) : false;
}
