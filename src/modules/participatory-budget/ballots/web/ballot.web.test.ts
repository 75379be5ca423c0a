import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Municipality } from '../../../../db/schema.ts';
import { startTestApp, type FormFields, type TestApp, type TestClient } from '../../../../platform/testing/http.ts';
import type { Category, Cycle } from '../../pb.tables.ts';
import { pbTown, seedCycle, seedProject, type SeedCycle } from '../../testing.ts';
import { clientFor, seedProjects, seedVoter } from '../testing.ts';

let t: TestApp;
let town: Municipality;
let other: Municipality;
let author: number;
/** Approval: up to 3 projects, at most 2 per category; "small" has three projects of 10 000.00, "large" two of 400 000.00. */
let approval: Cycle;
let small: number[];
let large: number[];
/** Knapsack: one category of 100 000.00, projects of 60 000, 50 000 and 30 000. */
let knapsack: Cycle;
let parks: number[];
let rejected: number;
const ballot = (c: Pick<Cycle, 'number'>, slug = 'zhovkva') => `/en/${slug}/participatory-budget/cycles/${c.number}/ballot`;
const projectPage = (n: number) => `/en/zhovkva/participatory-budget/projects/${n}`;
const selections = async (userId?: number) => {
  const q = t.db.selectFrom('pb_selections').select((eb) => eb.fn.countAll<number>().as('n'));
  return Number((await (userId === undefined ? q : q.where('user_id', '=', userId)).executeTakeFirstOrThrow()).n);
};
const chosen = async (cycle: Cycle, userId: number) => (await t.db.selectFrom('pb_selections as s').innerJoin('pb_projects as p', 'p.id', 's.project_id')
  .select('p.number').where('s.cycle_id', '=', cycle.id).where('s.user_id', '=', userId).orderBy('p.number').execute()).map((r) => r.number);

/** A new eligible voter (a confirmed resident with a verified e-mail) and their signed-in client. */
async function voter(): Promise<{ id: number; c: TestClient }> {
  const v = await seedVoter(t.db, town);
  return { id: v.id, c: await clientFor(t, v.id) };
}

/** Posts an add or remove form as the ballot page does, and reads the page it lands on. */
async function change(c: TestClient, cycle: Cycle, action: 'add' | 'remove', fields: FormFields) {
  const res = await c.post(`${ballot(cycle)}/${action}`, fields);
  assert.equal(res.statusCode, 303, `${action} ${JSON.stringify(fields)}: ${res.body.slice(0, 200)}`);
  return { res, page: await c.follow(res) };
}

async function cycleWith(o: SeedCycle, costs: Record<string, number[]>, m = town): Promise<{ cycle: Cycle; numbers: number[][] }> {
  const { cycle, categories } = await seedCycle(t.db, m, o);
  const numbers: number[][] = [];
  for (const [i, c] of categories.entries()) {
    const list: number[] = [];
    for (const cost of costs[c.slug] ?? []) list.push((await seedProject(t.db, m, c as Category, author, { cost })).number);
    numbers.push(list);
  }
  return { cycle, numbers };
}

before(async () => {
  t = await startTestApp();
  town = await pbTown(t.db, 'zhovkva');
  other = await pbTown(t.db, 'sombor');
  author = (await seedVoter(t.db, town)).id;
  const a = await seedCycle(t.db, town, { maxChoices: 3, maxPerCategory: 2 });
  approval = a.cycle;
  small = await seedProjects(t.db, town, a.categories[0]!, author, 3);
  large = await seedProjects(t.db, town, a.categories[1]!, author, 2, 40_000_000);
  // A project that is not admitted is not on the ballot.
  rejected = (await seedProject(t.db, town, a.categories[0]!, author, { status: 'rejected' })).number;
  const k = await cycleWith({ rule: 'knapsack', categories: [{ slug: 'parks', amount: 10_000_000 }] }, { parks: [6_000_000, 5_000_000, 3_000_000] });
  knapsack = k.cycle;
  parks = k.numbers[0]!;
});
after(() => t.close());

describe('the ballot page', () => {
  test('shows the rules, every category with what is chosen and left, and one button per project', async () => {
    const { id, c } = await voter();
    await change(c, approval, 'add', { project: small[0]! });
    const res = await c.get(ballot(approval));
    assert.equal(res.statusCode, 200);
    for (const text of [
      /Choose up to 3 projects\. At most 2 projects in each category\./,
      /Chosen: 1 project, UAH\s10,000\.00 of UAH\s1,000,000\.00\. You can still choose 1 more project here\./,
      /Chosen: no projects, UAH\s0\.00 of UAH\s3,000,000\.00\. You can still choose 2 more projects here\./,
      /Chosen 1; you can still choose 2 more projects\./, /On your ballot/, /Review and cast your ballot/,
    ]) assert.match(res.body, text);
    assert.equal((res.body.match(/Add to my ballot/g) ?? []).length, 4);
    assert.equal((res.body.match(/>Remove</g) ?? []).length, 1);
    assert.doesNotMatch(res.body, new RegExp(`projects/${rejected}"`), 'a rejected project is not on the ballot');
    assert.deepEqual(await chosen(approval, id), [small[0]!]);
  });

  test('under the knapsack rule each category shows the money left', async () => {
    const { c } = await voter();
    await change(c, knapsack, 'add', { project: parks[0]! });
    await change(c, knapsack, 'add', { project: parks[2]! });
    const page = (await c.get(ballot(knapsack))).body;
    assert.match(page, /Choose projects whose costs together fit each category(’|'|&#39;)s amount\./);
    assert.match(page, /Chosen: 2 projects, UAH\s90,000\.00 of UAH\s100,000\.00\. Left: UAH\s10,000\.00\./);
  });
});

describe('adding and removing without JavaScript', () => {
  test('a form post adds, removes and adds again, back on the ballot with a message', async () => {
    const { id, c } = await voter();
    const added = await change(c, approval, 'add', { project: small[1]! });
    assert.equal(added.res.headers.location, ballot(approval));
    assert.match(added.page.body, /The project is on your ballot\. It is cast only when you confirm the ballot\./);
    // Adding it twice changes nothing.
    await change(c, approval, 'add', { project: small[1]! });
    assert.deepEqual(await chosen(approval, id), [small[1]!]);
    const removed = await change(c, approval, 'remove', { project: small[1]! });
    assert.match(removed.page.body, /The project is off your ballot\./);
    assert.deepEqual(await chosen(approval, id), []);
    await change(c, approval, 'add', { project: small[1]! });
    assert.deepEqual(await chosen(approval, id), [small[1]!]);
  });

  test('from a project’s page: the button is there, and the post comes back to the project', async () => {
    const { id, c } = await voter();
    const before = await c.get(projectPage(large[0]!));
    assert.equal(before.statusCode, 200);
    assert.match(before.body, new RegExp(`action="${ballot(approval)}/add"`));
    const next = `${projectPage(large[0]!)}#pb-ballot`;
    const { res, page } = await change(c, approval, 'add', { project: large[0]!, next });
    assert.equal(res.headers.location, next);
    assert.match(page.body, /The project is on your ballot/);
    assert.match(page.body, /On your ballot/);
    assert.match(page.body, /Your ballot \(1 project chosen\)/);
    assert.match(page.body, new RegExp(`action="${ballot(approval)}/remove"`));
    assert.deepEqual(await chosen(approval, id), [large[0]!]);
    await change(c, approval, 'remove', { project: large[0]!, next });
    assert.deepEqual(await chosen(approval, id), []);
    // A `next` leading off the site goes back to the ballot instead.
    const off = await c.post(`${ballot(approval)}/add`, { project: large[0]!, next: 'https://evil.example/phish' });
    assert.equal(off.headers.location, ballot(approval));
  });

  test('a script’s fetch with a JSON body is the same route: the CSRF token is required, then the same checks and redirect', async () => {
    const { id, c } = await voter();
    const json = async (body: Record<string, unknown>) => c.request('POST', `${ballot(approval)}/add`, { payload: body, headers: { 'content-type': 'application/json', accept: 'application/json' } });
    assert.equal((await json({ project: small[0]! })).statusCode, 403);
    assert.equal(await selections(id), 0);
    const bad = await json({ _csrf: await c.csrf(), project: 'abc' });
    assert.equal(bad.statusCode, 303);
    assert.match((await c.follow(bad)).body, /That project is not on this ballot\./);
    assert.equal(await selections(id), 0);
    const res = await json({ _csrf: await c.csrf(), project: small[0]! });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, ballot(approval));
    assert.deepEqual(await chosen(approval, id), [small[0]!]);
  });
});

describe('the rules refuse a selection past them, with the reason, and write nothing', () => {
  test('approval: more than N in all, more than K in a category', async () => {
    const { id, c } = await voter();
    await change(c, approval, 'add', { project: small[0]! });
    await change(c, approval, 'add', { project: small[1]! });
    const perCategory = await change(c, approval, 'add', { project: small[2]! });
    assert.match(perCategory.page.body, /You can choose at most 2 projects in “small”\./);
    assert.deepEqual(await chosen(approval, id), [small[0]!, small[1]!]);
    await change(c, approval, 'add', { project: large[0]! });
    const overall = await change(c, approval, 'add', { project: large[1]! });
    assert.match(overall.page.body, /You can choose at most 3 projects\./);
    assert.deepEqual(await chosen(approval, id), [small[0]!, small[1]!, large[0]!]);
    assert.match(overall.page.body, /you can still choose no more projects/);
    // Taking one off makes room again.
    await change(c, approval, 'remove', { project: small[0]! });
    await change(c, approval, 'add', { project: large[1]! });
    assert.deepEqual(await chosen(approval, id), [small[1]!, large[0]!, large[1]!]);
  });

  test('knapsack: more than the category’s money', async () => {
    const { id, c } = await voter();
    await change(c, knapsack, 'add', { project: parks[0]! });
    const over = await change(c, knapsack, 'add', { project: parks[1]! });
    assert.match(over.page.body, /The projects chosen in “parks” would cost UAH\s110,000\.00, more than its UAH\s100,000\.00\./);
    assert.deepEqual(await chosen(knapsack, id), [parks[0]!]);
    await change(c, knapsack, 'add', { project: parks[2]! });
    assert.deepEqual(await chosen(knapsack, id), [parks[0]!, parks[2]!]);
  });
});

describe('refusals', () => {
  test('outside the voting phase: the page says so and offers no buttons; a post is refused without a write', async () => {
    const { id, c } = await voter();
    for (const [phase, words] of [['review', /Voting has not started yet: it opens on/], ['results', /Voting closed on/]] as const) {
      const { cycle, numbers } = await cycleWith({ phase, categories: [{ slug: 'parks', amount: 10_000_000 }] }, { parks: [1_000_000] });
      const page = await c.get(ballot(cycle));
      assert.equal(page.statusCode, 200);
      assert.match(page.body, words);
      assert.doesNotMatch(page.body, /Add to my ballot/);
      const { page: back } = await change(c, cycle, 'add', { project: numbers[0]![0]! });
      assert.match(back.body, /Voting in this cycle is not open\./, phase);
    }
    assert.equal(await selections(id), 0);
  });

  test('signed out, without the CSRF token, or for another voter: nothing is written', async () => {
    const a = await voter();
    const b = await voter();
    await change(a.c, approval, 'add', { project: small[0]! });
    const guest = t.client('en');
    await guest.get(ballot(approval));
    const res = await guest.post(`${ballot(approval)}/add`, { project: small[1]! });
    assert.equal(res.statusCode, 303);
    assert.match(String(res.headers.location), /\/en\/account\/sign-in\?next=/);
    assert.equal((await a.c.post(`${ballot(approval)}/remove`, { project: small[0]! }, { noCsrf: true })).statusCode, 403);
    // Another voter's remove takes the project off their own (empty) selection only.
    await change(b.c, approval, 'remove', { project: small[0]! });
    assert.deepEqual(await chosen(approval, a.id), [small[0]!]);
    assert.equal(await selections(b.id), 0);
  });

  test('another municipality’s cycle is a 404, its project is not on this ballot; nothing is written', async () => {
    const { id, c } = await voter();
    const theirs = await cycleWith({ categories: [{ slug: 'parks', amount: 10_000_000 }] }, { parks: [1_000_000] }, other);
    // Numbers are per municipality: give theirs numbers this municipality does not have.
    await t.db.updateTable('pb_cycles').set({ number: 900 }).where('id', '=', theirs.cycle.id).execute();
    await t.db.updateTable('pb_projects').set({ number: 9000 }).where('cycle_id', '=', theirs.cycle.id).execute();
    assert.equal((await c.get(ballot({ number: 900 }))).statusCode, 404);
    for (const action of ['add', 'remove']) assert.equal((await c.post(`${ballot({ number: 900 })}/${action}`, { project: 9000 })).statusCode, 404, action);
    const { page } = await change(c, approval, 'add', { project: 9000 });
    assert.match(page.body, /That project is not on this ballot\./);
    assert.equal(await selections(id), 0);
  });

  test('tampered ids in the path (404) and the form (a message), never a 5xx, never a write', async () => {
    const { id, c } = await voter();
    for (const n of ['abc', '0', '-1', '1.5', '99999999999']) {
      // The shared path schema answers a bad `:number` as an unknown page.
      assert.equal((await c.get(`/en/zhovkva/participatory-budget/cycles/${n}/ballot`)).statusCode, 404, n);
      assert.equal((await c.post(`/en/zhovkva/participatory-budget/cycles/${n}/ballot/add`, { project: small[0]! })).statusCode, 404, n);
    }
    assert.equal((await c.get(ballot({ number: 999 }))).statusCode, 404);
    for (const project of ['abc', '', '0', '-3', '1e3', '99999999999999', `${small[0]!}; drop table pb_selections`]) {
      const { page } = await change(c, approval, 'add', { project });
      assert.match(page.body, /That project is not on this ballot\./, project);
    }
    const twice = await c.post(`${ballot(approval)}/add`, { project: [small[0]!, small[1]!] });
    assert.ok(twice.statusCode < 500, String(twice.statusCode));
    const { page } = await change(c, approval, 'add', { project: rejected });
    assert.match(page.body, /That project is not on this ballot\./);
    assert.equal(await selections(id), 0);
  });
});
