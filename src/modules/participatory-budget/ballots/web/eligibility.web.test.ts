import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Municipality } from '../../../../db/schema.ts';
import { startTestApp, type TestApp, type TestClient } from '../../../../platform/testing/http.ts';
import type { Cycle } from '../../pb.tables.ts';
import { pbTown, seedCycle, type SeedCycle } from '../../testing.ts';
import { clientFor, seedDistrict, seedProjects, seedVoter, type SeedVoter } from '../testing.ts';

let t: TestApp;
let town: Municipality;
let author: number;
const ballot = (c: Pick<Cycle, 'number'>, locale = 'en') => `/${locale}/zhovkva/participatory-budget/cycles/${c.number}/ballot`;
const selections = async (userId: number) =>
  Number((await t.db.selectFrom('pb_selections').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).executeTakeFirstOrThrow()).n);
const declared = async (userId: number) => (await t.db.selectFrom('pb_declared_districts').select('district_id').where('user_id', '=', userId).execute()).map((r) => r.district_id);

/** A cycle with one category ("parks", two projects) unless said otherwise; its project numbers by category. */
async function cycleOf(o: SeedCycle = {}): Promise<{ cycle: Cycle; numbers: number[][] }> {
  const { cycle, categories } = await seedCycle(t.db, town, { categories: [{ slug: 'parks', amount: 10_000_000 }], ...o });
  const numbers: number[][] = [];
  for (const c of categories) numbers.push(await seedProjects(t.db, town, c, author, 2));
  return { cycle, numbers };
}

async function voter(o: SeedVoter = {}): Promise<{ id: number; c: TestClient }> {
  const v = await seedVoter(t.db, town, o);
  return { id: v.id, c: await clientFor(t, v.id) };
}

/** The page of an ineligible voter, then an add refused with `message` and nothing written. */
async function refused(v: { id: number; c: TestClient }, cycle: Cycle, project: number, page: RegExp[], message: RegExp) {
  const res = await v.c.get(ballot(cycle));
  assert.equal(res.statusCode, 200);
  assert.match(res.body, /<h1>One step is missing<\/h1>/);
  for (const text of page) assert.match(res.body, text);
  assert.doesNotMatch(res.body, /Add to my ballot/);
  const post = await v.c.post(`${ballot(cycle)}/add`, { project });
  assert.equal(post.statusCode, 303);
  assert.match((await v.c.follow(post)).body, message);
  assert.equal(await selections(v.id), 0);
}

before(async () => {
  t = await startTestApp();
  town = await pbTown(t.db, 'zhovkva');
  author = (await seedVoter(t.db, town)).id;
});
after(() => t.close());

describe('a visitor who is not signed in', () => {
  test('sees the ballot’s rules and projects and a “Sign in to vote” link, in every locale', async () => {
    const { cycle, numbers } = await cycleOf({ maxChoices: 2 });
    const guest = t.client('en');
    const res = await guest.get(ballot(cycle));
    assert.equal(res.statusCode, 200);
    for (const text of [/<h1>Your ballot<\/h1>/, /Choose up to 2 projects\./, /Chosen: no projects/, new RegExp(`projects/${numbers[0]![1]!}"`)]) assert.match(res.body, text);
    assert.match(res.body, new RegExp(`<a href="/en/account/sign-in\\?next=${encodeURIComponent(ballot(cycle))}">Sign in to vote</a>`));
    assert.doesNotMatch(res.body, /One step is missing|Add to my ballot/);
    const project = (await guest.get(`/en/zhovkva/participatory-budget/projects/${numbers[0]![0]!}`)).body;
    assert.match(project, /Voting is open\. <a href="\/en\/account\/sign-in\?next=[^"]+">Sign in to vote<\/a>/);
    for (const [locale, words] of [['uk', 'Увійдіть, щоб проголосувати'], ['pl', 'Zaloguj się, aby głosować'], ['sr-Cyrl', 'Пријавите се да бисте гласали'], ['sr-Latn', 'Prijavite se da biste glasali']] as const) {
      const page = await t.client(locale).get(ballot(cycle, locale));
      assert.equal(page.statusCode, 200, locale);
      assert.match(page.body, new RegExp(`>${words}</a>`), locale);
    }
  });

  test('is sent to sign in by the add, remove and district forms and the confirmation; nothing is written', async () => {
    const { cycle, numbers } = await cycleOf();
    const guest = t.client('en');
    await guest.get(ballot(cycle));
    for (const action of ['add', 'remove', 'district']) {
      const res = await guest.post(`${ballot(cycle)}/${action}`, { project: numbers[0]![0]!, district: 1 });
      assert.match(String(res.headers.location), /^\/en\/account\/sign-in\?next=/, action);
    }
    assert.equal(Number((await t.db.selectFrom('pb_selections').select((eb) => eb.fn.countAll<number>().as('n')).where('cycle_id', '=', cycle.id).executeTakeFirstOrThrow()).n), 0);
    assert.match(String((await guest.get(`${ballot(cycle)}/confirm`)).headers.location), /^\/en\/account\/sign-in\?next=/);
  });
});

describe('a voter who may not vote is told what is missing, and nothing is written', () => {
  test('not a confirmed resident where the cycle asks for one', async () => {
    const { cycle, numbers } = await cycleOf({ voteLevel: 'resident' });
    await refused(await voter({ resident: false }), cycle, numbers[0]![0]!, [/To vote in this cycle you need: Verified resident of the municipality\./],
      /Your account does not have the verification this cycle(’|'|&#39;)s voters need\./);
  });

  test('an e-mail address not confirmed', async () => {
    const { cycle, numbers } = await cycleOf();
    await refused(await voter({ resident: false, emailVerified: false }), cycle, numbers[0]![0]!, [/To vote in this cycle you need: Confirmed e-mail address\./],
      /Your account does not have the verification this cycle(’|'|&#39;)s voters need\./);
  });

  test('under the minimum age, or with no date of birth known', async () => {
    const { cycle, numbers } = await cycleOf({ minAge: 16 });
    const young = await voter({ birthDate: `${new Date().getUTCFullYear() - 10}-01-01` });
    await refused(young, cycle, numbers[0]![0]!, [/Voters in this cycle must be at least 16 years old\. You turn 16 on .*, after voting closes\./],
      /You are younger than this cycle(’|'|&#39;)s minimum age\./);
    await refused(await voter(), cycle, numbers[0]![0]!, [/we do not know your date of birth yet/, /enter your date of birth/],
      /This cycle has a minimum age, and your date of birth is not known\./);
    // A project's page sends them to the ballot to see why.
    const project = (await young.c.get(`/en/zhovkva/participatory-budget/projects/${numbers[0]![0]!}`)).body;
    assert.match(project, new RegExp(`You cannot vote in this cycle yet\\. <a href="${ballot(cycle)}">See what is missing</a>`));
    assert.doesNotMatch(project, /Add to my ballot/);
    // Old enough: the ballot itself.
    const grown = await voter({ birthDate: '1990-05-05' });
    assert.match((await grown.c.get(ballot(cycle))).body, /Add to my ballot/);
  });
});

describe('district categories', () => {
  let cycle: Cycle;
  let city: number[];
  let north: number[];
  let south: number[];
  let northId: number;
  let southId: number;
  before(async () => {
    northId = await seedDistrict(t.db, town, 'north');
    southId = await seedDistrict(t.db, town, 'south');
    const made = await cycleOf({ maxChoices: 5, categories: [
      { slug: 'city', amount: 10_000_000 }, { slug: 'north-parks', amount: 5_000_000, districtId: northId }, { slug: 'south-parks', amount: 5_000_000, districtId: southId },
    ] });
    cycle = made.cycle;
    [city, north, south] = made.numbers as [number[], number[], number[]];
  });

  test('a resident of one district sees its category only; another district’s project is refused', async () => {
    const v = await voter({ districtId: northId });
    const page = (await v.c.get(ballot(cycle))).body;
    assert.match(page, /north-parks \(District north\)/);
    assert.doesNotMatch(page, /south-parks|Your district/);
    const res = await v.c.post(`${ballot(cycle)}/add`, { project: south[0]! });
    assert.match((await v.c.follow(res)).body, new RegExp(`Project #${south[0]!} is for the residents of another district\\.`));
    assert.equal(await selections(v.id), 0);
    // Their district is their confirmed residence's: it cannot be declared otherwise.
    const moved = await v.c.post(`${ballot(cycle)}/district`, { district: southId });
    assert.match((await v.c.follow(moved)).body, /Your district can no longer be changed here/);
    assert.deepEqual(await declared(v.id), []);
    await v.c.post(`${ballot(cycle)}/add`, { project: north[0]! });
    assert.equal(await selections(v.id), 1);
  });

  test('a voter without a district chooses one first; a bad district is refused', async () => {
    const v = await voter();
    const page = (await v.c.get(ballot(cycle))).body;
    assert.match(page, /<h2 id="pb-district">Your district<\/h2>/);
    assert.match(page, /The district categories are shown once you have chosen your district\./);
    const first = await v.c.post(`${ballot(cycle)}/add`, { project: north[0]! });
    assert.match((await v.c.follow(first)).body, new RegExp(`Choose your district first: project #${north[0]!} is in a district`));
    assert.equal(await selections(v.id), 0);
    for (const district of ['abc', '999999', '']) {
      const bad = await v.c.post(`${ballot(cycle)}/district`, { district });
      assert.equal(bad.statusCode, 303, district);
      assert.match((await v.c.follow(bad)).body, /Choose one of the districts in the list\./, district);
    }
    assert.deepEqual(await declared(v.id), []);
    const saved = await v.c.post(`${ballot(cycle)}/district`, { district: northId });
    assert.match((await v.c.follow(saved)).body, /Your district is saved\./);
    assert.deepEqual(await declared(v.id), [northId]);
    await v.c.post(`${ballot(cycle)}/add`, { project: north[0]! });
    await v.c.post(`${ballot(cycle)}/add`, { project: city[0]! });
    assert.equal(await selections(v.id), 2);
    // Moving to the other district empties the first district's category only.
    await v.c.post(`${ballot(cycle)}/district`, { district: southId });
    assert.equal(await selections(v.id), 1);
    assert.equal((await v.c.post(`${ballot(cycle)}/district`, { district: northId }, { noCsrf: true })).statusCode, 403);
    assert.deepEqual(await declared(v.id), [southId]);
  });
});
