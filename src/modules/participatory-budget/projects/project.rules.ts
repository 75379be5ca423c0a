import { submissionOpen } from '../phase.ts';
import type { Cycle, Project, ProjectStatus } from '../pb.tables.ts';

/**
 * When the authors of a project may do what, as pure functions of the project, its cycle and `now` (taken once
 * per request). The services check them first and their conditional updates check them again in SQL, so a
 * phase that closes while a form is open changes nothing.
 *
 * - Edit: a draft or a submitted project while submission is open; a project returned for revision until its
 *   resubmission deadline.
 * - Submit: a draft while submission is open. Resubmit: a returned project until its deadline.
 * - Withdraw: any project not yet decided against (draft, submitted, returned, admitted) until voting opens.
 */

type Dates = Pick<Cycle, 'status' | 'submission_opens' | 'submission_closes' | 'review_closes' | 'revision_closes' | 'voting_opens' | 'voting_closes' | 'implementation_opens' | 'results_published_at'>;
type State = Pick<Project, 'status' | 'resubmit_by'>;

/** Statuses the public sees in lists (funded and not funded are the admitted ones after results). */
export const PUBLIC_STATUSES: readonly ProjectStatus[] = ['submitted', 'returned', 'admitted', 'rejected'];
/** Statuses in which the authors may still change the project (and when: see editableNow). */
export const EDITABLE_STATUSES: readonly ProjectStatus[] = ['draft', 'submitted', 'returned'];
/** Statuses a project may be withdrawn from, before voting opens. */
export const WITHDRAWABLE_STATUSES: readonly ProjectStatus[] = ['draft', 'submitted', 'returned', 'admitted'];

/** Whether residents may submit projects to the cycle now (a published cycle in its submission phase). */
export const acceptsProjects = (c: Dates, now: Date) => c.status === 'published' && submissionOpen(c, now);

/** Whether a returned project may still be corrected and resubmitted. */
const revisable = (p: State, now: Date) => p.status === 'returned' && p.resubmit_by !== null && now < p.resubmit_by;

/** Whether the authors may change the project now. */
export function editableNow(p: State, c: Dates, now: Date): boolean {
  return ((p.status === 'draft' || p.status === 'submitted') && acceptsProjects(c, now)) || revisable(p, now);
}

/** Whether the author may submit (a draft) or resubmit (a returned project) now. */
export function submittableNow(p: State, c: Dates, now: Date): boolean {
  return (p.status === 'draft' && acceptsProjects(c, now)) || revisable(p, now);
}

/** Whether the author may withdraw the project now. */
export function withdrawableNow(p: State, c: Pick<Cycle, 'voting_opens'>, now: Date): boolean {
  return WITHDRAWABLE_STATUSES.includes(p.status) && now < c.voting_opens;
}

/** Whether everyone may see the project: once it was submitted (a withdrawn draft stays its authors'). */
export const isPublic = (p: Pick<Project, 'status' | 'submitted_at'>) => p.status !== 'draft' && p.submitted_at !== null;
