import type { ModuleManifest } from '../../platform/module.ts';
import { ballotChains, paperBallotSubject, registerBallotRoutes, sealBallots } from './ballots/index.ts';
import './pb.policy.ts';

/**
 * Participatory ("public") budget: yearly cycles with dated phases, residents' projects, technical review,
 * ballots in the public ledger that anyone can re-count, results, and the implementation of the winners.
 */
export const participatoryBudget: ModuleManifest = {
  id: 'participatory-budget',
  nameKey: 'pb.name',
  summaryKey: 'pb.summary',
  openapi: { tags: [{ name: 'participatory-budget', description: 'Participatory budget cycles, projects, anonymised ballots and results' }] },
  routes(app, deps) {
    registerBallotRoutes(app, deps);
  },
  periodic: [sealBallots],
  ledger: ballotChains,
  staffPages: [{ path: 'participatory-budget/staff/paper', labelKey: 'pb.paper.title', action: 'pb.paper' }],
  auditSubjects: { pb_ballot: paperBallotSubject },
};
