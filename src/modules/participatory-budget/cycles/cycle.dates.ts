import { phaseAt, type Phase } from '../phase.ts';
import type { Cycle } from '../pb.tables.ts';

/**
 * A cycle's dates, and the rules for changing them once the cycle is published (residents plan by them):
 *
 * - a date already past cannot change (the phase it opened has begun, or the one it closed is over);
 * - a date still ahead may move, but never into the past;
 * - the end of the phase now running (its deadline, and the start of the next phase) may only move later,
 *   so nobody loses time they were promised: submission, review or voting can be extended, never cut short.
 *
 * Drafts are seen by staff only, so only the order of their dates is checked. The order is the migration's CHECK.
 */
export const DATE_COLUMNS = ['submission_opens', 'submission_closes', 'review_closes', 'revision_closes', 'voting_opens', 'voting_closes', 'implementation_opens'] as const;
export type DateColumn = (typeof DATE_COLUMNS)[number];
export type CycleDates = Pick<Cycle, DateColumn>;

/** Each pair: the later date must be after the earlier one (`strict`) or not before it. */
const ORDER: [DateColumn, DateColumn, boolean][] = [
  ['submission_opens', 'submission_closes', true],
  ['submission_closes', 'review_closes', false],
  ['review_closes', 'revision_closes', false],
  ['revision_closes', 'voting_opens', false],
  ['review_closes', 'voting_opens', false],
  ['voting_opens', 'voting_closes', true],
  ['voting_closes', 'implementation_opens', false],
];

export type OrderProblem = { field: DateColumn; after: DateColumn; strict: boolean };

/** The dates out of order, each named once (by the later of its pair), as the database's CHECK would refuse them. */
export function dateOrderProblems(d: CycleDates): OrderProblem[] {
  const out: OrderProblem[] = [];
  for (const [earlier, later, strict] of ORDER) {
    const a = d[earlier];
    const b = d[later];
    if (!a || !b || out.some((p) => p.field === later)) continue;
    if (strict ? a.getTime() >= b.getTime() : a.getTime() > b.getTime()) out.push({ field: later, after: earlier, strict });
  }
  return out;
}

/** Which date is the deadline of each phase that has one, beside the start of the next phase. */
const DEADLINE: Partial<Record<Phase, DateColumn>> = { information: 'submission_opens', submission: 'submission_closes', review: 'review_closes', revision: 'revision_closes', voting: 'voting_closes', results: 'implementation_opens' };

export type ChangeProblem = { field: DateColumn; code: 'passed' | 'before_now' | 'only_later'; was: Date | null };

const same = (a: Date | null, b: Date | null) => (a === null ? b === null : b !== null && a.getTime() === b.getTime());

/** Why each changed date of a published cycle may not change so (see above); empty when the change is allowed. */
export function dateChangeProblems(old: Cycle, next: CycleDates, now: Date): ChangeProblem[] {
  const running = phaseAt(old, now);
  const ends = new Set<DateColumn>(DATE_COLUMNS.filter((c) => old[c] !== null && running.until !== null && old[c]!.getTime() === running.until.getTime()));
  const deadline = DEADLINE[running.phase];
  if (deadline && old[deadline] && old[deadline]! > now) ends.add(deadline);
  const out: ChangeProblem[] = [];
  for (const field of DATE_COLUMNS) {
    const was = old[field];
    const to = next[field];
    if (same(was, to)) continue;
    // Adding or dropping the revision phase changes what follows the review: not once the review is over.
    const passed = (was !== null && was <= now) || (field === 'revision_closes' && old.review_closes <= now && was === null);
    if (passed) out.push({ field, code: 'passed', was });
    else if (to !== null && to < now) out.push({ field, code: 'before_now', was });
    else if (ends.has(field) && was !== null && (to === null || to < was)) out.push({ field, code: 'only_later', was });
  }
  return out;
}
