import type { PetitionStatus } from '../../db/schema.ts';

/** Statuses in which the petition collects signatures (co-signers or the public). */
export const SIGNABLE: PetitionStatus[] = ['supporters', 'open', 'awaiting_response'];

/** Whether signing is open right now: a collecting status and, if set, before the end of the period. (The signing INSERT checks the same in SQL.) */
export const collecting = (p: { status: PetitionStatus; closes_at: Date | string | null }) =>
  SIGNABLE.includes(p.status) && (!p.closes_at || new Date(p.closes_at) > new Date());
