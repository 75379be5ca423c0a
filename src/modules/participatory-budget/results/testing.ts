import crypto from 'node:crypto';
import type { Database } from '../../../db/database.ts';
import { appendToLedger, type NewLedgerEntry } from '../../../platform/ledger/ledger.ts';
import { cycleChain } from '../paths.ts';
import type { Cycle } from '../pb.tables.ts';
import { buildCycleEntry } from './cycle-entry.ts';
import { firstEntry } from './results.repo.ts';
import { ledgerTime } from './shape.ts';

/** A ballot for tests: each version's choices in order (the last counts); online unless said. */
export interface TestBallot { versions: number[][]; channel?: 'online' | 'paper'; voter?: string }

export const randomVoter = () => crypto.randomBytes(32).toString('hex');

/**
 * Casts ballots the way the ballots part does, without its eligibility and queue: a pb_ballots row per voter
 * (latest choices, version = number of versions) and, unless `sealed: false`, the chain's cycle entry (when the
 * chain is empty) and one `ballot` entry per version.
 */
export async function castForTest(db: Database, municipalityId: number, cycle: Cycle, ballots: TestBallot[], opts: { sealed?: boolean } = {}): Promise<string[]> {
  const voters = ballots.map((b) => b.voter ?? randomVoter());
  const at = ledgerTime(new Date(cycle.voting_opens.getTime() + 60_000));
  await db.transaction().execute(async (trx) => {
    if (ballots.length === 0) return;
    await trx.insertInto('pb_ballots').values(ballots.map((b, i) => ({
      municipality_id: municipalityId, cycle_id: cycle.id, channel: b.channel ?? 'online', voter: voters[i]!, choices: b.versions.at(-1)!, version: b.versions.length,
    }))).execute();
    await trx.updateTable('pb_cycles').set({ frozen_at: new Date() }).where('id', '=', cycle.id).where('frozen_at', 'is', null).execute();
  });
  if (opts.sealed === false) return voters;
  const entries: NewLedgerEntry[] = [];
  if (!(await firstEntry(db, municipalityId, cycleChain(cycle.number)))) entries.push({ kind: 'cycle', payload: { ...(await buildCycleEntry(db, cycle)) } });
  ballots.forEach((b, i) => b.versions.forEach((choices, v) => entries.push({ kind: 'ballot', payload: { voter: voters[i]!, channel: b.channel ?? 'online', choices, version: v + 1, at } })));
  await appendToLedger(db, { municipalityId, chain: cycleChain(cycle.number), entries });
  return voters;
}
