import type { Database } from '../../db/database.ts';
import { entryLeaf, ledgerEntries } from './ledger.ts';
import { lockChain } from './ledger.repo.ts';
import { signCheckpoint } from './log.ts';
import { appendLeaves, frontier, nodeKey } from './merkle.ts';
import { chainsWithoutTree, deleteNodes, insertNodes, setLeaves } from './tree.repo.ts';

/**
 * Gives chains written before the Merkle tree existed their leaves, nodes and a checkpoint of their present
 * size; run at start. Each chain is rebuilt from its entries in one transaction under its lock.
 */
export async function buildMissingTrees(db: Database): Promise<number> {
  let built = 0;
  for (;;) {
    const chains = await chainsWithoutTree(db, 20);
    if (chains.length === 0) return built;
    for (const { municipalityId, chain } of chains) {
      await db.transaction().execute(async (trx) => {
        await lockChain(trx, municipalityId, chain);
        await deleteNodes(trx, municipalityId, chain);
        let size = 0;
        let known = new Map<string, Buffer>();
        let root: Buffer | null = null;
        for (;;) {
          const page = await ledgerEntries(trx, municipalityId, chain, { afterSeq: size, limit: 10_000 });
          if (page.length === 0) break;
          const leaves = page.map((e) => entryLeaf(e));
          await setLeaves(trx, municipalityId, chain, page.map((e, i) => ({ seq: e.seq, leaf: leaves[i]! })));
          const grown = appendLeaves(size, known, leaves);
          await insertNodes(trx, municipalityId, chain, grown.stored);
          size += page.length;
          // Only the frontier is needed to go on.
          const all = new Map([...known, ...grown.stored.map((n) => [nodeKey(n), n.hash] as const)]);
          known = new Map(frontier(size).map((r) => [nodeKey(r), all.get(nodeKey(r))!]));
          root = grown.root;
        }
        if (root) await signCheckpoint(trx, municipalityId, chain, size, root);
      });
      built += 1;
    }
  }
}
