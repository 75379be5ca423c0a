import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Municipality } from '../../../../db/schema.ts';
import { startTestApp, type TestApp, type TestClient } from '../../../../platform/testing/http.ts';
import { registerCycleSection } from '../../web/sections.ts';
import { pbTown, resident, seedCycle } from '../../testing.ts';

let t: TestApp;
let town: Municipality;
let empty: Municipality;
const c: Record<string, TestClient> = {};
const PB = '/en/zhovkva/participatory-budget';

before(async () => {
  t = await startTestApp();
  town = await pbTown(t.db, 'zhovkva');
  empty = await pbTown(t.db, 'sombor', { currency: 'RSD' });
  await resident(t.db, 'admin@example.org', town, { role: 'admin' });
  await resident(t.db, 'official@example.org', town, { role: 'official' });
  await resident(t.db, 'neighbour@example.org', town);
  for (const who of ['admin', 'official', 'neighbour']) c[who] = await t.signedIn(`${who}@example.org`, 'en');
  c.guest = t.client('en');
});
after(() => t.close());

test('the index lists the published cycles, those under way first, with phase and money; drafts stay hidden', async () => {
  const { cycle: built } = await seedCycle(t.db, town, { phase: 'implementation', resultsPublished: true });
  const { cycle: voting } = await seedCycle(t.db, town, { phase: 'voting' });
  const { cycle: draft } = await seedCycle(t.db, town, { status: 'draft' });
  await t.db.updateTable('pb_cycles').set({ title: 'Чернетка наступного року' }).where('id', '=', draft.id).execute();
  const res = await c.guest!.get(PB);
  assert.equal(res.statusCode, 200);
  const at = (n: number) => res.body.indexOf(`href="${PB}/cycles/${n}"`);
  assert.ok(at(voting.number) > 0 && at(built.number) > at(voting.number), 'the cycle under way comes first');
  assert.equal(at(draft.number), -1);
  assert.doesNotMatch(res.body, /Чернетка наступного року/);
  assert.match(res.body, /Voting<\/strong> until/);
  assert.match(res.body, /Total: UAH\s4,000,000\.00/);
  assert.match(res.body, /small: UAH\s1,000,000\.00/);
  const none = await c.guest!.get('/en/sombor/participatory-budget');
  assert.match(none.body, /No participatory budget cycle has been published yet/);
  assert.equal((await c.guest!.get(`/en/${empty.slug}/participatory-budget`)).statusCode, 200);
});

test('a cycle’s page: phase, money per category, the rule and eligibility in words, calendar, sections of other parts', async () => {
  const { cycle } = await seedCycle(t.db, town, { phase: 'submission', maxPerCategory: 2, minChoices: 1, minAge: 16, ballotChanges: true, voteLevel: 'resident' });
  registerCycleSection({ id: 'test-section', order: 50, render: (_deps, _req, ctx) => `Section for cycle ${ctx.cycle.number}` });
  const res = await c.guest!.get(`${PB}/cycles/${cycle.number}`);
  assert.equal(res.statusCode, 200);
  for (const text of [
    /Now: Submission of projects/, /You can submit a project until/, /aria-label="Pages of this cycle"/,
    /UAH\s3,000,000\.00/, /UAH\s4,000,000\.00/,
    /A ballot may hold up to 3 projects\./, /At most 2 projects of one category\./, /A ballot must hold at least 1 project\./,
    /You may change your ballot until voting closes/, /Who may vote: Verified resident of the municipality\./, /Who may submit a project: Confirmed e-mail address\./,
    /Voters must be at least 16 years old, as confirmed by an electronic identity or by the birth date declared in the account\./,
    /<h2 id="pb-calendar">Calendar<\/h2>/, new RegExp(`Section for cycle ${cycle.number}`),
  ]) assert.match(res.body, text);
  assert.doesNotMatch(res.body, /Manage this cycle/);
  assert.match((await c.admin!.get(`${PB}/cycles/${cycle.number}`)).body, /Manage this cycle/);
  const knapsack = await seedCycle(t.db, town, { phase: 'voting', rule: 'knapsack', minSharePct: 50 });
  const k = await c.guest!.get(`${PB}/cycles/${knapsack.cycle.number}`);
  assert.match(k.body, /you share out the budget yourself/);
  assert.match(k.body, /at least 50% of its money/);
  assert.match(k.body, /Once cast, a ballot is final/);
});

test('a district category says who votes in it', async () => {
  const district = await t.db.insertInto('districts').values({ municipality_id: town.id, slug: 'sknyliv', names: JSON.stringify({ uk: 'Скнилів', en: 'Sknyliv' }) }).returning('id').executeTakeFirstOrThrow();
  const { cycle } = await seedCycle(t.db, town, { phase: 'submission', categories: [{ slug: 'city', amount: 1_000_000 }, { slug: 'sknyliv', amount: 500_000, districtId: district.id, names: { en: 'Sknyliv projects' } }] });
  const res = await c.guest!.get(`${PB}/cycles/${cycle.number}`);
  assert.match(res.body, /Only residents of its district vote in a district category:/);
  assert.match(res.body, /Sknyliv projects: Sknyliv/);
  assert.match(res.body, /The whole municipality/);
});

test('a draft is not found but by its administrators; another municipality’s number is not found', async () => {
  const { cycle } = await seedCycle(t.db, town, { status: 'draft' });
  for (const who of ['guest', 'neighbour', 'official']) assert.equal((await c[who]!.get(`${PB}/cycles/${cycle.number}`)).statusCode, 404, who);
  const admin = await c.admin!.get(`${PB}/cycles/${cycle.number}`);
  assert.equal(admin.statusCode, 200);
  assert.match(admin.body, /This cycle is not published yet/);
  const { cycle: theirs } = await seedCycle(t.db, empty, {});
  assert.equal((await c.guest!.get(`/en/sombor/participatory-budget/cycles/${theirs.number}`)).statusCode, 200);
  assert.equal((await c.guest!.get(`${PB}/cycles/${cycle.number + 100}`)).statusCode, 404);
});

test('every page renders in all five languages', async () => {
  const { cycle } = await seedCycle(t.db, town, { phase: 'review', revision: true, minAge: 14 });
  for (const locale of ['uk', 'sr-Cyrl', 'sr-Latn', 'pl', 'en']) {
    for (const path of ['/zhovkva/participatory-budget', `/zhovkva/participatory-budget/cycles/${cycle.number}`]) {
      const res = await c.guest!.get(`/${locale}${path}`);
      assert.equal(res.statusCode, 200, `${locale}${path}`);
    }
    for (const path of ['', '/cycles/new', `/cycles/${cycle.number}`, `/cycles/${cycle.number}/categories`, `/cycles/${cycle.number}/categories/small`, `/cycles/${cycle.number}/documents`]) {
      assert.equal((await c.admin!.get(`/${locale}/zhovkva/participatory-budget/staff${path}`)).statusCode, 200, `${locale} staff${path}`);
    }
  }
});
