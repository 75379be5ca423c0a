import { addWorkingDays } from '../../../platform/time/working-days.ts';
import type { Cycle } from '../pb.tables.ts';

/**
 * When the technical review of a project (re)submitted at `submittedAt` is due: the end of the cycle's
 * `review_days`-th working day after it, in the municipality's time zone.
 * Stands in for the review part's `reviewDueAt` (review/review.deadline.ts, same signature) until it lands here.
 */
export function dueAt(cycle: Pick<Cycle, 'review_days'>, submittedAt: Date, timeZone: string): Date {
  return addWorkingDays(submittedAt, cycle.review_days, timeZone);
}
