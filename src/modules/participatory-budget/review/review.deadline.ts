import { addWorkingDays } from '../../../platform/time/working-days.ts';
import type { Cycle } from '../pb.tables.ts';

/**
 * When the technical review of a project submitted at `submittedAt` is due: the end of the cycle's
 * `review_days`-th working day after the submission's local day, in the municipality's time zone. The projects
 * part calls it on every submission and resubmission (a returned project gets a fresh deadline).
 */
export function reviewDueAt(cycle: Pick<Cycle, 'review_days'>, submittedAt: Date, timeZone: string): Date {
  return addWorkingDays(submittedAt, cycle.review_days, timeZone);
}
