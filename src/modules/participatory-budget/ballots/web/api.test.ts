import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Municipality } from '../../../../db/schema.ts';
import { startTestApp, type TestApp, type TestClient } from '../../../../platform/testing/http.ts';
import { TEST_IDENTIFIER_KEY, TEST_IDENTIFIERS } from '../../../../platform/testing/people.ts';
import type { Cycle } from '../../pb.tables.ts';
import { pbTown, seedCycle, type SeedCycle } from '../../testing.ts';
import { recordPaper } from '../paper.service.ts';
import { clientFor, seedDistrict, seedProjects, seedVoter, type SeedVoter } from '../testing.ts';

let t: TestApp;
let town: Municipality;
let author: number;
let cycle: Cycle;
let p: number[];
const api = (n: number | string, slug = 'zhovkva') => `/api/v1/${slug}/participatory-budget/cycles/${n}/ballot`;
const ballot = (n: number) => `/en/zhovkva/participatory-budget/cycles/${n}/ballot`;
type Problem = { code: string; refusal?: string; message: string } | null;
interface State {
  cycle: { number: number; open: boolean; votingOpens: string; votingCloses: string; rule: string; maxChoices: number | null; maxPerCategory: number | null; ballotChanges: boolean; currency: string };
  categories: { slug: string; amount: number; district: string | null; chosen: number[]; spent: number; moneyLeft: number; choicesLeft: number | null }[];
  projects: { number: number; category: string; cost: number; title: string }[];
  choicesLeft: number | null;
  selection: number[] | null;
  ballot: { channel: string; version: number; choices: number[]; voter: string } | null;
  canSelect: boolean;
  problem: Problem;
}
const writes = async () => Promise.all((['pb_ballots', 'pb_selections', 'ledger_queue'] as const).map(async (table) =>
  Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)));

/** The state as `who` reads it: 200 and JSON. */
async function state(who: TestClient, n: number): Promise<State> {
  const res = await who.get(api(n));
  assert.equal(res.statusCode, 200, res.body);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  return JSON.parse(res.body) as State;
}

async function voter(o: SeedVoter = {}) {
  const v = await seedVoter(t.db, town, o);
  return { id: v.id, c: await clientFor(t, v.id) };
}

async function cycleOf(o: SeedCycle = {}) {
  const s = await seedCycle(t.db, town, { categories: [{ slug: 'parks', amount: 10_000_000 }], ...o });
  return { cycle: s.cycle, p: await seedProjects(t.db, town, s.categories[0]!, author, 2) };
}

before(async () => {
  t = await startTestApp({ IDENTIFIER_KEY: TEST_IDENTIFIER_KEY });
  assert.equal(t.built.deps.identifiers.hash('document', 'AB 1'), TEST_IDENTIFIERS.hash('document', 'AB 1'));
  town = await pbTown(t.db, 'zhovkva');
  author = (await seedVoter(t.db, town)).id;
  const s = await seedCycle(t.db, town, { maxChoices: 3, maxPerCategory: 2 });
  cycle = s.cycle;
  p = await seedProjects(t.db, town, s.categories[0]!, author, 3);
});
after(() => t.close());

describe('the ballot in JSON', () => {
  test('to a visitor: the rules, categories and projects, `not_signed_in`, no selection; publicly cacheable', async () => {
    const res = await t.client('en').get(api(cycle.number));
    assert.notEqual(res.headers['cache-control'], 'private, no-store');
    const s = await state(t.client('en'), cycle.number);
    const { votingOpens, votingCloses, ...rules } = s.cycle;
    assert.deepEqual([votingOpens, votingCloses], [cycle.voting_opens.toISOString(), cycle.voting_closes.toISOString()]);
    assert.deepEqual(rules, { number: cycle.number, open: true, currency: 'UAH', rule: 'approval', maxChoices: 3, maxPerCategory: 2, minChoices: null, minSharePct: null, ballotChanges: false });
    assert.deepEqual(s.categories.map((c) => [c.slug, c.amount, c.district, c.chosen, c.choicesLeft]), [['small', 100_000_000, null, [], 2], ['large', 300_000_000, null, [], 2]]);
    assert.deepEqual(s.projects.map((x) => [x.number, x.category, x.cost]), p.map((n) => [n, 'small', 1_000_000]));
    assert.deepEqual([s.selection, s.ballot, s.canSelect, s.choicesLeft], [null, null, false, 3]);
    assert.deepEqual(s.problem, { code: 'not_signed_in', message: 'Увійдіть, щоб проголосувати.' });
  });

  test('to a voter: their own selection and what is left, private; another voter does not see it', async () => {
    const a = await voter();
    const b = await voter();
    await a.c.post(`${ballot(cycle.number)}/add`, { project: p[1]! });
    const res = await a.c.get(api(cycle.number));
    assert.equal(res.headers['cache-control'], 'private, no-store');
    const s = JSON.parse(res.body) as State;
    assert.deepEqual([s.selection, s.canSelect, s.problem, s.choicesLeft], [[p[1]!], true, null, 2]);
    assert.deepEqual(s.categories[0], { slug: 'small', amount: 100_000_000, district: null, chosen: [p[1]!], spent: 1_000_000, moneyLeft: 99_000_000, choicesLeft: 1 });
    assert.deepEqual((await state(b.c, cycle.number)).selection, []);
  });

  test('after casting: `already_voted` with the ballot, or no problem where changes are allowed', async () => {
    const v = await voter();
    await v.c.post(`${ballot(cycle.number)}/add`, { project: p[0]! });
    await v.c.post(`${ballot(cycle.number)}/cast`, { choices: [p[0]!], version: 0 });
    const s = await state(v.c, cycle.number);
    assert.equal(s.problem?.code, 'already_voted');
    assert.equal(s.problem?.message, 'Ви вже проголосували онлайн у цьому циклі.');
    assert.deepEqual([s.ballot?.channel, s.ballot?.version, s.ballot?.choices, s.canSelect], ['online', 1, [p[0]!], false]);
    assert.match(s.ballot!.voter, /^[0-9a-f]{64}$/);
    const open = await cycleOf({ ballotChanges: true });
    await v.c.post(`${ballot(open.cycle.number)}/add`, { project: open.p[0]! });
    await v.c.post(`${ballot(open.cycle.number)}/cast`, { choices: [open.p[0]!], version: 0 });
    const changeable = await state(v.c, open.cycle.number);
    assert.deepEqual([changeable.problem, changeable.canSelect, changeable.ballot?.version, changeable.cycle.ballotChanges], [null, true, 1, true]);
  });

  test('a paper ballot of the same person: `already_voted`, channel paper', async () => {
    const v = await voter({ document: 'КК 777777' });
    const official = await seedVoter(t.db, town);
    const r = await recordPaper(t.built.deps, { id: official.id, ip: null }, town, cycle, { documentType: 'passport', documentNumber: 'кк777777', districtId: null, ageBand: null, ageChecked: false, choices: [p[2]!] }, null);
    assert.equal(r.kind, 'recorded');
    const s = await state(v.c, cycle.number);
    assert.deepEqual([s.problem?.code, s.ballot?.channel, s.canSelect], ['already_voted', 'paper', false]);
  });
});

describe('stable codes for each refusal', () => {
  test('`not_open` before and after voting', async () => {
    const v = await voter();
    for (const phase of ['review', 'results'] as const) {
      const s = await state(v.c, (await cycleOf({ phase })).cycle.number);
      assert.deepEqual([s.problem?.code, s.cycle.open, s.canSelect], ['not_open', false, false], phase);
    }
  });

  test('`not_eligible` with its refusal: level, age_unknown, too_young', async () => {
    const resident = await cycleOf({ voteLevel: 'resident' });
    const outsider = await state((await voter({ resident: false })).c, resident.cycle.number);
    assert.deepEqual(outsider.problem, { code: 'not_eligible', refusal: 'level', message: 'Ваш обліковий запис не має рівня перевірки, потрібного виборцям цього циклу.' });
    const unverified = await state((await voter({ resident: false, emailVerified: false })).c, cycle.number);
    assert.deepEqual([unverified.problem?.code, unverified.problem?.refusal], ['not_eligible', 'level']);
    const aged = await cycleOf({ minAge: 16 });
    const unknown = await state((await voter()).c, aged.cycle.number);
    assert.deepEqual([unknown.problem?.code, unknown.problem?.refusal, unknown.canSelect], ['not_eligible', 'age_unknown', false]);
    const young = await state((await voter({ birthDate: `${new Date().getUTCFullYear() - 10}-06-01` })).c, aged.cycle.number);
    assert.deepEqual([young.problem?.code, young.problem?.refusal], ['not_eligible', 'too_young']);
    const grown = await state((await voter({ birthDate: '1980-01-01' })).c, aged.cycle.number);
    assert.equal(grown.problem, null);
  });

  test('`district_needed`, and a resident district’s categories only', async () => {
    const north = await seedDistrict(t.db, town, 'api-north');
    const south = await seedDistrict(t.db, town, 'api-south');
    const d = await seedCycle(t.db, town, { categories: [
      { slug: 'city', amount: 10_000_000 }, { slug: 'north', amount: 5_000_000, districtId: north }, { slug: 'south', amount: 5_000_000, districtId: south },
    ] });
    const none = await state((await voter()).c, d.cycle.number);
    assert.deepEqual([none.problem?.code, none.canSelect, none.categories.map((c) => c.slug)], ['district_needed', true, ['city']]);
    const local = await state((await voter({ districtId: north })).c, d.cycle.number);
    assert.deepEqual([local.problem, local.categories.map((c) => [c.slug, c.district])], [null, [['city', null], ['north', 'api-north']]]);
  });

  test('unknown, draft, other municipality’s and tampered cycles: 404 `not_found`', async () => {
    const draft = await seedCycle(t.db, town, { status: 'draft' });
    const sombor = await pbTown(t.db, 'sombor');
    const theirs = await seedCycle(t.db, sombor);
    await t.db.updateTable('pb_cycles').set({ number: 900 }).where('id', '=', theirs.cycle.id).execute();
    const guest = t.client('en');
    for (const url of [api(999), api(draft.cycle.number), api(900), api('abc'), api('0'), api(1, 'nowhere')]) {
      const res = await guest.get(url);
      assert.equal(res.statusCode, 404, url);
      assert.equal((JSON.parse(res.body) as { error: { code: string } }).error.code, 'not_found', url);
    }
    assert.equal((await guest.get(api(900, 'sombor'))).statusCode, 200);
  });

  test('the API writes nothing: a POST, with or without a session, is refused', async () => {
    const v = await voter();
    const before = await writes();
    for (const who of [t.client('en'), v.c]) {
      const res = await who.request('POST', api(cycle.number), { payload: { project: p[0]! }, headers: { 'content-type': 'application/json' } });
      assert.ok([403, 404, 405].includes(res.statusCode), String(res.statusCode));
      assert.ok((JSON.parse(res.body) as { error: { code: string } }).error.code);
    }
    assert.deepEqual(await writes(), before);
  });
});
