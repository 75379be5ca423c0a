import type { VotingRule } from '../pb.tables.ts';

/**
 * The results rule (docs/LEDGER.md "Participatory budget"), pure: the same function counts the database's
 * ballots for publication and the ledger's ballots when `hromada verify-ledger` re-counts a chain.
 *
 * Per category, in the cycle entry's order: rank its projects by votes (descending), ties broken by counted
 * cost (ascending: the cheaper leaves more money for others), then by project number (ascending: the earlier
 * submission). Walk the ranking with the category's amount: a project with at least one vote whose cost fits
 * what remains is funded and its cost taken off; one that does not fit is skipped and the next tried. Ranks
 * are 1, 2, 3… within the category in that order.
 */

/** The payload of a cycle's `cycle` entry (seq 1 of `pb:<number>`): its rules, categories and admitted projects. */
export interface CycleEntry {
  cycle: number;
  currency: string;
  rule: VotingRule;
  maxChoices: number | null;
  maxPerCategory: number | null;
  minChoices: number | null;
  minSharePct: number | null;
  /** Whether a cast ballot may be changed until voting closes (each change a new `ballot` entry). */
  ballotChanges: boolean;
  categories: { slug: string; amount: number; district: string | null }[];
  projects: { number: number; category: string; cost: number }[];
}

/** A ballot as counted: a voter's versions replace each other, the highest counts. */
export interface CountedBallot { voter: string; version: number; choices: readonly number[] }

/** Why a project is or is not funded. */
export type Outcome = 'funded' | 'did_not_fit' | 'no_votes';

export interface ProjectResult { number: number; category: string; cost: number; votes: number; rank: number; funded: boolean; outcome: Outcome }
export interface CategoryResult { slug: string; amount: number; spent: number; left: number; projects: ProjectResult[] }

export interface Results {
  /** Every project of the cycle entry with its votes, ascending number (the `results` entry's `votes`). */
  votes: [number, number][];
  /** The funded projects, ascending number (the `results` entry's `funded`). */
  funded: number[];
  /** Per category, in the cycle entry's order, its projects in rank order. */
  categories: CategoryResult[];
  /** Voters counted (distinct voter ids). */
  voters: number;
}

/** The latest version of each voter's ballot (a later entry of the same version replaces it, as in the chain). */
export function latestBallots(ballots: Iterable<CountedBallot>): CountedBallot[] {
  const latest = new Map<string, CountedBallot>();
  for (const b of ballots) {
    const had = latest.get(b.voter);
    if (!had || b.version >= had.version) latest.set(b.voter, b);
  }
  return [...latest.values()];
}

/** Orders a category's projects for funding: votes descending, then cost ascending, then number ascending. */
export const byRank = (a: { votes: number; cost: number; number: number }, b: { votes: number; cost: number; number: number }) =>
  b.votes - a.votes || a.cost - b.cost || a.number - b.number;

/** Counts the latest ballot of each voter and funds each category by the results rule. */
export function computeResults(cycle: CycleEntry, ballots: Iterable<CountedBallot>, opts: { unique?: boolean } = {}): Results {
  const list = opts.unique ? [...ballots] : latestBallots(ballots);
  const index = new Map<number, number>();
  cycle.projects.forEach((p, i) => index.set(p.number, i));
  const counts = new Int32Array(cycle.projects.length);
  for (const b of list) {
    let last = NaN;
    for (const n of b.choices) {
      // Choices are ascending without repeats in every valid ballot; a repeat is still counted once.
      if (n === last) continue;
      last = n;
      const i = index.get(n);
      if (i !== undefined) counts[i]! += 1;
    }
  }
  const funded: number[] = [];
  const categories = cycle.categories.map((c): CategoryResult => {
    const ranked = cycle.projects.flatMap((p, i) => (p.category === c.slug ? [{ ...p, votes: counts[i]! }] : [])).sort(byRank);
    let left = c.amount;
    const projects = ranked.map((p, i): ProjectResult => {
      const outcome: Outcome = p.votes === 0 ? 'no_votes' : p.cost <= left ? 'funded' : 'did_not_fit';
      if (outcome === 'funded') {
        left -= p.cost;
        funded.push(p.number);
      }
      return { number: p.number, category: c.slug, cost: p.cost, votes: p.votes, rank: i + 1, funded: outcome === 'funded', outcome };
    });
    return { slug: c.slug, amount: c.amount, spent: c.amount - left, left, projects };
  });
  return {
    votes: cycle.projects.map((p, i) => [p.number, counts[i]!] as [number, number]).sort((a, b) => a[0] - b[0]),
    funded: funded.sort((a, b) => a - b),
    categories,
    voters: list.length,
  };
}

/** The payload of the `results` entry that publishes these results. */
export const resultsPayload = (r: Pick<Results, 'votes' | 'funded'>) => ({ votes: r.votes, funded: r.funded });
