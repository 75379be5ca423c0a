import type { Municipality } from '../../../db/schema.ts';
import { meetsLevel, type CurrentUser, type VerificationLevel } from '../../../platform/auth/current-user.ts';
import type { Cycle } from '../pb.tables.ts';
import { ageBand, ageOn, dayTurning, localToday, type AgeBand } from './age.ts';
import type { CycleBallot } from './ballot.rules.ts';
import type { VoterRow } from './ballot.repo.ts';

/**
 * Who may vote in a cycle: the cycle's verification level, its minimum age (from a birth date whose source the
 * cycle accepts, counted on the local day of casting) and, for district categories, the voter's district (their
 * confirmed residence district, otherwise the one they declare on the ballot). Each refusal says what is missing.
 */

export type Refusal =
  | { code: 'level'; required: VerificationLevel }
  /** No birth date the cycle accepts; `declaredCounts`: the person's own declaration would do. */
  | { code: 'age_unknown'; minAge: number; declaredCounts: boolean; hasDeclared: boolean }
  | { code: 'too_young'; minAge: number; from: string };

type EligibilityCycle = Pick<Cycle, 'vote_level' | 'min_age' | 'age_source'>;

/** The birth date the cycle's age rule may use, or null. */
export function countedBirthDate(cycle: Pick<Cycle, 'age_source'>, v: Pick<VoterRow, 'birth_date' | 'birth_date_source'>): string | null {
  if (!v.birth_date) return null;
  return cycle.age_source === 'identity' && v.birth_date_source !== 'identity' ? null : v.birth_date;
}

/** What keeps the user from voting in the cycle, or null. `v`: what is stored of them (null: nothing read yet). */
export function refusal(cycle: EligibilityCycle, m: Municipality, user: CurrentUser | null, v: VoterRow | undefined, now: Date): Refusal | null {
  const required = cycle.vote_level as VerificationLevel;
  if (!user || !meetsLevel(user, m, required)) return { code: 'level', required };
  if (cycle.min_age === null) return null;
  const born = v ? countedBirthDate(cycle, v) : null;
  if (!born) return { code: 'age_unknown', minAge: cycle.min_age, declaredCounts: cycle.age_source === 'identity_or_declared', hasDeclared: v?.birth_date_source === 'declared' };
  if (ageOn(born, localToday(now, m.time_zone)) < cycle.min_age) return { code: 'too_young', minAge: cycle.min_age, from: dayTurning(born, cycle.min_age) };
  return null;
}

/** The voter's age band on the day, for statistics (any birth date they gave counts). */
export const ageBandOf = (v: VoterRow | undefined, m: Pick<Municipality, 'time_zone'>, now: Date): AgeBand | null =>
  v?.birth_date ? ageBand(ageOn(v.birth_date, localToday(now, m.time_zone))) : null;

/** The district the voter votes in: their confirmed residence district, else the one they declared. */
export const voterDistrict = (v: VoterRow | undefined): number | null => v?.residence_district ?? v?.declared_district ?? null;

/** Whether the voter still has to declare a district (the cycle has district categories and none is known). */
export const needsDistrict = (b: CycleBallot, v: VoterRow | undefined) => voterDistrict(v) === null && b.categories.some((c) => c.districtId !== null);

export type DistrictProblem = { code: 'district_needed'; project: number } | { code: 'other_district'; project: number };

/** A chosen project of a district category that is not the voter's district, or null. */
export function districtProblem(b: CycleBallot, choices: readonly number[], districtId: number | null): DistrictProblem | null {
  const categoryOf = new Map(b.projects.map((p) => [p.number, b.categories.find((c) => c.slug === p.category)]));
  for (const n of choices) {
    const district = categoryOf.get(n)?.districtId ?? null;
    if (district === null) continue;
    if (districtId === null) return { code: 'district_needed', project: n };
    if (district !== districtId) return { code: 'other_district', project: n };
  }
  return null;
}

/** The keys naming the person behind an online ballot: the account, a national id, a residence document. */
export function personKeys(userId: number, v: VoterRow | undefined): string[] {
  return [`user:${userId}`, ...(v?.national_id_hash ? [`nid:${v.national_id_hash}`] : []), ...(v?.document_hash ? [`doc:${v.document_hash}`] : [])];
}
