import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Municipality } from '../../../../db/schema.ts';
import { postAtOnce } from '../../../../platform/idempotency/testing.ts';
import { startTestApp, type FormFields, type TestApp, type TestClient } from '../../../../platform/testing/http.ts';
import { findCycle, listCycles } from '../../cycle.repo.ts';
import type { Cycle } from '../../pb.tables.ts';
import { pbTown, resident, seedCycle } from '../../testing.ts';
import { cycleFormValues } from '../cycle.input.ts';

let t: TestApp;
let town: Municipality;
let other: Municipality;
const c: Record<string, TestClient> = {};
const STAFF = '/en/zhovkva/participatory-budget/staff';
const count = async (table: 'audit_log' | 'pb_cycles' | 'pb_categories') =>
  Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

/** A new cycle's form, filled as an administrator would. */
const NEW: FormFields = {
  year: 2031, title: 'Громадський бюджет 2031', description: 'Пропонуйте проєкти для громади.', totalAmount: '4 000 000', currency: 'UAH',
  submissionOpens: '2031-01-10T09:00', submissionCloses: '2031-02-10T18:00', reviewCloses: '2031-03-10T18:00', votingOpens: '2031-04-01T09:00',
  votingCloses: '2031-04-20T20:00', implementationOpens: '2031-06-01T00:00', rule: 'approval', maxChoices: 3, voteLevel: 'resident', submitLevel: 'email',
  ageSource: 'identity_or_declared', reviewDays: 10,
};
const formOf = (cycle: Cycle) => Object.fromEntries(Object.entries(cycleFormValues(cycle, town.time_zone)).filter(([, v]) => v !== '')) as FormFields;

before(async () => {
  t = await startTestApp();
  town = await pbTown(t.db, 'zhovkva');
  other = await pbTown(t.db, 'sombor', { currency: 'RSD' });
  for (const role of ['admin', 'official', 'moderator'] as const) await resident(t.db, `${role}@example.org`, town, { role });
  await resident(t.db, 'neighbour@example.org', town);
  await resident(t.db, 'other-admin@example.org', other, { role: 'admin' });
  for (const who of ['admin', 'official', 'moderator', 'neighbour', 'other-admin']) c[who] = await t.signedIn(`${who}@example.org`, 'en');
  c.guest = t.client('en');
});
after(() => t.close());

describe('the staff home', () => {
  test('lists every cycle with its phase, drafts too, and the review count; for staff only', async () => {
    const { cycle } = await seedCycle(t.db, town, { phase: 'submission' });
    const { cycle: draft } = await seedCycle(t.db, town, { status: 'draft' });
    const res = await c.admin!.get(STAFF);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, new RegExp(`${STAFF}/cycles/${cycle.number}"`));
    assert.match(res.body, new RegExp(`${STAFF}/cycles/${draft.number}"`));
    assert.match(res.body, /Submission of projects/);
    assert.match(res.body, /No project is waiting for technical review/);
    assert.match(res.body, new RegExp(`href="${STAFF}/cycles/new"`));
    const moderator = await c.moderator!.get(STAFF);
    assert.equal(moderator.statusCode, 200);
    assert.doesNotMatch(moderator.body, /cycles\/new/);
    assert.equal((await c.neighbour!.get(STAFF)).statusCode, 403);
    assert.equal((await c['other-admin']!.get(STAFF)).statusCode, 403);
    assert.match(String((await c.guest!.get(STAFF)).headers.location), /sign-in/);
  });
});

describe('creating and editing a cycle', () => {
  test('an administrator creates a draft once, however often the form is sent', async () => {
    assert.equal((await c.admin!.get(`${STAFF}/cycles/new`)).statusCode, 200);
    const before = await count('pb_cycles');
    const answers = await postAtOnce(c.admin!, `${STAFF}/cycles/new`, `${STAFF}/cycles/new`, NEW, 5);
    assert.ok(answers.every((a) => a.statusCode === 303), answers.map((a) => a.statusCode).join());
    assert.equal(new Set(answers.map((a) => a.headers.location)).size, 1);
    assert.equal(await count('pb_cycles'), before + 1);
    const made = (await listCycles(t.db, town.id, { drafts: true }))[0]!;
    assert.equal(String(answers[0]!.headers.location), `${STAFF}/cycles/${made.number}/categories`);
    assert.deepEqual([made.status, made.total_amount, made.submission_opens.toISOString()], ['draft', 400_000_000, '2031-01-10T07:00:00.000Z']);
  });

  test('bad input names the field and writes nothing', async () => {
    const before = [await count('pb_cycles'), await count('audit_log')];
    const cases: [FormFields, RegExp][] = [
      [{ ...NEW, submissionCloses: '2031-01-01T09:00' }, /“Submission closes” must be later than “Submission opens”/],
      [{ ...NEW, totalAmount: 'багато' }, /Enter “Total amount” as an amount of money/],
      [{ ...NEW, maxChoices: undefined }, /Enter “Most projects on a ballot”: the approval rule needs it/],
      [{ ...NEW, minChoices: 5 }, /“Fewest projects on a ballot” cannot be more than “Most projects on a ballot” \(3\)/],
      [{ ...NEW, title: undefined }, /Enter title/],
      [{ ...NEW, votingOpens: '2031-13-01T09:00' }, /Voting opens is not in the right format/],
    ];
    for (const [fields, message] of cases) {
      const res = await c.admin!.post(`${STAFF}/cycles/new`, fields);
      assert.equal(res.statusCode, 400, String(message));
      assert.match(res.body, message);
    }
    // The knapsack rule ignores N, K and M.
    assert.equal((await c.admin!.post(`${STAFF}/cycles/new`, { ...NEW, rule: 'knapsack', maxChoices: undefined, minChoices: 7 })).statusCode, 303);
    const knapsack = (await listCycles(t.db, town.id, { drafts: true }))[0]!;
    assert.deepEqual([knapsack.rule, knapsack.max_choices, knapsack.min_choices], ['knapsack', null, null]);
    assert.deepEqual([await count('pb_cycles'), await count('audit_log')], [before[0]! + 1, before[1]! + 1]);
  });

  test('only administrators create, edit and publish cycles', async () => {
    const { cycle } = await seedCycle(t.db, town, { status: 'draft' });
    const before = [await count('pb_cycles'), await count('audit_log')];
    const writes: [string, FormFields][] = [[`${STAFF}/cycles/new`, NEW], [`${STAFF}/cycles/${cycle.number}`, { ...formOf(cycle), title: 'Чужа зміна' }], [`${STAFF}/cycles/${cycle.number}/publish`, {}]];
    for (const [url, fields] of writes) {
      for (const who of ['official', 'moderator', 'neighbour', 'other-admin']) assert.equal((await c[who]!.post(url, fields)).statusCode, 403, `${who} ${url}`);
      assert.match(String((await c.guest!.post(url, fields)).headers.location ?? ''), /sign-in/);
      assert.equal((await c.official!.get(url.replace('/publish', ''))).statusCode, 403);
    }
    assert.deepEqual([await count('pb_cycles'), await count('audit_log')], before);
    assert.equal((await findCycle(t.db, town.id, cycle.number))!.status, 'draft');
  });

  test('the edit form shows the cycle, saves a change and refuses a rule change after the first ballot', async () => {
    const { cycle } = await seedCycle(t.db, town, { phase: 'voting' });
    const page = await c.admin!.get(`${STAFF}/cycles/${cycle.number}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(`name="title"[^>]*value="${cycle.title}"`));
    assert.match(page.body, /Now: Voting/);
    const saved = await c.admin!.post(`${STAFF}/cycles/${cycle.number}`, { ...formOf(cycle), title: 'Громадський бюджет: голосування' });
    assert.equal(saved.statusCode, 303);
    assert.equal((await findCycle(t.db, town.id, cycle.number))!.title, 'Громадський бюджет: голосування');
    await t.db.insertInto('pb_ballots').values({ municipality_id: town.id, cycle_id: cycle.id, channel: 'online', voter: 'd'.repeat(64), choices: [1] }).execute();
    const before = await count('audit_log');
    const frozen = await c.admin!.post(`${STAFF}/cycles/${cycle.number}`, { ...formOf(cycle), maxChoices: 5 });
    assert.equal(frozen.statusCode, 400);
    assert.match(frozen.body, /“Most projects on a ballot” can no longer change: ballots have been cast since/);
    const shorter = await c.admin!.post(`${STAFF}/cycles/${cycle.number}`, { ...formOf(cycle), votingCloses: formOf({ ...cycle, voting_closes: new Date(cycle.voting_closes.getTime() - 86_400_000) }).votingCloses });
    assert.equal(shorter.statusCode, 400);
    assert.match(shorter.body, /“Voting closes” ends the phase now running: it may only move later than/);
    assert.equal(await count('audit_log'), before);
    assert.equal((await findCycle(t.db, town.id, cycle.number))!.max_choices, 3);
    assert.match((await c.admin!.get(`${STAFF}/cycles/${cycle.number}`)).body, /Ballots have been cast since/);
  });

  test('another municipality’s cycle is not found', async () => {
    const { cycle } = await seedCycle(t.db, other, {});
    await seedCycle(t.db, other, {});
    const missing = (await listCycles(t.db, other.id)).length + 10;
    assert.equal((await c.admin!.get(`${STAFF}/cycles/${missing}`)).statusCode, 404);
    assert.equal((await c.admin!.post(`${STAFF}/cycles/${missing}/publish`)).statusCode, 404);
    assert.equal((await c['other-admin']!.get(`/en/sombor/participatory-budget/staff/cycles/${cycle.number}`)).statusCode, 200);
  });

  test('a draft is published once it has a category', async () => {
    const created = await c.admin!.post(`${STAFF}/cycles/new`, { ...NEW, title: 'Порожній цикл' });
    const path = String(created.headers.location).replace('/categories', '');
    const number = Number(path.split('/').pop());
    const refused = await c.admin!.post(`${path}/publish`);
    assert.equal(refused.statusCode, 303);
    assert.match((await c.admin!.follow(refused)).body, /at least one category/);
    assert.equal((await findCycle(t.db, town.id, number))!.status, 'draft');
    await c.admin!.post(`${path}/categories`, { slug: 'small', nameEn: 'Small projects', nameUk: 'Малі проєкти', amount: '1 000 000', maxCost: '300 000' });
    const published = await c.admin!.post(`${path}/publish`);
    assert.match((await c.admin!.follow(published)).body, /is published/);
    assert.equal((await findCycle(t.db, town.id, number))!.status, 'published');
  });
});
