/**
 * The voting rules of a cycle, as pure functions over what the ledger's `cycle` entry publishes (docs/LEDGER.md):
 * the same code checks a selection while a resident builds it, a ballot when it is cast, and every ballot when
 * `hromada verify-ledger` replays the chain. Amounts are minor units.
 *
 * - approval: up to `maxChoices` projects in all, at most `maxPerCategory` in any one category, at least
 *   `minChoices` when cast.
 * - knapsack: any projects whose counted costs fit each category's amount; when cast, at least `minSharePct`
 *   of the amount of each category the ballot chose in.
 */
import type { VotingRule } from './pb.tables.ts';

export interface BallotRules {
  rule: VotingRule;
  maxChoices: number | null;
  maxPerCategory: number | null;
  minChoices: number | null;
  minSharePct: number | null;
}
export interface BallotCategory { slug: string; amount: number }
export interface BallotProject { number: number; category: string; cost: number }

export type BallotProblem =
  | { code: 'empty' }
  | { code: 'unknown_project'; project: number }
  | { code: 'duplicate'; project: number }
  | { code: 'too_many'; max: number }
  | { code: 'too_many_in_category'; category: string; max: number }
  | { code: 'too_few'; min: number }
  | { code: 'over_budget'; category: string; amount: number; total: number }
  | { code: 'under_share'; category: string; min: number; total: number };

/** Per category: what is chosen, what it costs, and what is left (projects under approval, money under knapsack). */
export interface CategoryTally { slug: string; chosen: number[]; spent: number; amount: number; moneyLeft: number; choicesLeft: number | null }

export interface BallotState { categories: CategoryTally[]; chosen: number; choicesLeft: number | null }

/** What a selection holds per category, and what is left of each limit. Unknown numbers are left out. */
export function tally(rules: BallotRules, categories: readonly BallotCategory[], projects: readonly BallotProject[], choices: readonly number[]): BallotState {
  const byNumber = new Map(projects.map((p) => [p.number, p]));
  const known = [...new Set(choices)].filter((n) => byNumber.has(n));
  const cats = categories.map((c) => {
    const chosen = known.filter((n) => byNumber.get(n)!.category === c.slug).sort((a, b) => a - b);
    const spent = chosen.reduce((s, n) => s + byNumber.get(n)!.cost, 0);
    const perCategory = rules.rule === 'approval' && rules.maxPerCategory !== null ? rules.maxPerCategory - chosen.length : null;
    return { slug: c.slug, chosen, spent, amount: c.amount, moneyLeft: c.amount - spent, choicesLeft: perCategory };
  });
  const choicesLeft = rules.rule === 'approval' && rules.maxChoices !== null ? rules.maxChoices - known.length : null;
  return { categories: cats, chosen: known.length, choicesLeft };
}

/**
 * The first problem of a selection, or null. `cast`: the ballot is being cast (minimums apply too); otherwise it
 * is a selection being built, which may still be short of a minimum but never over a limit.
 */
export function checkBallot(rules: BallotRules, categories: readonly BallotCategory[], projects: readonly BallotProject[], choices: readonly number[], opts: { cast: boolean }): BallotProblem | null {
  const byNumber = new Map(projects.map((p) => [p.number, p]));
  const seen = new Set<number>();
  for (const n of choices) {
    if (!byNumber.has(n) || !categories.some((c) => c.slug === byNumber.get(n)!.category)) return { code: 'unknown_project', project: n };
    if (seen.has(n)) return { code: 'duplicate', project: n };
    seen.add(n);
  }
  if (opts.cast && choices.length === 0) return { code: 'empty' };
  const state = tally(rules, categories, projects, choices);
  if (rules.rule === 'approval') {
    if (rules.maxChoices !== null && state.chosen > rules.maxChoices) return { code: 'too_many', max: rules.maxChoices };
    const crowded = state.categories.find((c) => rules.maxPerCategory !== null && c.chosen.length > rules.maxPerCategory);
    if (crowded) return { code: 'too_many_in_category', category: crowded.slug, max: rules.maxPerCategory! };
    if (opts.cast && rules.minChoices !== null && state.chosen < rules.minChoices) return { code: 'too_few', min: rules.minChoices };
    return null;
  }
  const over = state.categories.find((c) => c.spent > c.amount);
  if (over) return { code: 'over_budget', category: over.slug, amount: over.amount, total: over.spent };
  if (opts.cast && rules.minSharePct !== null) {
    const short = state.categories.find((c) => c.chosen.length > 0 && c.spent * 100 < c.amount * rules.minSharePct!);
    if (short) return { code: 'under_share', category: short.slug, min: Math.ceil((short.amount * rules.minSharePct!) / 100), total: short.spent };
  }
  return null;
}
