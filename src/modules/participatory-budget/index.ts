import type { ModuleManifest } from '../../platform/module.ts';
import { numberedSubject } from '../../platform/audit/audit.subject.ts';
import './pb.policy.ts';
import { ballotChains, paperBallotSubject, registerBallotRoutes, sealBallots } from './ballots/index.ts';
import { registerCyclePages } from './cycles/routes.ts';
import { PB_EXPORTS } from './data/exports.ts';
import { pbDemo } from './demo/pb.demo.ts';
import { registerPbData } from './data/routes.ts';
import { registerImplementation } from './implementation/routes.ts';
import { projectPages, registerProjectPages } from './projects/routes.ts';
import { pbMeaning } from './results/meaning.ts';
import { registerResults } from './results/routes.ts';
import { registerReviewPages } from './review/routes.ts';
import { registerStatistics } from './stats/routes.ts';

/**
 * Participatory ("public") budget: yearly cycles with dated phases, residents' projects, technical review,
 * ballots in the public ledger that anyone can re-count, results, and the implementation of the winners.
 */
export const participatoryBudget: ModuleManifest = {
  id: 'participatory-budget',
  nameKey: 'pb.name',
  summaryKey: 'pb.summary',
  openapi: { tags: [{ name: 'participatory-budget', description: 'Participatory budget cycles, projects, anonymised ballots and results' }] },
  staffPages: [
    { path: 'participatory-budget/staff', labelKey: 'pb.staff.home', action: 'pb.dashboard' },
    { path: 'participatory-budget/staff/paper', labelKey: 'pb.paper.title', action: 'pb.paper' },
    { path: 'participatory-budget/staff/implementation', labelKey: 'pb.impl.staff.title', action: 'pb.implement' },
  ],
  auditSubjects: {
    pb_cycle: numberedSubject('pb_cycles', 'participatory-budget/cycles'),
    pb_project: numberedSubject('pb_projects', 'participatory-budget/projects'),
    pb_ballot: paperBallotSubject,
  },
  async routes(app, deps) {
    registerCyclePages(app, deps);
    registerReviewPages(app, deps);
    registerProjectPages(app, deps);
    registerBallotRoutes(app, deps);
    registerImplementation(app, deps);
    registerStatistics(app, deps);
    registerPbData(app, deps);
    registerResults(app, deps);
  },
  periodic: [sealBallots],
  ledger: { ...ballotChains, meaning: pbMeaning },
  exports: PB_EXPORTS,
  publicPages: projectPages,
  demo: pbDemo,
};
