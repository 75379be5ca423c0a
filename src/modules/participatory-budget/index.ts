import type { ModuleManifest } from '../../platform/module.ts';
import './pb.policy.ts';
import { projectPages, registerProjectPages } from './projects/routes.ts';

/**
 * Participatory ("public") budget: yearly cycles with dated phases, residents' projects, technical review,
 * ballots in the public ledger that anyone can re-count, results, and the implementation of the winners.
 */
export const participatoryBudget: ModuleManifest = {
  id: 'participatory-budget',
  nameKey: 'pb.name',
  summaryKey: 'pb.summary',
  openapi: { tags: [{ name: 'participatory-budget', description: 'Participatory budget cycles, projects, anonymised ballots and results' }] },
  async routes(app, deps) {
    registerProjectPages(app, deps);
  },
  publicPages: projectPages,
};
