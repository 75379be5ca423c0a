import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Municipality } from '../../../../db/schema.ts';
import { encodeForm, startTestApp, type TestApp, type TestClient } from '../../../../platform/testing/http.ts';
import type { Category, Cycle, Project } from '../../pb.tables.ts';
import { reviewDueAt } from '../../review/review.deadline.ts';
import { pbTown, resident, seedCycle, seedProject } from '../../testing.ts';
import { findProject } from '../project.repo.ts';

const DAY = 86_400_000;
let t: TestApp;
let town: Municipality;
let open: Cycle;
let small: Category;
let revision: Cycle;
let revSmall: Category;
let voting: Category;
let authorId = 0;
let coauthorId = 0;
let neighbourId = 0;
const c: Record<string, TestClient> = {};
const page = (p: Project) => `/en/zhovkva/participatory-budget/projects/${p.number}`;
const reload = async (p: Project) => (await findProject(t.db, town.id, p.number))!;
const events = async (p: Project) => (await t.db.selectFrom('pb_project_events').select(['kind', 'public']).where('project_id', '=', p.id).orderBy('id').execute());
const followers = async (p: Project) => (await t.db.selectFrom('pb_followers').select('user_id').where('project_id', '=', p.id).execute()).map((r) => r.user_id);
/** The same form post `times` times at once, as a double click or a retrying browser sends it. */
async function atOnce(who: TestClient, url: string, times = 5) {
  const payload = encodeForm({ _csrf: await who.csrf() });
  return Promise.all(Array.from({ length: times }, () => who.request('POST', url, { payload, headers: { 'content-type': 'application/x-www-form-urlencoded' } })));
}

async function project(status: Project['status'], category = small, set: Record<string, unknown> = {}, author = authorId): Promise<Project> {
  const p = await seedProject(t.db, town, category, author, { status, title: `Проєкт у статусі ${status}`, coauthors: [coauthorId] });
  if (Object.keys(set).length > 0) await t.db.updateTable('pb_projects').set(set as never).where('id', '=', p.id).execute();
  return reload(p);
}

before(async () => {
  t = await startTestApp();
  town = await pbTown(t.db, 'zhovkva');
  const other = await pbTown(t.db, 'sombor');
  ({ cycle: open, categories: [small] } = await seedCycle(t.db, town, { phase: 'submission' }) as { cycle: Cycle; categories: [Category] });
  ({ cycle: revision, categories: [revSmall] } = await seedCycle(t.db, town, { phase: 'revision', revision: true }) as { cycle: Cycle; categories: [Category] });
  ({ categories: [voting] } = await seedCycle(t.db, town, { phase: 'voting' }) as { cycle: Cycle; categories: [Category] });
  authorId = (await resident(t.db, 'author@example.org', town)).id;
  coauthorId = (await resident(t.db, 'coauthor@example.org', town)).id;
  neighbourId = (await resident(t.db, 'neighbour@example.org', town)).id;
  await resident(t.db, 'admin@example.org', town, { role: 'admin' });
  await resident(t.db, 'foreign@example.org', other, { role: 'admin' });
  for (const who of ['author', 'coauthor', 'neighbour', 'admin', 'foreign']) c[who] = await t.signedIn(`${who}@example.org`, 'en');
  c.guest = t.client('en');
});
after(() => t.close());

describe('submitting', () => {
  test('the author submits a draft: it is public, due for review, on the timeline; a double submit is one', async () => {
    const p = await project('draft');
    assert.match((await c.author!.get(page(p))).body, new RegExp(`action="${page(p)}/submit"`));
    const res = await atOnce(c.author!, `${page(p)}/submit`);
    assert.ok(res.every((r) => r.statusCode === 303 && r.headers.location === page(p)), res.map((r) => r.statusCode).join());
    assert.equal(res.filter((r) => r.headers['set-cookie']?.toString().includes('hromada_flash')).length, 5);
    const after = await reload(p);
    assert.equal(after.status, 'submitted');
    assert.ok(after.submitted_at);
    assert.deepEqual(after.review_due_at, reviewDueAt(open, after.submitted_at, town.time_zone));
    assert.deepEqual(await events(p), [{ kind: 'submitted', public: true }]);
    const seen = await c.guest!.get(page(p));
    assert.equal(seen.statusCode, 200);
    assert.match(seen.body, /Submitted for technical review/);
  });

  test('refused to co-authors, others, visitors and staff; nothing changes', async () => {
    const p = await project('draft');
    assert.equal((await c.coauthor!.post(`${page(p)}/submit`)).statusCode, 403);
    for (const who of ['neighbour', 'admin', 'foreign']) assert.equal((await c[who]!.post(`${page(p)}/submit`)).statusCode, 404, who);
    assert.match(String((await c.guest!.post(`${page(p)}/submit`)).headers.location), /sign-in/);
    assert.equal((await c.author!.post(`${page(p)}/submit`, {}, { noCsrf: true })).statusCode, 403);
    assert.deepEqual(await reload(p), p);
    assert.deepEqual(await events(p), []);
  });

  test('a cost outside the category’s limits sends the author to the form; a closed phase or a missing level says so', async () => {
    const dear = await project('draft', small, { cost_total: 99_000_000 });
    const res = await c.author!.post(`${page(dear)}/submit`);
    assert.equal(res.headers.location, `${page(dear)}/edit`);
    assert.match((await c.author!.follow(res)).body, /The cost table’s total, UAH\s990,000\.00, must be between/);
    const late = await project('draft', revSmall);
    const shut = await c.author!.post(`${page(late)}/submit`);
    assert.match((await c.author!.follow(shut)).body, /This project cannot be submitted now/);
    const guestAuthor = await resident(t.db, 'visitor@example.org', null);
    const { categories: [strict] } = await seedCycle(t.db, town, { phase: 'submission', submitLevel: 'resident' });
    const theirs = await project('draft', strict!, {}, guestAuthor.id);
    const level = await (await t.signedIn('visitor@example.org', 'en')).post(`${page(theirs)}/submit`);
    assert.equal(level.statusCode, 403);
    assert.match(level.body, /To propose a project here you need this level/);
    assert.deepEqual([(await reload(dear)).status, (await reload(late)).status, (await reload(theirs)).status], ['draft', 'draft', 'draft']);
  });

  test('a project returned for revision is resubmitted until its deadline, with a fresh review deadline', async () => {
    const p = await project('returned', revSmall, { resubmit_by: new Date(Date.now() + 2 * DAY), decision_note: 'Уточніть кошторис.', review_due_at: new Date(Date.now() - DAY) });
    const shown = await c.author!.get(page(p));
    assert.match(shown.body, /Submit again for review/);
    assert.match(shown.body, /Уточніть кошторис\./);
    const res = await c.author!.post(`${page(p)}/submit`);
    assert.match((await c.author!.follow(res)).body, /The project is submitted again/);
    const after = await reload(p);
    assert.equal(after.status, 'submitted');
    assert.deepEqual(after.submitted_at, p.submitted_at, 'first submitted when it was');
    assert.ok(after.review_due_at! > new Date(), 'a fresh deadline');
    assert.deepEqual((await events(p)).map((e) => e.kind), ['resubmitted']);
    const overdue = await project('returned', revSmall, { resubmit_by: new Date(Date.now() - DAY) });
    assert.match((await c.author!.follow(await c.author!.post(`${page(overdue)}/submit`))).body, /This project cannot be submitted now/);
    assert.equal((await reload(overdue)).status, 'returned');
    assert.ok(revision);
  });
});

describe('withdrawing', () => {
  test('the author withdraws before voting: it leaves the list, publicly on the timeline; twice is once', async () => {
    const p = await project('submitted');
    const res = await atOnce(c.author!, `${page(p)}/withdraw`);
    assert.ok(res.every((r) => r.statusCode === 303));
    assert.equal((await reload(p)).status, 'withdrawn');
    assert.deepEqual(await events(p), [{ kind: 'withdrawn', public: true }]);
    const list = await c.guest!.get(`/en/zhovkva/participatory-budget/cycles/${open.number}/projects?seed=1`);
    assert.doesNotMatch(list.body, new RegExp(`projects/${p.number}"`));
    const draft = await project('draft');
    assert.match((await c.author!.follow(await c.author!.post(`${page(draft)}/withdraw`))).body, /The project is withdrawn/);
    assert.deepEqual(await events(draft), [{ kind: 'withdrawn', public: false }], 'a draft’s withdrawal stays its authors’');
  });

  test('refused to others and once voting opened; nothing changes', async () => {
    const p = await project('submitted');
    assert.equal((await c.coauthor!.post(`${page(p)}/withdraw`)).statusCode, 403);
    for (const who of ['neighbour', 'admin', 'foreign']) assert.equal((await c[who]!.post(`${page(p)}/withdraw`)).statusCode, 403, who);
    assert.match(String((await c.guest!.post(`${page(p)}/withdraw`)).headers.location), /sign-in/);
    const admitted = await project('admitted', voting);
    assert.doesNotMatch((await c.author!.get(page(admitted))).body, /Withdraw the project/);
    assert.match((await c.author!.follow(await c.author!.post(`${page(admitted)}/withdraw`))).body, /This project cannot be withdrawn now/);
    assert.deepEqual([await reload(p), await reload(admitted)], [p, admitted]);
    assert.deepEqual([...await events(p), ...await events(admitted)], []);
  });
});

describe('following', () => {
  test('a resident follows a public project and stops; each twice is told, and one row', async () => {
    const p = await project('admitted');
    assert.match((await c.neighbour!.get(page(p))).body, /Follow this project/);
    const res = await atOnce(c.neighbour!, `${page(p)}/follow`);
    assert.ok(res.every((r) => r.statusCode === 303));
    assert.deepEqual(await followers(p), [neighbourId]);
    assert.match((await c.neighbour!.get(page(p))).body, /Stop following/);
    assert.match((await c.neighbour!.follow(await c.neighbour!.post(`${page(p)}/follow`))).body, /You follow this project/);
    assert.match((await c.neighbour!.follow(await c.neighbour!.post(`${page(p)}/unfollow`))).body, /You no longer follow this project/);
    assert.deepEqual(await followers(p), []);
    assert.match((await c.neighbour!.follow(await c.neighbour!.post(`${page(p)}/unfollow`))).body, /You did not follow this project/);
  });

  test('authors hear anyway; a visitor signs in first; a draft cannot be followed', async () => {
    const p = await project('submitted');
    assert.match((await c.coauthor!.follow(await c.coauthor!.post(`${page(p)}/follow`))).body, /As one of its authors/);
    assert.match(String((await c.guest!.post(`${page(p)}/follow`)).headers.location), /sign-in/);
    assert.equal((await c.neighbour!.post(`${page(p)}/follow`, {}, { noCsrf: true })).statusCode, 403);
    const draft = await project('draft');
    assert.equal((await c.neighbour!.post(`${page(draft)}/follow`)).statusCode, 404);
    assert.deepEqual([...await followers(p), ...await followers(draft)], []);
  });
});
