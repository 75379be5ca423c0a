import type { ModuleManifest } from '../../platform/module.ts';
import { numberedSubject } from '../../platform/audit/audit.subject.ts';
import './pb.policy.ts';
import { registerCyclePages } from './cycles/routes.ts';
import { registerReviewPages } from './review/routes.ts';

/**
 * Participatory ("public") budget: yearly cycles with dated phases, residents' projects, technical review,
 * ballots in the public ledger that anyone can re-count, results, and the implementation of the winners.
 */
export const participatoryBudget: ModuleManifest = {
  id: 'participatory-budget',
  nameKey: 'pb.name',
  summaryKey: 'pb.summary',
  openapi: { tags: [{ name: 'participatory-budget', description: 'Participatory budget cycles, projects, anonymised ballots and results' }] },
  staffPages: [{ path: 'participatory-budget/staff', labelKey: 'pb.staff.home', action: 'pb.dashboard' }],
  auditSubjects: {
    pb_cycle: numberedSubject('pb_cycles', 'participatory-budget/cycles'),
    pb_project: numberedSubject('pb_projects', 'participatory-budget/projects'),
  },
  async routes(app, deps) {
    registerCyclePages(app, deps);
    registerReviewPages(app, deps);
  },
};
