import type { Database } from '../../../db/database.ts';
import type { Municipality } from '../../../db/schema.ts';
import type { CurrentUser } from '../../../platform/auth/current-user.ts';
import type { Cycle } from '../pb.tables.ts';
import { votingOpen } from '../phase.ts';
import { tally, type BallotState } from '../rules.ts';
import { ballotByKeys, selectedNumbers, voterRows, type BallotRow, type VoterRow } from './ballot.repo.ts';
import { loadCycleBallot, votersCategories, type BallotCategoryInfo, type CycleBallot } from './ballot.rules.ts';
import { needsDistrict, personKeys, refusal, voterDistrict, type Refusal } from './eligibility.ts';

/**
 * Where a voter stands in a cycle, as every page and the API show it: whether voting is open, what keeps them
 * from voting, their cast ballot, what they have chosen so far and what is left in each of their categories.
 */
export interface VoterState {
  ballot: CycleBallot;
  open: boolean;
  refusal: Refusal | null;
  facts: VoterRow | undefined;
  cast: BallotRow | undefined;
  /** May build (or, where changes are allowed, change) a selection now. */
  canSelect: boolean;
  district: number | null;
  needsDistrict: boolean;
  /** The categories the voter may choose from (the municipality's, and their district's). */
  categories: BallotCategoryInfo[];
  selection: number[];
  tally: BallotState;
}

/** A cast ballot that can no longer change here: final, or recorded on paper. */
export const ballotFinal = (cycle: Pick<Cycle, 'ballot_changes'>, cast: BallotRow | undefined) => cast !== undefined && (!cycle.ballot_changes || cast.channel === 'paper');

/** The voter's state in the cycle (an anonymous visitor sees the ballot and what they would need). */
export async function voterState(db: Database, m: Municipality, cycle: Cycle, user: CurrentUser | null, now: Date): Promise<VoterState> {
  const ballot = await loadCycleBallot(db, cycle);
  const open = cycle.status === 'published' && votingOpen(cycle, now);
  const [facts] = user ? await voterRows(db, [{ userId: user.id, municipalityId: m.id, cycleId: cycle.id }]) : [undefined];
  const cast = user ? await ballotByKeys(db, cycle.id, personKeys(user.id, facts)) : undefined;
  const refused = refusal(cycle, m, user, facts, now);
  // A cast ballot keeps the district it was cast in.
  const district = cast ? cast.district_id : voterDistrict(facts);
  // A visitor who is not signed in sees every category; a voter, those they may choose from.
  const categories = user ? votersCategories(ballot, district) : ballot.categories;
  const selection = user ? await selectedNumbers(db, cycle.id, user.id) : [];
  return {
    ballot, open, refusal: refused, facts, cast, district, categories, selection,
    canSelect: open && refused === null && !ballotFinal(cycle, cast),
    needsDistrict: !cast && needsDistrict(ballot, facts),
    tally: tally(ballot.rules, categories, ballot.projects, selection),
  };
}
