import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { computeResults, type CountedBallot, type CycleEntry } from './compute.ts';

const cycle = (projects: CycleEntry['projects'], categories: CycleEntry['categories'] = [{ slug: 'small', amount: 100, district: null }]): CycleEntry => ({
  cycle: 1, currency: 'UAH', rule: 'approval', maxChoices: null, maxPerCategory: null, minChoices: null, minSharePct: null, ballotChanges: true, categories, projects,
});
let voter = 0;
const ballot = (choices: number[], version = 1, id?: string): CountedBallot => ({ voter: id ?? (voter += 1).toString(16).padStart(64, '0'), version, choices });
const many = (n: number, choices: number[]) => Array.from({ length: n }, () => ballot(choices));
const row = (r: ReturnType<typeof computeResults>, n: number) => r.categories.flatMap((c) => c.projects).find((p) => p.number === n)!;

describe('the results rule', () => {
  test('funds in rank order, skips a project that no longer fits and tries the next', () => {
    // 100 to spend: #1 (60) funded, #2 (50) does not fit the 40 left, #3 (30) does, #4 (20) not in the 10 left.
    const c = cycle([{ number: 1, category: 'small', cost: 60 }, { number: 2, category: 'small', cost: 50 }, { number: 3, category: 'small', cost: 30 }, { number: 4, category: 'small', cost: 20 }]);
    const r = computeResults(c, [...many(4, [1, 2, 3, 4]), ...many(3, [2, 3, 4]), ...many(2, [3, 4]), ...many(1, [4])]);
    assert.deepEqual(r.votes, [[1, 4], [2, 7], [3, 9], [4, 10]]);
    // Ranking: #4 (10 votes), #3 (9), #2 (7), #1 (4). #4 20 → 80 left; #3 30 → 50; #2 50 → 0; #1 60 does not fit.
    assert.deepEqual(r.categories[0]!.projects.map((p) => [p.number, p.rank, p.outcome]), [[4, 1, 'funded'], [3, 2, 'funded'], [2, 3, 'funded'], [1, 4, 'did_not_fit']]);
    assert.deepEqual(r.funded, [2, 3, 4]);
    assert.equal(r.categories[0]!.spent, 100);
    assert.equal(r.categories[0]!.left, 0);

    const skip = computeResults(c, [...many(5, [1]), ...many(4, [2]), ...many(3, [3])]);
    assert.deepEqual(skip.categories[0]!.projects.map((p) => [p.number, p.outcome]), [[1, 'funded'], [2, 'did_not_fit'], [3, 'funded'], [4, 'no_votes']]);
    assert.deepEqual(skip.funded, [1, 3]);
    assert.equal(skip.categories[0]!.left, 10);
  });

  test('ties: the cheaper project first, then the lower number; ranks are never shared', () => {
    const c = cycle([{ number: 7, category: 'small', cost: 50 }, { number: 5, category: 'small', cost: 60 }, { number: 6, category: 'small', cost: 50 }, { number: 8, category: 'small', cost: 10 }]);
    const r = computeResults(c, many(3, [5, 6, 7, 8]));
    assert.deepEqual(r.categories[0]!.projects.map((p) => [p.number, p.rank]), [[8, 1], [6, 2], [7, 3], [5, 4]]);
    // 100: #8 10 → 90; #6 50 → 40; #7 50 does not fit; #5 60 does not fit.
    assert.deepEqual(r.funded, [6, 8]);
    assert.equal(row(r, 7).outcome, 'did_not_fit');
  });

  test('a project without votes is never funded, even when money remains', () => {
    const c = cycle([{ number: 1, category: 'small', cost: 10 }, { number: 2, category: 'small', cost: 10 }]);
    const r = computeResults(c, many(1, [1]));
    assert.deepEqual(r.funded, [1]);
    assert.deepEqual(row(r, 2), { number: 2, category: 'small', cost: 10, votes: 0, rank: 2, funded: false, outcome: 'no_votes' });
    const none = computeResults(c, []);
    assert.deepEqual(none.votes, [[1, 0], [2, 0]]);
    assert.deepEqual(none.funded, []);
    assert.equal(none.voters, 0);
    assert.equal(none.categories[0]!.left, 100);
  });

  test('a changed ballot counts once, in its latest version', () => {
    const c = cycle([{ number: 1, category: 'small', cost: 10 }, { number: 2, category: 'small', cost: 10 }]);
    const id = 'a'.repeat(64);
    const r = computeResults(c, [ballot([1], 1, id), ballot([1, 2], 2, id), ballot([2], 3, id), ballot([1])]);
    assert.deepEqual(r.votes, [[1, 1], [2, 1]]);
    assert.equal(r.voters, 2);
    // Whatever order the versions come in.
    assert.deepEqual(computeResults(c, [ballot([2], 3, id), ballot([1], 1, id)]).votes, [[1, 0], [2, 1]]);
  });

  test('categories are funded apart, each with its own amount, in the cycle entry\'s order', () => {
    const c = cycle([
      { number: 1, category: 'large', cost: 900 }, { number: 2, category: 'small', cost: 80 }, { number: 3, category: 'small', cost: 30 }, { number: 4, category: 'large', cost: 200 },
    ], [{ slug: 'small', amount: 100, district: null }, { slug: 'large', amount: 1000, district: 'centre' }]);
    const r = computeResults(c, [...many(2, [1, 2, 4]), ...many(1, [3]), ballot([1])]);
    assert.deepEqual(r.categories.map((x) => [x.slug, x.projects.map((p) => p.number), x.spent, x.left]), [['small', [2, 3], 80, 20], ['large', [1, 4], 900, 100]]);
    assert.deepEqual(r.funded, [1, 2]);
    assert.equal(row(r, 3).outcome, 'did_not_fit');
    assert.equal(row(r, 4).outcome, 'did_not_fit');
  });

  test('unknown project numbers in a ballot are not counted', () => {
    const r = computeResults(cycle([{ number: 1, category: 'small', cost: 10 }]), [ballot([1, 99])]);
    assert.deepEqual(r.votes, [[1, 1]]);
  });

  test('200,000 ballots over 300 projects: counted right and fast', () => {
    const categories = [{ slug: 'small', amount: 30_000_000, district: null }, { slug: 'large', amount: 200_000_000, district: null }];
    const projects = Array.from({ length: 300 }, (_, i) => ({ number: i + 1, category: i % 3 === 0 ? 'large' : 'small', cost: i % 3 === 0 ? 10_000_000 + i * 1000 : 1_000_000 + i * 100 }));
    const c = cycle(projects, categories);
    // Voter k chooses the five projects k, k+7, k+14, k+21, k+28 (mod 300): each project's count is known in closed form.
    const N = 200_000;
    const expected = new Array<number>(301).fill(0);
    const ballots: CountedBallot[] = [];
    for (let k = 0; k < N; k++) {
      const choices = [0, 7, 14, 21, 28].map((d) => ((k + d) % 300) + 1).sort((a, b) => a - b);
      for (const n of choices) expected[n]! += 1;
      ballots.push({ voter: k.toString(16).padStart(64, '0'), version: 1, choices });
    }
    const t0 = performance.now();
    const r = computeResults(c, ballots);
    const ms = performance.now() - t0;
    assert.ok(ms < 3000, `took ${ms.toFixed(0)} ms`);
    assert.equal(r.voters, N);
    assert.deepEqual(r.votes, projects.map((p) => [p.number, expected[p.number]]));
    assert.equal(r.votes.reduce((s, [, v]) => s + v, 0), 5 * N);
    for (const cat of r.categories) {
      assert.ok(cat.spent <= cat.amount);
      assert.equal(cat.spent, cat.projects.filter((p) => p.funded).reduce((s, p) => s + p.cost, 0));
      cat.projects.forEach((p, i) => assert.equal(p.rank, i + 1));
    }
  });
});
