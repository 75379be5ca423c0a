import type { Transaction } from 'kysely';
import type { Database } from '../../../db/database.ts';
import type { DB, Municipality } from '../../../db/schema.ts';
import { batcherPer, createBatcher } from '../../../db/batcher.ts';
import type { CurrentUser } from '../../../platform/auth/current-user.ts';
import type { Deps } from '../../../platform/http/deps.ts';
import { pseudonymSecret } from '../../../platform/ledger/ledger.ts';
import { enqueueLedgerEntries } from '../../../platform/ledger/queue.ts';
import { holdRulesShared } from '../freeze.ts';
import type { BallotChannel, Cycle } from '../pb.tables.ts';
import { cycleChain } from '../paths.ts';
import { votingOpen } from '../phase.ts';
import { checkBallot, type BallotProblem } from '../rules.ts';
import { ballotByKeys, voterRows } from './ballot.repo.ts';
import { ballotForCasting, votersCategories, type CycleBallot } from './ballot.rules.ts';
import { insertBallots, markFrozen, reviseBallot, type NewBallot } from './cast.repo.ts';
import { ballotPayload, ballotRef, onlineVoter } from './chain.ts';
import { ageBandOf, districtProblem, personKeys, refusal, voterDistrict, type DistrictProblem, type Refusal } from './eligibility.ts';

/**
 * Casting a ballot: the explicit confirmation of a voter's choices. A first ballot goes through a batcher, so the
 * ballots arriving together share one transaction (rules lock, checks, one INSERT of ballots and person keys, one
 * of their ledger entries) and one commit; each voter is answered after that commit, so an acknowledged ballot is
 * durable. One person, one ballot: every key naming them (account, national id, residence document) is unique
 * per cycle, online or on paper, so two tabs, a double click or concurrent requests make one ballot.
 */

export type CastProblem =
  | { code: 'not_open' }
  | { code: 'not_eligible'; refusal: Refusal }
  | { code: 'district'; problem: DistrictProblem }
  | { code: 'rules'; problem: BallotProblem };

export type CastOutcome =
  | { kind: 'cast' | 'changed'; voter: string; version: number }
  /** The person has a ballot already (a first cast refused): online or on paper, since when. */
  | { kind: 'already'; channel: BallotChannel; at: Date }
  /** A change of a version that is no longer the latest (a double click, another tab): nothing written. */
  | { kind: 'stale' }
  /** A change to the choices the ballot already has: nothing written. */
  | { kind: 'unchanged' }
  /** The cycle's ballots are final once cast. */
  | { kind: 'final' }
  | { kind: 'refused'; problem: CastProblem };

/** What a ballot is checked for, whoever casts it: district categories of the voter's district, then the rules. */
export function ballotProblem(b: CycleBallot, choices: readonly number[], districtId: number | null): CastProblem | null {
  const district = districtProblem(b, choices, districtId);
  if (district) return { code: 'district', problem: district };
  const rules = checkBallot(b.rules, votersCategories(b, districtId), b.projects, choices, { cast: true });
  return rules ? { code: 'rules', problem: rules } : null;
}

interface CastItem { m: Municipality; cycle: Cycle; user: CurrentUser; voter: string; choices: number[]; at: Date }
type ItemResult = { kind: 'cast'; voter: string } | { kind: 'refused'; problem: CastProblem } | { kind: 'conflict' };

/** Thrown inside the transaction to roll it back when ballots met a ballot of the same person: their indexes. */
class Conflict extends Error {
  constructor(readonly indexes: Set<number>) {
    super('ballot conflict');
  }
}

/** Checks, writes and queues a batch of first ballots inside one transaction. */
async function castTogether(trx: Transaction<DB>, handle: Database, items: CastItem[]): Promise<ItemResult[]> {
  const cycles = new Map(items.map((i) => [i.cycle.id, i.cycle]));
  const ballots = new Map<number, Awaited<ReturnType<typeof ballotForCasting>>>();
  for (const id of [...cycles.keys()].sort((a, b) => a - b)) {
    await holdRulesShared(trx, id);
    ballots.set(id, await ballotForCasting(trx, handle, cycles.get(id)!));
  }
  const facts = await voterRows(trx, items.map((i) => ({ userId: i.user.id, municipalityId: i.m.id, cycleId: i.cycle.id })));
  const results: ItemResult[] = [];
  const rows: NewBallot[] = [];
  const at: number[] = [];
  const voters = new Set<string>();
  const conflicts = new Set<number>();
  items.forEach((item, i) => {
    const v = facts[i];
    const refused = refusal(item.cycle, item.m, item.user, v, item.at);
    const district = voterDistrict(v);
    const problem: CastProblem | null = refused ? { code: 'not_eligible', refusal: refused } : ballotProblem(ballots.get(item.cycle.id)!, item.choices, district);
    if (problem) return void results.push({ kind: 'refused', problem });
    results.push({ kind: 'cast', voter: item.voter });
    const key = `${item.cycle.id}:${item.voter}`;
    if (voters.has(key)) conflicts.add(i);
    voters.add(key);
    at.push(i);
    rows.push({
      municipalityId: item.m.id, cycleId: item.cycle.id, channel: 'online', userId: item.user.id, recordedBy: null, voter: item.voter,
      choices: [...item.choices].sort((a, b) => a - b), districtId: district, ageBand: ageBandOf(v, item.m, item.at), keys: personKeys(item.user.id, v), at: item.at,
    });
  });
  if (conflicts.size > 0) throw new Conflict(conflicts);
  const written = rows.length > 0 ? await insertBallots(trx, rows) : [];
  written.forEach((w, j) => {
    if (w.open && (w.id === null || w.keysWritten < w.keysWanted)) conflicts.add(at[j]!);
    if (!w.open) results[at[j]!] = { kind: 'refused', problem: { code: 'not_open' } };
  });
  if (conflicts.size > 0) throw new Conflict(conflicts);
  const cast = rows.filter((_, j) => written[j]!.open);
  await markFrozen(trx, [...new Set(cast.map((r) => r.cycleId))].filter((id) => !ballots.get(id)!.frozen));
  await enqueueLedgerEntries(trx, cast.map((r) => ({
    municipalityId: r.municipalityId, chain: cycleChain(cycles.get(r.cycleId)!.number), kind: 'ballot', ref: ballotRef(r.voter, 1),
    payload: ballotPayload({ voter: r.voter, channel: 'online', choices: r.choices, version: 1, at: r.at }),
  })));
  return results;
}

/**
 * One batch, with a retry for ballots that met another of the same person: the others go together again at
 * once, each conflicting one alone (where it is answered 'conflict' after its transaction is rolled back).
 */
async function writeCasts(db: Database, items: CastItem[]): Promise<ItemResult[]> {
  try {
    return await db.transaction().execute((trx) => castTogether(trx, db, items));
  } catch (error) {
    if (!(error instanceof Conflict)) throw error;
    if (items.length === 1) return [{ kind: 'conflict' }];
    const out: ItemResult[] = new Array(items.length);
    const clean = items.map((_, i) => i).filter((i) => !error.indexes.has(i));
    const together = clean.length ? await writeCasts(db, clean.map((i) => items[i]!)) : [];
    clean.forEach((i, j) => (out[i] = together[j]!));
    for (const i of error.indexes) out[i] = (await writeCasts(db, [items[i]!]))[0]!;
    return out;
  }
}

const castBatcher = batcherPer((db: Database) => createBatcher((items: CastItem[]) => writeCasts(db, items)));

/** The person's ballot in the cycle, found by any key naming them. */
export async function ballotOfUser(db: Database, m: Municipality, cycle: Cycle, userId: number) {
  const [v] = await voterRows(db, [{ userId, municipalityId: m.id, cycleId: cycle.id }]);
  return { facts: v, ballot: await ballotByKeys(db, cycle.id, personKeys(userId, v)) };
}

async function alreadyVoted(db: Database, m: Municipality, cycle: Cycle, userId: number): Promise<CastOutcome> {
  const { ballot } = await ballotOfUser(db, m, cycle, userId);
  // Found nothing: the other ballot was rolled back meanwhile; the voter may simply try again.
  return ballot ? { kind: 'already', channel: ballot.channel, at: ballot.cast_at } : { kind: 'stale' };
}

/**
 * Casts (version 0: the first ballot) or changes (the version being changed) the signed-in voter's ballot with
 * these choices. `now` is the moment of casting: the voting period, the voter's age and the ledger's `at` use it.
 */
export async function castOnline(deps: Deps, user: CurrentUser, m: Municipality, cycle: Cycle, input: { choices: number[]; version: number }, now = new Date()): Promise<CastOutcome> {
  if (cycle.status !== 'published' || !votingOpen(cycle, now)) return { kind: 'refused', problem: { code: 'not_open' } };
  const level = refusal({ ...cycle, min_age: null }, m, user, undefined, now);
  if (level) return { kind: 'refused', problem: { code: 'not_eligible', refusal: level } };
  const voter = onlineVoter(await pseudonymSecret(deps.db), cycle.number, user.id);
  if (input.version > 0) return changeOnline(deps, user, m, cycle, voter, input, now);
  const r = await castBatcher(deps.db).run({ m, cycle, user, voter, choices: input.choices, at: now });
  if (r.kind === 'conflict') return alreadyVoted(deps.db, m, cycle, user.id);
  return r.kind === 'cast' ? { kind: 'cast', voter, version: 1 } : r;
}

/** A change of a cast online ballot: a new version, checked as a first ballot is, and a new ledger entry. */
async function changeOnline(deps: Deps, user: CurrentUser, m: Municipality, cycle: Cycle, voter: string, input: { choices: number[]; version: number }, at: Date): Promise<CastOutcome> {
  if (!cycle.ballot_changes) return { kind: 'final' };
  return deps.db.transaction().execute(async (trx): Promise<CastOutcome> => {
    await holdRulesShared(trx, cycle.id);
    const [v] = await voterRows(trx, [{ userId: user.id, municipalityId: m.id, cycleId: cycle.id }]);
    const ballot = await ballotByKeys(trx, cycle.id, personKeys(user.id, v));
    if (!ballot || ballot.version !== input.version) return { kind: 'stale' };
    if (ballot.channel !== 'online' || ballot.voter !== voter) return { kind: 'already', channel: ballot.channel, at: ballot.cast_at };
    const refused = refusal(cycle, m, user, v, at);
    if (refused) return { kind: 'refused', problem: { code: 'not_eligible', refusal: refused } };
    // The district is the one the ballot was cast in: declared once, it does not move with a change.
    const problem = ballotProblem(await ballotForCasting(trx, deps.db, cycle), input.choices, ballot.district_id);
    if (problem) return { kind: 'refused', problem };
    const choices = [...input.choices].sort((a, b) => a - b);
    if (choices.join(',') === ballot.choices.join(',')) return { kind: 'unchanged' };
    const version = await reviseBallot(trx, { id: ballot.id, version: ballot.version, choices, at });
    if (version === null) return { kind: 'stale' };
    await enqueueLedgerEntries(trx, [{
      municipalityId: m.id, chain: cycleChain(cycle.number), kind: 'ballot', ref: ballotRef(voter, version),
      payload: ballotPayload({ voter, channel: 'online', choices, version, at }),
    }]);
    return { kind: 'changed', voter, version };
  });
}
