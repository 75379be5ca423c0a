import type { Database } from '../../../db/database.ts';
import { loadCycleBallot } from '../ballots/ballot.rules.ts';
import { cyclePayload } from '../ballots/chain.ts';
import type { Cycle } from '../pb.tables.ts';
import type { CycleEntry } from './compute.ts';
import { firstEntry } from './results.repo.ts';
import { cycleEntry as asCycleEntry } from './shape.ts';
import { cycleChain } from '../paths.ts';

/**
 * The cycle entry (seq 1 of `pb:<number>`, docs/LEDGER.md) as the database holds it now: the very payload the
 * ballots' sealer appends before the first ballot (`cyclePayload`), so a preview and the chain cannot differ.
 */
export async function buildCycleEntry(db: Database, cycle: Cycle): Promise<CycleEntry> {
  return cyclePayload(cycle, await loadCycleBallot(db, cycle));
}

/**
 * The cycle entry that counts: the chain's own seq 1 once the chain has begun (what every checker recomputes
 * from), else the one the database would publish. `appended` says which.
 */
export async function countingCycleEntry(db: Database, municipalityId: number, cycle: Cycle): Promise<{ entry: CycleEntry; appended: boolean }> {
  const first = await firstEntry(db, municipalityId, cycleChain(cycle.number));
  const published = first?.kind === 'cycle' ? asCycleEntry(first.payload) : null;
  if (first && !published) throw new Error(`The chain ${cycleChain(cycle.number)} does not start with a cycle entry`);
  return published ? { entry: published, appended: true } : { entry: await buildCycleEntry(db, cycle), appended: false };
}
