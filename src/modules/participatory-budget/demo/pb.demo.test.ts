import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Municipality } from '../../../db/schema.ts';
import { ledgerEntries, verifyChain } from '../../../platform/ledger/ledger.ts';
import { startTestApp, type TestApp } from '../../../platform/testing/http.ts';
import { cycleChain } from '../paths.ts';
import { phaseAt } from '../phase.ts';
import type { Cycle } from '../pb.tables.ts';
import { computeResults, resultsPayload, type CountedBallot, type CycleEntry } from '../results/compute.ts';
import { demoTowns, type DemoTown } from './demo.testing.ts';
import { pbDemo } from './pb.demo.ts';

let t: TestApp;
let towns: DemoTown[] = [];
const TABLES = ['users', 'pb_cycles', 'pb_categories', 'pb_projects', 'pb_project_events', 'pb_ballots', 'pb_voters', 'pb_results', 'pb_updates', 'pb_milestones', 'ledger_entries', 'resident_verifications'] as const;
const counts = async () => Object.fromEntries(await Promise.all(TABLES.map(async (table) =>
  [table, Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)])));
const cyclesOf = (m: Municipality) => t.db.selectFrom('pb_cycles').selectAll().where('municipality_id', '=', m.id).orderBy('number').execute() as Promise<Cycle[]>;

before(async () => {
  t = await startTestApp();
  towns = await demoTowns(t.db);
});
after(() => t.close());

test('the demo fills every demo municipality with cycles in every phase, and a second run adds nothing', async () => {
  const started = Date.now();
  for (const { m, people } of towns) await pbDemo(t.built.deps, m, people);
  const first = await counts();
  for (const { m, people } of towns) await pbDemo(t.built.deps, m, people);
  assert.deepEqual(await counts(), first, 'running the demo again duplicates nothing');
  const now = new Date();
  const phases = new Set<string>();
  for (const { m } of towns) {
    const cycles = await cyclesOf(m);
    assert.ok(cycles.length >= 2, `${m.slug}: a past and a current cycle`);
    assert.ok(cycles.every((c) => c.status === 'published'));
    const here = cycles.map((c) => phaseAt(c, now).phase);
    assert.equal(here[0], 'implementation', `${m.slug}: the past cycle's winners are being built`);
    assert.equal(new Set(here).size, here.length, `${m.slug}: its cycles are in different phases`);
    here.forEach((p) => phases.add(p));
  }
  assert.deepEqual([...phases].sort(), ['implementation', 'information', 'results', 'review', 'submission', 'voting']);
  assert.ok(Date.now() - started < 60_000, 'quick enough for the demo command');
});

test('demo texts are in each municipality’s language and script', async () => {
  for (const { m } of towns) {
    const titles = (await t.db.selectFrom('pb_projects').select('title').where('municipality_id', '=', m.id).execute()).map((p) => p.title);
    assert.ok(titles.length > 0);
    const cyrillic = titles.every((x) => /[\u0400-\u04FF]/.test(x));
    const latin = titles.every((x) => !/[\u0400-\u04FF]/.test(x));
    assert.ok(m.default_locale === 'uk' || m.default_locale === 'sr-Cyrl' ? cyrillic : latin, `${m.slug}: ${titles[0]}`);
  }
});

test('past cycles have published results with funded projects being built: progress, money, milestones and updates', async () => {
  for (const { m } of towns) {
    const [past] = await cyclesOf(m);
    assert.ok(past!.results_published_at && past!.results_published_at < past!.implementation_opens, `${m.slug}: results published after voting`);
    const results = await t.db.selectFrom('pb_results').select(['funded']).where('cycle_id', '=', past!.id).execute();
    assert.ok(results.some((r) => r.funded) && results.some((r) => !r.funded), `${m.slug}: some projects funded, some not`);
    const funded = await t.db.selectFrom('pb_projects').selectAll().where('cycle_id', '=', past!.id).where('funded', '=', true).orderBy('number').execute();
    assert.deepEqual([...new Set(funded.map((p) => p.impl_status))].sort(), ['completed', 'in_progress', 'planned', 'procurement']);
    const done = funded.find((p) => p.impl_status === 'completed')!;
    assert.equal(done.progress, 100);
    assert.ok(done.contracted! > 0 && done.spent > 0 && done.spent <= done.contracted!);
    const updates = await t.db.selectFrom('pb_updates').select(['progress', 'created_at']).where('project_id', '=', done.id).orderBy('id').execute();
    assert.deepEqual(updates.map((u) => u.progress), [10, 70, 100]);
    const milestones = await t.db.selectFrom('pb_milestones').select(['done_on']).where('project_id', '=', done.id).execute();
    assert.ok(milestones.length === 3 && milestones.every((x) => x.done_on !== null));
  }
});

test('ballots are in each cycle’s ledger chain, which re-counts to the database', async () => {
  let cycles = 0;
  for (const { m } of towns) {
    for (const c of await cyclesOf(m)) {
      const ballots = Number((await t.db.selectFrom('pb_ballots').select((eb) => eb.fn.countAll<number>().as('n')).where('cycle_id', '=', c.id).executeTakeFirstOrThrow()).n);
      const entries = await ledgerEntries(t.db, m.id, cycleChain(c.number), { limit: 10_000 });
      if (c.voting_opens > new Date()) {
        assert.equal(ballots + entries.length, 0, `${m.slug} ${c.number}: no ballots before voting`);
        continue;
      }
      cycles += 1;
      assert.ok(ballots >= 10, `${m.slug} ${c.number}: tens of ballots`);
      if (c.results_published_at) {
        const paper = await t.db.selectFrom('pb_ballots').select('id').where('cycle_id', '=', c.id).where('channel', '=', 'paper').execute();
        assert.ok(paper.length > 0 && entries.some((e) => e.kind === 'ballot' && e.payload.channel === 'paper'), `${m.slug} ${c.number}: paper ballots too, in the chain`);
      }
      assert.equal(verifyChain(entries).ok, true);
      assert.equal(entries[0]!.kind, 'cycle');
      assert.equal(entries.filter((e) => e.kind === 'ballot').length, ballots, `${m.slug} ${c.number}: every ballot sealed`);
      const results = entries.filter((e) => e.kind === 'results');
      assert.equal(results.length, c.results_published_at ? 1 : 0);
      if (results[0]) {
        // Anyone can re-count: the chain's own cycle entry and ballots give the published results.
        const ballotsInChain = entries.filter((e) => e.kind === 'ballot').map((e) => e.payload as unknown as CountedBallot);
        assert.deepEqual(resultsPayload(computeResults(entries[0]!.payload as unknown as CycleEntry, ballotsInChain)), results[0].payload);
      }
      const times = entries.filter((e) => e.kind === 'ballot').map((e) => String(e.payload.at));
      assert.ok(times.every((at) => new Date(at) >= c.voting_opens && new Date(at) < c.voting_closes), 'cast while voting was open');
      assert.deepEqual(times, [...times].sort(), `${m.slug} ${c.number}: ballots in the order of their times`);
    }
  }
  assert.equal(cycles, 6, 'four past cycles, one in voting and one with results');
});

test('the public pages of every demo cycle answer', async () => {
  for (const { m } of towns) {
    const c = t.client(m.default_locale);
    const base = `/${m.default_locale}/${m.slug}/participatory-budget`;
    assert.equal((await c.get(base)).statusCode, 200, base);
    for (const cycle of await cyclesOf(m)) {
      const voted = cycle.voting_opens <= new Date();
      for (const page of ['', '/projects', '/results', '/implementation', '/statistics', '/accountability', ...(voted ? ['/ledger'] : [])]) {
        const url = `${base}/cycles/${cycle.number}${page}`;
        let res = await c.get(url);
        // The list in random order first gives the visitor a seed for its address.
        if (page === '/projects' && res.statusCode === 302) res = await c.get(String(res.headers.location));
        assert.equal(res.statusCode, 200, url);
        if (page === '/results' && cycle.results_published_at) assert.match(res.body, /<table/, `${url}: the results table`);
      }
    }
    const project = await t.db.selectFrom('pb_projects').select('number').where('municipality_id', '=', m.id).where('funded', '=', true).orderBy('number').executeTakeFirstOrThrow();
    assert.equal((await c.get(`${base}/projects/${project.number}`)).statusCode, 200);
  }
});

test('the staff pages of every demo municipality answer with the demo data', async () => {
  for (const { m } of towns) {
    const c = await t.signedIn(`admin@${m.slug}.example`, m.default_locale);
    const staff = `/${m.default_locale}/${m.slug}/participatory-budget/staff`;
    for (const page of ['', '/review', '/implementation', '/paper']) assert.equal((await c.get(`${staff}${page}`)).statusCode, 200, `${staff}${page}`);
  }
});
