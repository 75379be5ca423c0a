import type { PublishedEntry } from '../../../platform/ledger/ledger.ts';
import type { ChainMeaning, MeaningResult } from '../../../platform/ledger/verify/replay.ts';
import { checkBallot, type BallotProject } from '../rules.ts';
import { computeResults, type CountedBallot, type CycleEntry } from './compute.ts';
import { ballotEntry, cycleEntry, resultsEntry } from './shape.ts';

/**
 * What `hromada verify-ledger` checks in a cycle's chain (`pb:<cycle number>`, docs/LEDGER.md "Participatory
 * budget"), beyond the hash chain and the tree, and the count it proves (the number of voters):
 *
 * - seq 1 is the `cycle` entry, of exactly its form, naming the chain's own cycle; no other `cycle` entry;
 * - every `ballot` is of exactly its form, its version one more than its voter's last (1 first), a change
 *   (version > 1) only where the cycle entry allows changes, and its choices pass the cycle's voting rule
 *   (rules.ts checkBallot, as cast);
 * - at most one `results` entry, the last of the chain, whose `votes` and `funded` are exactly what the
 *   results rule (compute.ts) gives from the cycle entry and each voter's latest ballot.
 *
 * Reasons (stable codes): `cycle_first`, `cycle_chain`, `cycle_again`, `kind`, `payload`, `version`,
 * `ballot_change`, `ballot_<checkBallot code>` (e.g. `ballot_over_budget`), `after_results`, `results_votes`,
 * `results_funded`. Memory: one entry per voter (their latest version and choices).
 */

type Problem = string | null;

/** A fresh checker for one cycle's chain. */
export function pbMeaning(): ChainMeaning {
  let cycle: CycleEntry | null = null;
  let projects = new Map<number, BallotProject>();
  const voters = new Map<string, CountedBallot>();
  let resultsSeen = false;
  let failure: MeaningResult | null = null;

  const first = (e: PublishedEntry): Problem => {
    if (e.kind !== 'cycle') return 'cycle_first';
    const c = cycleEntry(e.payload);
    if (!c) return 'payload';
    if (e.chain !== `pb:${c.cycle}`) return 'cycle_chain';
    cycle = c;
    projects = new Map(c.projects.map((p) => [p.number, p]));
    return null;
  };

  const ballot = (c: CycleEntry, e: PublishedEntry): Problem => {
    const b = ballotEntry(e.payload);
    if (!b) return 'payload';
    const had = voters.get(b.voter);
    if (b.version !== (had?.version ?? 0) + 1) return 'version';
    if (b.version > 1 && !c.ballotChanges) return 'ballot_change';
    // Only the chosen projects are handed over: checkBallot looks up nothing else, and a ballot stays O(choices).
    const chosen = b.choices.flatMap((n) => projects.get(n) ?? []);
    const problem = checkBallot(c, c.categories, chosen, b.choices, { cast: true });
    if (problem) return `ballot_${problem.code}`;
    voters.set(b.voter, { voter: b.voter, version: b.version, choices: b.choices });
    return null;
  };

  const results = (c: CycleEntry, e: PublishedEntry): Problem => {
    const r = resultsEntry(e.payload);
    if (!r) return 'payload';
    resultsSeen = true;
    const expected = computeResults(c, voters.values(), { unique: true });
    if (JSON.stringify(r.votes) !== JSON.stringify(expected.votes)) return 'results_votes';
    if (JSON.stringify(r.funded) !== JSON.stringify(expected.funded)) return 'results_funded';
    return null;
  };

  const problem = (e: PublishedEntry): Problem => {
    if (e.seq === 1) return first(e);
    if (!cycle) return 'cycle_first';
    if (resultsSeen) return 'after_results';
    switch (e.kind) {
      case 'ballot': return ballot(cycle, e);
      case 'results': return results(cycle, e);
      case 'cycle': return 'cycle_again';
      default: return 'kind';
    }
  };

  return {
    add(page) {
      if (failure) return false;
      for (const e of page) {
        const reason = problem(e);
        if (reason) {
          failure = { ok: false, brokenAt: e.seq, reason };
          return false;
        }
      }
      return true;
    },
    result: () => failure ?? { ok: true, count: voters.size },
  };
}
