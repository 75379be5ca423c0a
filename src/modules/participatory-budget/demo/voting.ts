import { AGE_BANDS } from '../ballots/age.ts';
import { castOnline } from '../ballots/cast.service.ts';
import { recordPaper } from '../ballots/paper.service.ts';
import { sealBallots } from '../ballots/index.ts';
import { findCycle } from '../cycle.repo.ts';
import type { Cycle } from '../pb.tables.ts';
import { publishResults } from '../results/publish.service.ts';
import { between, DAY, notAfterNow, type DemoContext } from './context.ts';
import type { DemoPhase } from './plan.ts';

/** Ballots of each phase's cycle: all of them once voting is over, fewer while it runs. */
const BALLOTS: Partial<Record<DemoPhase, number>> = { voting: 18, results: 26, implementation: 30 };
/** Paper ballots an official recorded at the offline point (the library), in the last days of voting. */
const PAPER: Partial<Record<DemoPhase, number>> = { results: 3, implementation: 4 };

/** How much the voters like the admitted projects, in the order they were admitted (a share of voters choosing each). */
const LIKING = [0.7, 0.5, 0.65, 0.4, 0.3, 0.55];

/** A voter's choices: the projects they like (a fixed pattern per voter), at least one and at most `max`, the best liked first. */
export function choicesOf(voter: number, projects: number[], max: number): number[] {
  const liked = projects.map((n, j) => ({ n, like: LIKING[j % LIKING.length]!, draw: ((voter * 37 + j * 61 + voter * j * 17) % 100) / 100 }));
  const chosen = liked.filter((p) => p.draw < p.like).sort((a, b) => b.like - a.like).slice(0, max);
  return (chosen.length > 0 ? chosen : [liked.sort((a, b) => b.like - a.like)[0]!]).map((p) => p.n).sort((a, b) => a - b);
}

/**
 * Demo residents vote online through the casting service, spread over the voting period until now, a few more
 * on paper at the end of it, and the queue is sealed into the cycle's chain as the worker does every second. The
 * demo's own residents do not vote, so whoever tries the demo can.
 */
export async function castBallots(ctx: DemoContext, cycle: Cycle, phase: DemoPhase, admitted: number[]): Promise<void> {
  const n = Math.min(BALLOTS[phase] ?? 0, ctx.voters.length);
  if (n === 0 || admitted.length === 0) return;
  const until = notAfterNow(cycle.voting_closes, ctx.now);
  const max = cycle.max_choices ?? admitted.length;
  // Cast together, as a rush of voters is: the ballots share the casting batch and its transaction.
  const outcomes = await Promise.all(ctx.voters.slice(0, n).map((voter, k) =>
    castOnline(ctx.deps, voter, ctx.m, cycle, { choices: choicesOf(k, admitted, max), version: 0 }, between(cycle.voting_opens, until, k, n))));
  const refused = outcomes.find((o) => o.kind !== 'cast');
  if (refused) throw new Error(`pb demo: ballot ${JSON.stringify(refused)}`);
  const paper = PAPER[phase] ?? 0;
  const lastOnline = between(cycle.voting_opens, until, n - 1, n);
  for (let k = 0; k < paper; k++) {
    // Invented document numbers, seen by the official and kept only as keyed hashes.
    const r = await recordPaper(ctx.deps, ctx.official, ctx.m, cycle, {
      documentType: 'id_card', documentNumber: `DEMO${cycle.number}${ctx.m.slug.toUpperCase()}${k + 1}`, districtId: null,
      ageBand: AGE_BANDS[(k % 4) + 1]!, ageChecked: true, choices: choicesOf(n + k, admitted, max),
    }, null, between(lastOnline, until, k, paper));
    if (r.kind !== 'recorded') throw new Error(`pb demo: paper ballot ${r.kind}`);
  }
  await sealBallots.run(ctx.deps);
}

/** The administrator publishes the results the day after voting closed; returns the funded projects' numbers. */
export async function publish(ctx: DemoContext, number: number): Promise<number[]> {
  const cycle = (await findCycle(ctx.deps.db, ctx.m.id, number))!;
  const at = notAfterNow(new Date(cycle.voting_closes.getTime() + DAY), ctx.now);
  const r = await publishResults(ctx.deps, ctx.admin, ctx.m, cycle, at);
  if (r.kind !== 'published') throw new Error(`pb demo: results ${r.kind}`);
  await ctx.clock.stamp(at);
  return r.funded;
}
