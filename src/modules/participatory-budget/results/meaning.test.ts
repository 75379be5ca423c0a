import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { appendToLedger, ledgerEntries, type NewLedgerEntry } from '../../../platform/ledger/ledger.ts';
import { ensureLedgerLog } from '../../../platform/ledger/log.ts';
import { ChainReplay } from '../../../platform/ledger/verify/replay.ts';
import { verifyLedger } from '../../../platform/ledger/verify/verify-ledger.ts';
import { createTestDatabase, type TestDatabase } from '../../../platform/testing/db.ts';
import { computeResults, resultsPayload, type CycleEntry } from './compute.ts';
import { pbMeaning } from './meaning.ts';
import { randomVoter } from './testing.ts';

const meanings = { pb: pbMeaning };
const AT = '2027-05-02T10:11:12Z';

/** A knapsack cycle with changes allowed: small (100) holds #1 (60), #2 (50), #3 (30); large (500) holds #4 (400). */
const cycleOf = (n: number, o: Partial<CycleEntry> = {}): CycleEntry => ({
  cycle: n, currency: 'UAH', rule: 'knapsack', maxChoices: null, maxPerCategory: null, minChoices: null, minSharePct: null, ballotChanges: true,
  categories: [{ slug: 'small', amount: 100, district: null }, { slug: 'large', amount: 500, district: 'centre' }],
  projects: [{ number: 1, category: 'small', cost: 60 }, { number: 2, category: 'small', cost: 50 }, { number: 3, category: 'small', cost: 30 }, { number: 4, category: 'large', cost: 400 }],
  ...o,
});
const vote = (voter: string, choices: number[], version = 1, o: Record<string, unknown> = {}): NewLedgerEntry =>
  ({ kind: 'ballot', payload: { voter, channel: 'online', choices, version, at: AT, ...o } });

describe(`the pb chain's meaning in verify-ledger (${process.env.TEST_DB ?? 'pglite'})`, () => {
  let t: TestDatabase;
  let m: number;
  let dir: string;
  let next = 0;
  const [a, b, c] = [randomVoter(), randomVoter(), randomVoter()];
  /** A good chain of cycle `n`: three voters, one of whom changed their ballot twice. */
  const goodBallots = () => [vote(a, [1, 3]), vote(b, [2, 4]), vote(a, [1], 2), vote(c, [3], 1, { channel: 'paper' }), vote(a, [2, 3], 3)];

  /** Appends entries to a fresh chain `pb:<n>` with appendToLedger and checks it as `hromada verify-ledger` would, from a saved file. */
  async function check(build: (n: number) => NewLedgerEntry[]) {
    const n = (next += 1);
    const chain = `pb:${n}`;
    await appendToLedger(t.db, { municipalityId: m, chain, entries: build(n) });
    const entries = await ledgerEntries(t.db, m, chain, { limit: 10_000 });
    const file = path.join(dir, `${chain.replace(':', '-')}.json`);
    fs.writeFileSync(file, JSON.stringify(entries.map((e) => ({ ...e, createdAt: e.createdAt.toISOString() }))));
    return { entries, report: await verifyLedger({ source: file }, meanings) };
  }
  const failsAt = async (build: (n: number) => NewLedgerEntry[], seq: number, reason: string) => {
    const { report } = await check(build);
    assert.deepEqual(report.result, { ok: false, check: 'pb', brokenAt: seq, reason: `broken at seq ${seq}: ${reason}` }, report.text);
  };
  const resultsOf = (n: number, ballots: { voter: string; version: number; choices: number[] }[]): NewLedgerEntry =>
    ({ kind: 'results', payload: resultsPayload(computeResults(cycleOf(n), ballots)) });

  before(async () => {
    t = await createTestDatabase();
    m = (await t.db.insertInto('municipalities').values({ slug: 'zhovkva', names: JSON.stringify({ uk: 'Жовква' }), official_code: 'UA-zhovkva', center_lat: 50, center_lng: 24, default_locale: 'uk', currency: 'UAH' }).returning('id').executeTakeFirstOrThrow()).id;
    await ensureLedgerLog(t.db, 'hromada.example');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pb-meaning-'));
  });
  after(async () => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    await t?.cleanup();
  });

  test('a valid chain passes, counting voters, with its results recomputed', async () => {
    const latest = [{ voter: a, version: 3, choices: [2, 3] }, { voter: b, version: 1, choices: [2, 4] }, { voter: c, version: 1, choices: [3] }];
    const { entries, report } = await check((n) => [{ kind: 'cycle', payload: { ...cycleOf(n) } }, ...goodBallots(), resultsOf(n, latest)]);
    assert.equal(report.result.ok, true, report.text);
    assert.ok(report.lines.includes('pb: ok, count 3'), report.text);
    assert.equal(report.result.ok && report.result.count, 3);
    // Votes: #1 0, #2 2, #3 2, #4 1 → small ranks #3 (2, 30) then #2 (2, 50): both fit 100; #1 none; large #4 fits.
    assert.deepEqual(entries.at(-1)!.payload, { votes: [[1, 0], [2, 2], [3, 2], [4, 1]], funded: [2, 3, 4] });
    // Page by page (as a site serves long chains), the verdict is the same.
    const replay = new ChainReplay(meanings);
    for (let i = 0; i < entries.length; i += 2) assert.ok(replay.add(entries.slice(i, i + 2)));
    assert.deepEqual(replay.counted, { name: 'pb', count: 3 });
  });

  test('a chain without results yet, or an empty one, passes', async () => {
    const { report } = await check((n) => [{ kind: 'cycle', payload: { ...cycleOf(n) } }, ...goodBallots()]);
    assert.ok(report.result.ok && report.result.count === 3, report.text);
    const empty = new ChainReplay(meanings);
    assert.ok(empty.add([]));
    assert.deepEqual(pbMeaning().result(), { ok: true, count: 0 });
  });

  test('tampered results fail at the results entry', async () => {
    const ballots = [vote(a, [1]), vote(b, [1])];
    await failsAt((n) => [{ kind: 'cycle', payload: { ...cycleOf(n) } }, ...ballots, { kind: 'results', payload: { votes: [[1, 3], [2, 0], [3, 0], [4, 0]], funded: [1] } }], 4, 'results_votes');
    await failsAt((n) => [{ kind: 'cycle', payload: { ...cycleOf(n) } }, ...ballots, { kind: 'results', payload: { votes: [[1, 2], [2, 0], [3, 0], [4, 0]], funded: [1, 2] } }], 4, 'results_funded');
    // A project left out of votes is tampering too, and so is a results entry counting a ballot's earlier version.
    await failsAt((n) => [{ kind: 'cycle', payload: { ...cycleOf(n) } }, ...ballots, { kind: 'results', payload: { votes: [[1, 2]], funded: [1] } }], 4, 'results_votes');
    await failsAt((n) => [{ kind: 'cycle', payload: { ...cycleOf(n) } }, vote(a, [1]), vote(a, [2], 2), resultsOf(n, [{ voter: a, version: 1, choices: [1] }])], 4, 'results_votes');
  });

  test('a ballot over a category\'s amount, or over the approval limit, fails at its seq', async () => {
    await failsAt((n) => [{ kind: 'cycle', payload: { ...cycleOf(n) } }, vote(a, [3]), vote(b, [1, 2])], 3, 'ballot_over_budget');
    await failsAt((n) => [{ kind: 'cycle', payload: { ...cycleOf(n, { rule: 'approval', maxChoices: 2 }) } }, vote(a, [1, 2]), vote(b, [1, 2, 3])], 3, 'ballot_too_many');
    await failsAt((n) => [{ kind: 'cycle', payload: { ...cycleOf(n, { minSharePct: 50 }) } }, vote(a, [3])], 2, 'ballot_under_share');
    await failsAt((n) => [{ kind: 'cycle', payload: { ...cycleOf(n) } }, vote(a, [3, 9])], 2, 'ballot_unknown_project');
    await failsAt((n) => [{ kind: 'cycle', payload: { ...cycleOf(n) } }, vote(a, [])], 2, 'ballot_empty');
  });

  test('versions run 1, 2, 3 per voter, and a change needs a cycle that allows changes', async () => {
    await failsAt((n) => [{ kind: 'cycle', payload: { ...cycleOf(n) } }, vote(a, [1]), vote(a, [2], 3)], 3, 'version');
    await failsAt((n) => [{ kind: 'cycle', payload: { ...cycleOf(n) } }, vote(a, [1], 2)], 2, 'version');
    await failsAt((n) => [{ kind: 'cycle', payload: { ...cycleOf(n) } }, vote(a, [1]), vote(b, [1]), vote(a, [2])], 4, 'version');
    await failsAt((n) => [{ kind: 'cycle', payload: { ...cycleOf(n, { ballotChanges: false }) } }, vote(a, [1]), vote(a, [2], 2)], 3, 'ballot_change');
  });

  test('the cycle entry comes first, once, of its chain, and results come last, once', async () => {
    await failsAt(() => [vote(a, [1])], 1, 'cycle_first');
    await failsAt((n) => [{ kind: 'cycle', payload: { ...cycleOf(n + 1) } }], 1, 'cycle_chain');
    await failsAt((n) => [{ kind: 'cycle', payload: { ...cycleOf(n) } }, vote(a, [1]), { kind: 'cycle', payload: { ...cycleOf(n) } }], 3, 'cycle_again');
    await failsAt((n) => [{ kind: 'cycle', payload: { ...cycleOf(n) } }, vote(a, [1]), resultsOf(n, [{ voter: a, version: 1, choices: [1] }]), vote(b, [2])], 4, 'after_results');
    await failsAt((n) => [{ kind: 'cycle', payload: { ...cycleOf(n) } }, resultsOf(n, []), resultsOf(n, [])], 3, 'after_results');
    await failsAt((n) => [{ kind: 'cycle', payload: { ...cycleOf(n) } }, { kind: 'vote', payload: {} }], 2, 'kind');
  });

  test('payloads have exactly their keys and forms', async () => {
    const cycle = (n: number, o: Record<string, unknown>) => [{ kind: 'cycle', payload: { ...cycleOf(n), ...o } }];
    for (const bad of [{ extra: 1 }, { ballotChanges: 'yes' }, { rule: 'borda' }, { currency: 'uah' }, { categories: [] }, { maxChoices: 0 },
      { projects: [{ number: 2, category: 'small', cost: 1 }, { number: 1, category: 'small', cost: 1 }] }, { projects: [{ number: 1, category: 'nowhere', cost: 1 }] },
      { categories: [{ slug: 'small', amount: 0, district: null }] }, { categories: [{ slug: 'small', amount: 1, district: null, names: 'x' }] }]) {
      await failsAt((n) => cycle(n, bad), 1, 'payload');
    }
    const good = (n: number) => cycle(n, {});
    for (const bad of [vote('A'.repeat(64), [1]), vote(a.slice(1), [1]), vote(a, [3, 1]), vote(a, [1, 1]), vote(a, [1], 1, { channel: 'post' }),
      vote(a, [1], 0), vote(a, [1], 1, { extra: true })]) {
      await failsAt((n) => [...good(n), bad], 2, 'payload');
    }
    // verify-ledger's strict reading refuses a malformed top-level `at` before any meaning; the checker refuses it too.
    const { entries } = await check((n) => [...good(n), vote(a, [1])]);
    for (const at of [1, '2027-02-30T10:00:00Z', '2027-05-02 10:11:12', '2027-05-02T10:11:12.5Z', '2027-05-02T24:00:00Z']) {
      const meaning = pbMeaning();
      assert.equal(meaning.add([entries[0]!, { ...entries[1]!, payload: { ...entries[1]!.payload, at } }]), false, String(at));
      assert.deepEqual(meaning.result(), { ok: false, brokenAt: 2, reason: 'payload' });
    }
    await failsAt((n) => [...good(n), { kind: 'results', payload: { votes: [[1, -1]], funded: [] } }], 2, 'payload');
    await failsAt((n) => [...good(n), { kind: 'results', payload: { votes: [], funded: [], at: AT } }], 2, 'payload');
  });
});
