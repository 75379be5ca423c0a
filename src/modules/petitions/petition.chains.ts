import type { LedgerChains } from '../../platform/module.ts';
import { petitionMeaning } from './data/verify-ledger.ts';
import { findPetition } from './petition.repo.ts';
import { canSee } from './web/common.tsx';

/** Petitions' chains in the public ledger: `petition:<number>`, readable by anyone when the petition is. */
export const petitionChains: LedgerChains = {
  prefix: 'petition',
  async visible(db, m, key) {
    if (!/^[1-9][0-9]{0,8}$/.test(key)) return false;
    const p = await findPetition(db, m.id, Number(key));
    return p !== undefined && canSee(null, m, p);
  },
  page: (m, key) => `/${m.slug}/petitions/${key}/ledger`,
  meaning: petitionMeaning,
};
