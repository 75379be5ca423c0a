import type { Transaction } from 'kysely';
import type { DB, Municipality } from '../../../db/schema.ts';
import type { CurrentUser } from '../../../platform/auth/current-user.ts';
import type { Deps } from '../../../platform/http/deps.ts';
import type { BallotChannel, Cycle } from '../pb.tables.ts';
import { checkBallot, type BallotProblem } from '../rules.ts';
import { addSelection, declareDistrict, lockVoter, removeSelection, removeSelectionsIn } from './ballot.repo.ts';
import type { CycleBallot } from './ballot.rules.ts';
import { districtProblem, type DistrictProblem, type Refusal } from './eligibility.ts';
import { voterState, type VoterState } from './state.ts';

/**
 * Building a ballot before casting it: projects added and removed one at a time (plain form posts, from the
 * ballot page or a project's page), each addition checked against the rules as they apply to a selection
 * (rules.ts, `cast: false`), so a selection is never over a limit or over the money at any step.
 */

export type SelectionOutcome =
  | { kind: 'added' | 'removed' | 'declared'; state: VoterState }
  | { kind: 'not_open' }
  | { kind: 'not_eligible'; refusal: Refusal }
  | { kind: 'voted'; channel: BallotChannel }
  | { kind: 'unknown_project' }
  | { kind: 'district'; problem: DistrictProblem; ballot: CycleBallot }
  | { kind: 'rules'; problem: BallotProblem; ballot: CycleBallot }
  /** The district cannot be chosen: a confirmed residence district counts, or the ballot is cast. */
  | { kind: 'district_fixed' }
  | { kind: 'unknown_district' };

type Change = (s: VoterState, trx: Transaction<DB>) => Promise<SelectionOutcome>;

/** Runs a change of the voter's selection under their lock, after the checks every change shares. */
async function change(deps: Deps, user: CurrentUser, m: Municipality, cycle: Cycle, now: Date, fn: Change): Promise<SelectionOutcome> {
  return deps.db.transaction().execute(async (trx) => {
    await lockVoter(trx, cycle.id, user.id);
    const s = await voterState(trx, m, cycle, user, now);
    if (!s.open) return { kind: 'not_open' };
    if (s.refusal) return { kind: 'not_eligible', refusal: s.refusal };
    if (!s.canSelect) return { kind: 'voted', channel: s.cast!.channel };
    return fn(s, trx);
  });
}

/** Adds a project to the voter's selection if the selection stays within the rules; adding a chosen one changes nothing. */
export function addToSelection(deps: Deps, user: CurrentUser, m: Municipality, cycle: Cycle, number: number, now = new Date()) {
  return change(deps, user, m, cycle, now, async (s, trx) => {
    const project = s.ballot.projects.find((p) => p.number === number);
    if (!project) return { kind: 'unknown_project' };
    if (s.selection.includes(number)) return { kind: 'added', state: s };
    const district = districtProblem(s.ballot, [number], s.district);
    if (district) return { kind: 'district', problem: district, ballot: s.ballot };
    const problem = checkBallot(s.ballot.rules, s.categories, s.ballot.projects, [...s.selection, number], { cast: false });
    if (problem) return { kind: 'rules', problem, ballot: s.ballot };
    await addSelection(trx, { municipalityId: m.id, cycleId: cycle.id, userId: user.id, projectId: project.id });
    return { kind: 'added', state: s };
  });
}

/** Takes a project off the voter's selection (it may be added again). */
export function removeFromSelection(deps: Deps, user: CurrentUser, m: Municipality, cycle: Cycle, number: number, now = new Date()) {
  return change(deps, user, m, cycle, now, async (s, trx) => {
    const project = s.ballot.projects.find((p) => p.number === number);
    if (!project) return { kind: 'unknown_project' };
    await removeSelection(trx, cycle.id, user.id, project.id);
    return { kind: 'removed', state: s };
  });
}

/** The district a voter without a confirmed residence district declares; another district empties the others' categories. */
export function chooseDistrict(deps: Deps, user: CurrentUser, m: Municipality, cycle: Cycle, districtId: number, now = new Date()) {
  return change(deps, user, m, cycle, now, async (s, trx) => {
    if (s.cast || s.facts?.residence_district != null) return { kind: 'district_fixed' };
    const districts = s.ballot.categories.filter((c) => c.districtId !== null);
    if (!districts.some((c) => c.districtId === districtId)) return { kind: 'unknown_district' };
    await declareDistrict(trx, { municipalityId: m.id, cycleId: cycle.id, userId: user.id, districtId });
    await removeSelectionsIn(trx, cycle.id, user.id, districts.filter((c) => c.districtId !== districtId).map((c) => c.id));
    return { kind: 'declared', state: s };
  });
}
