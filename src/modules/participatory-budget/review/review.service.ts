import type { Transaction } from 'kysely';
import type { DB, Municipality } from '../../../db/schema.ts';
import { audit } from '../../../platform/audit/audit.ts';
import type { Deps } from '../../../platform/http/deps.ts';
import { notify, registerNotificationKinds } from '../../../platform/notify/notify.service.ts';
import { countedCost } from '../cost.ts';
import { findCycleById } from '../cycle.repo.ts';
import { frozenSince, type Actor } from '../cycles/cycle.service.ts';
import type { Project } from '../pb.tables.ts';
import { addProjectEvent, projectAudience } from '../project-events.repo.ts';
import { categoryOf, findProject, isDepartmentOf, reviewProject, type ReviewSet } from './review.repo.ts';

registerNotificationKinds('pb.review');

/** The department's estimate and the responsible department, as the official typed them (null: none). */
export interface Estimate { departmentCost: number | null; departmentId: number | null }

export type Decision =
  | { kind: 'estimate' }
  | { kind: 'admitted'; note: string | null }
  | { kind: 'returned'; note: string; resubmitBy: Date }
  | { kind: 'rejected'; note: string };

export type ReviewOutcome =
  | { kind: 'done' }
  | { kind: 'unchanged' }
  | { kind: 'stale' }
  | { kind: 'gone' }
  | { kind: 'frozen'; since: Date }
  | { kind: 'unknown_department' }
  | { kind: 'outside_limits'; min: number; max: number; cost: number }
  | { kind: 'resubmit_past' }
  | { kind: 'resubmit_after_voting'; votingOpens: Date };

const auditReview = (trx: Transaction<DB>, actor: Actor, p: Project, action: string, before: unknown, after: unknown) =>
  audit(trx, { municipalityId: p.municipality_id, actorId: actor.id, action, subjectType: 'pb_project', subjectId: p.number, before, after, ip: actor.ip });

/** What the decision writes on the project besides the estimate. */
function decisionSet(d: Exclude<Decision, { kind: 'estimate' }>, now: Date): ReviewSet {
  return { status: d.kind, decided_at: now, decision_note: d.note, resubmit_by: d.kind === 'returned' ? d.resubmitBy : null };
}

/**
 * A review step on a submitted project: the department's estimate and responsible department, with or without a
 * decision (admitted; returned for revision with comments and a resubmission deadline; not admitted with a public
 * reason). Refused once the cycle is frozen (a ballot exists: the admitted projects and their costs are in the
 * ledger's cycle entry), for a project that is no longer the submission the form showed (`version`), for an
 * estimate that takes an admitted project outside its category's cost limits, and for a deadline in the past or
 * after voting opens. A decision is audited, on the public timeline and told to the project's audience, in one
 * transaction; a changed estimate is audited and on the timeline too.
 */
export async function reviewStep(deps: Deps, actor: Actor, m: Pick<Municipality, 'id' | 'slug'>, number: number, version: number, estimate: Estimate, d: Decision, now: Date): Promise<ReviewOutcome> {
  return deps.db.transaction().execute(async (trx): Promise<ReviewOutcome> => {
    const p = await findProject(trx, m.id, number, { lock: true });
    if (!p) return { kind: 'gone' };
    if (p.status !== 'submitted' || !p.submitted_at || Math.abs(p.submitted_at.getTime() - version) >= 1) return { kind: 'stale' };
    const cycle = (await findCycleById(trx, m.id, p.cycle_id))!;
    if (estimate.departmentId !== null) {
      if (!(await isDepartmentOf(trx, m.id, estimate.departmentId))) return { kind: 'unknown_department' };
    }
    const estimateChanged = estimate.departmentCost !== p.department_cost;
    const changed = estimateChanged || estimate.departmentId !== p.department_id;
    if (d.kind === 'estimate' && !changed) return { kind: 'unchanged' };
    const since = await frozenSince(trx, cycle.id);
    if (since) return { kind: 'frozen', since };
    if (d.kind === 'admitted') {
      const category = await categoryOf(trx, p.category_id);
      const cost = countedCost({ cost_total: p.cost_total, department_cost: estimate.departmentCost });
      if (cost < category.min_cost || cost > category.max_cost) return { kind: 'outside_limits', min: category.min_cost, max: category.max_cost, cost };
    }
    if (d.kind === 'returned') {
      if (d.resubmitBy <= now) return { kind: 'resubmit_past' };
      if (d.resubmitBy > cycle.voting_opens) return { kind: 'resubmit_after_voting', votingOpens: cycle.voting_opens };
    }
    const set: ReviewSet = { department_cost: estimate.departmentCost, department_id: estimate.departmentId, ...(d.kind === 'estimate' ? {} : decisionSet(d, now)) };
    if (!(await reviewProject(trx, p.id, version, set, now))) return { kind: 'stale' };
    if (estimateChanged) {
      await addProjectEvent(trx, { municipalityId: m.id, projectId: p.id, kind: 'estimate', actorId: actor.id, data: { cost: estimate.departmentCost } });
    }
    if (changed) {
      await auditReview(trx, actor, p, 'pb.review.estimate', { department_cost: p.department_cost, department_id: p.department_id },
        { department_cost: estimate.departmentCost, department_id: estimate.departmentId });
    }
    if (d.kind === 'estimate') return { kind: 'done' };
    const resubmitBy = d.kind === 'returned' ? d.resubmitBy.toISOString() : null;
    await addProjectEvent(trx, { municipalityId: m.id, projectId: p.id, kind: d.kind, actorId: actor.id, note: d.note, data: resubmitBy ? { resubmitBy } : {} });
    await auditReview(trx, actor, p, `pb.review.${d.kind}`, { status: p.status }, { status: d.kind, note: d.note, resubmitBy });
    for (const userId of await projectAudience(trx, p.id)) {
      await notify(trx, {
        userId, municipalityId: m.id, kind: 'pb.review', link: `/${m.slug}/participatory-budget/projects/${p.number}`,
        params: { number: p.number, title: p.title, decision: d.kind, noted: d.note ? 'yes' : 'no', note: d.note ?? '' },
      });
    }
    return { kind: 'done' };
  });
}
