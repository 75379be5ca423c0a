import type { Database } from '../../../db/database.ts';
import type { Municipality } from '../../../db/schema.ts';
import { meetsLevel, type CurrentUser, type VerificationLevel } from '../../../platform/auth/current-user.ts';
import type { Deps } from '../../../platform/http/deps.ts';
import { cycleCategories } from '../cycle.repo.ts';
import type { Category, Cycle } from '../pb.tables.ts';
import { addProjectEvent } from '../project-events.repo.ts';
import { reviewDueAt } from '../review/review.deadline.ts';
import { addFollowerRow, removeFollowerRow } from './people.repo.ts';
import { moveProject, type ProjectRow } from './project.repo.ts';
import { isPublic, submittableNow, WITHDRAWABLE_STATUSES, withdrawableNow } from './project.rules.ts';
import { fitsCategory, isAuthor } from './project.service.ts';

export type SubmitOutcome =
  | { kind: 'submitted' | 'resubmitted' | 'forbidden' | 'closed' }
  | { kind: 'level'; required: VerificationLevel }
  | { kind: 'cost_range'; category: Category; total: number };

/**
 * The author sends a draft to technical review while submission is open, or a project returned for revision
 * back to it before its deadline: status `submitted`, the review due `review_days` working days later, on the
 * timeline. The category's limits are checked again (they may have moved since the draft was saved). A second
 * click, or one after the phase closed, changes nothing (a conditional update).
 */
export async function submitProject(deps: Deps, user: CurrentUser, m: Municipality, cycle: Cycle, p: ProjectRow, now: Date): Promise<SubmitOutcome> {
  if (p.author_id !== user.id) return { kind: 'forbidden' };
  if (!submittableNow(p, cycle, now)) return { kind: 'closed' };
  const required = cycle.submit_level as VerificationLevel;
  if (!meetsLevel(user, m, required)) return { kind: 'level', required };
  const category = (await cycleCategories(deps.db, cycle.id)).find((c) => c.id === p.category_id)!;
  if (!fitsCategory(category, p.cost_total)) return { kind: 'cost_range', category, total: p.cost_total };
  const resubmit = p.status === 'returned';
  return deps.db.transaction().execute(async (trx): Promise<SubmitOutcome> => {
    const due = reviewDueAt(cycle, now, m.time_zone);
    const moved = resubmit
      ? await moveProject(trx, p.id, ['returned'], { status: 'submitted', review_due_at: due }, { resubmitAfter: now })
      : await moveProject(trx, p.id, ['draft'], { status: 'submitted', submitted_at: now, review_due_at: due }, { submissionOpenAt: now });
    if (!moved) return { kind: 'closed' };
    await addProjectEvent(trx, { municipalityId: m.id, projectId: p.id, kind: resubmit ? 'resubmitted' : 'submitted', actorId: user.id });
    return { kind: resubmit ? 'resubmitted' : 'submitted' };
  });
}

export type WithdrawOutcome = { kind: 'withdrawn' | 'forbidden' | 'closed' };

/** The author withdraws the project before voting opens; it leaves every list and ballot. */
export async function withdrawProject(deps: Deps, user: CurrentUser, m: Municipality, cycle: Cycle, p: ProjectRow, now: Date): Promise<WithdrawOutcome> {
  if (p.author_id !== user.id) return { kind: 'forbidden' };
  if (!withdrawableNow(p, cycle, now)) return { kind: 'closed' };
  return deps.db.transaction().execute(async (trx): Promise<WithdrawOutcome> => {
    if (!(await moveProject(trx, p.id, WITHDRAWABLE_STATUSES, { status: 'withdrawn' }, { votingNotOpenAt: now }))) return { kind: 'closed' };
    // A withdrawn draft was never public: its timeline stays its authors'.
    await addProjectEvent(trx, { municipalityId: m.id, projectId: p.id, kind: 'withdrawn', actorId: user.id, public: p.submitted_at !== null });
    return { kind: 'withdrawn' };
  });
}

export type FollowOutcome = { kind: 'followed' | 'already' | 'own' | 'not_public' };

/** Follows a public project's news (the review outcome, results, implementation); its authors hear of it anyway. */
export async function followProject(db: Database, user: CurrentUser, p: ProjectRow): Promise<FollowOutcome> {
  if (!isPublic(p)) return { kind: 'not_public' };
  if (await isAuthor(db, user, p)) return { kind: 'own' };
  return { kind: (await addFollowerRow(db, p, user.id)) ? 'followed' : 'already' };
}

/** Stops following; false when the user did not follow it. */
export async function unfollowProject(db: Database, user: CurrentUser, p: ProjectRow): Promise<boolean> {
  return removeFollowerRow(db, p.id, user.id);
}
