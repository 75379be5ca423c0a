import type { Database } from '../../../db/database.ts';
import { countedCost } from '../cost.ts';
import type { Cycle } from '../pb.tables.ts';
import type { CycleEntry } from './compute.ts';
import { cycleEntryRows, firstEntry } from './results.repo.ts';
import { cycleEntry as asCycleEntry } from './shape.ts';
import { cycleChain } from '../paths.ts';

/**
 * The cycle entry (seq 1 of `pb:<number>`, LEDGER-PB / docs/LEDGER.md) as the database holds it now: the rules,
 * the categories in position order with their district's slug, and the admitted projects with their counted
 * cost, ascending number. Whoever appends the cycle's first entry builds it with this.
 */
export async function buildCycleEntry(db: Database, cycle: Cycle): Promise<CycleEntry> {
  const { categories, projects } = await cycleEntryRows(db, cycle.id);
  return {
    cycle: cycle.number, currency: cycle.currency, rule: cycle.rule,
    maxChoices: cycle.max_choices, maxPerCategory: cycle.max_per_category, minChoices: cycle.min_choices, minSharePct: cycle.min_share_pct,
    ballotChanges: cycle.ballot_changes,
    categories: categories.map((c) => ({ slug: c.slug, amount: Number(c.amount), district: c.district ?? null })),
    projects: projects.map((p) => ({ number: p.number, category: p.category, cost: countedCost(p) })),
  };
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
