import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Municipality } from '../../../../db/schema.ts';
import { startTestApp, type TestApp, type TestClient } from '../../../../platform/testing/http.ts';
import { clientFor } from '../../ballots/testing.ts';
import type { Category, Cycle, Project } from '../../pb.tables.ts';
import { addProjectEvent } from '../../project-events.repo.ts';
import { pbTown, resident, seedCycle, seedProject } from '../../testing.ts';

let t: TestApp;
let town: Municipality;
let cycle: Cycle;
let small: Category;
const id: Record<string, number> = {};
const c: Record<string, TestClient> = {};
const page = (p: Pick<Project, 'number'>, rest = '') => `/en/zhovkva/participatory-budget/projects/${p.number}${rest}`;
const followers = async (p: Project) => (await t.db.selectFrom('pb_followers').select('user_id').where('project_id', '=', p.id).execute()).map((r) => r.user_id);
const seed = (o: Parameters<typeof seedProject>[4] = {}) => seedProject(t.db, town, small, id.author!, o);
/** Names a co-author straight in the table (the co-author routes have tests of their own). */
const coauthor = (p: Project, userId: number) => t.db.insertInto('pb_project_authors').values({ municipality_id: town.id, project_id: p.id, user_id: userId }).execute();

before(async () => {
  t = await startTestApp();
  town = await pbTown(t.db, 'zhovkva');
  const other = await pbTown(t.db, 'sombor');
  id.author = (await resident(t.db, 'author@example.org', town, { fullName: 'Олена Коваль' })).id;
  id.coauthor = (await resident(t.db, 'coauthor@example.org', town, { fullName: 'Петро Бойко' })).id;
  id.neighbour = (await resident(t.db, 'neighbour@example.org', town)).id;
  for (const role of ['admin', 'official', 'moderator'] as const) id[role] = (await resident(t.db, `${role}@example.org`, town, { role })).id;
  id.foreign = (await resident(t.db, 'foreign@example.org', other, { role: 'admin' })).id;
  for (const who of Object.keys(id)) c[who] = await clientFor(t, id[who]!);
  c.guest = t.client('en');
  ({ cycle, categories: [small] } = await seedCycle(t.db, town, { phase: 'submission' }) as { cycle: Cycle; categories: [Category] });
});
after(() => t.close());

describe('a project’s page', () => {
  test('a public project: its facts, cost table, place and timeline for everyone; staff notes for reviewers only', async () => {
    const p = await seed({ status: 'submitted', title: 'Лавки в парку Ковальова', departmentCost: 1_250_000 });
    await coauthor(p, id.coauthor!);
    await addProjectEvent(t.db, { municipalityId: town.id, projectId: p.id, kind: 'submitted', actorId: id.author! });
    await addProjectEvent(t.db, { municipalityId: town.id, projectId: p.id, kind: 'note', actorId: id.official!, note: 'Перевірити ділянку', public: false });
    const res = await c.guest!.get(page(p));
    assert.equal(res.statusCode, 200);
    for (const text of [
      /<h1><span lang="uk">Лавки в парку Ковальова<\/span><\/h1>/, /Under review/, /Authors<\/dt><dd><span><span lang="uk">Олена Коваль<\/span><\/span><span>, <span lang="uk">Петро Бойко/,
      /Cost \(the authors’ estimate\)<\/dt><dd>UAH\s10,000\.00/, /Cost \(the municipality’s estimate\)<\/dt><dd>UAH\s12,500\.00/,
      /<td><span lang="uk">Роботи<\/span><\/td><td class="num">1<\/td>/, /this is the cost that counts at the vote/, /Submitted for technical review/, /data-module="points-map"/,
      /Sign in to follow this project/, new RegExp(`href="/en/zhovkva/participatory-budget/cycles/${cycle.number}/projects"`),
    ]) assert.match(res.body, text);
    assert.doesNotMatch(res.body, /Перевірити ділянку|What you can do now|This is how everyone will see it/);
    assert.match((await c.official!.get(page(p))).body, /Перевірити ділянку/);
    assert.doesNotMatch((await c.moderator!.get(page(p))).body, /Перевірити ділянку/);
    // Only its authors are offered to change it.
    assert.match((await c.author!.get(page(p))).body, /Edit the project/);
    for (const who of ['neighbour', 'admin', 'guest']) assert.doesNotMatch((await c[who]!.get(page(p))).body, /Edit the project/, who);
  });

  test('a draft is seen by its author and co-authors only: staff, neighbours and visitors get a 404', async () => {
    const p = await seed({ status: 'draft', title: 'Чернетка про фонтан' });
    await coauthor(p, id.coauthor!);
    const own = await c.author!.get(page(p));
    assert.equal(own.statusCode, 200);
    assert.match(own.body, /Only you and your co-authors see this project/);
    assert.match(own.body, /Submit for review/);
    assert.match(own.body, /Withdraw the project/);
    assert.doesNotMatch(own.body, /data-module="points-map"/, 'the map of public projects does not show a draft');
    const co = await c.coauthor!.get(page(p));
    assert.equal(co.statusCode, 200);
    assert.match(co.body, /Edit the project/);
    assert.doesNotMatch(co.body, /Submit for review|Withdraw the project/, 'submitting and withdrawing are the author’s');
    for (const who of ['guest', 'neighbour', 'admin', 'official', 'moderator', 'foreign']) assert.equal((await c[who]!.get(page(p))).statusCode, 404, who);
    // A withdrawn draft stays its authors’; a withdrawn public project stays public (but leaves the lists).
    const gone = await seed({ status: 'withdrawn' });
    await t.db.updateTable('pb_projects').set({ submitted_at: null }).where('id', '=', gone.id).execute();
    assert.equal((await c.guest!.get(page(gone))).statusCode, 404);
    assert.equal((await c.author!.get(page(gone))).statusCode, 200);
    const left = await seed({ status: 'withdrawn' });
    assert.match((await c.guest!.get(page(left))).body, /Withdrawn/);
  });

  test('a returned or rejected project shows the municipality’s reasons; the deadline to resubmit is the author’s', async () => {
    const p = await seed({ status: 'returned' });
    await t.db.updateTable('pb_projects').set({ decision_note: 'Уточніть кошторис робіт.', resubmit_by: new Date(Date.now() + 3 * 86_400_000) }).where('id', '=', p.id).execute();
    const res = await c.guest!.get(page(p));
    assert.match(res.body, /Returned for revision: what to change/);
    assert.match(res.body, /Уточніть кошторис робіт\./);
    assert.match((await c.author!.get(page(p))).body, /Submit again for review/);
    const no = await seed({ status: 'rejected' });
    await t.db.updateTable('pb_projects').set({ decision_note: 'Ділянка не належить громаді.' }).where('id', '=', no.id).execute();
    assert.match((await c.guest!.get(page(no))).body, /Not admitted: the reasons/);
  });

  test('unknown numbers, other municipalities’ numbers and bad numbers are not found', async () => {
    const other = await t.db.selectFrom('municipalities').selectAll().where('slug', '=', 'sombor').executeTakeFirstOrThrow();
    const { categories: [theirs] } = await seedCycle(t.db, other, { phase: 'submission' });
    const p = await seedProject(t.db, other, theirs!, id.foreign!, { title: 'Проєкт у Сомборі' });
    assert.equal((await c.guest!.get(`/en/sombor/participatory-budget/projects/${p.number}`)).statusCode, 200);
    const top = Number((await t.db.selectFrom('pb_projects').select((eb) => eb.fn.max('number').as('n')).where('municipality_id', '=', town.id).executeTakeFirstOrThrow()).n);
    for (const n of [String(top + 50), '0', 'abc', '1e3', '9999999999']) assert.equal((await c.guest!.get(`/en/zhovkva/participatory-budget/projects/${n}`)).statusCode, 404, n);
  });

  test('renders in all five languages, for the public and for its author', async () => {
    const p = await seed({ status: 'draft' });
    const pub = await seed({ status: 'admitted' });
    for (const locale of ['uk', 'sr-Cyrl', 'sr-Latn', 'pl', 'en']) {
      assert.equal((await t.client(locale).get(`/${locale}/zhovkva/participatory-budget/projects/${pub.number}`)).statusCode, 200, locale);
      assert.equal((await c.author!.get(`/${locale}/zhovkva/participatory-budget/projects/${p.number}`)).statusCode, 200, locale);
    }
  });
});

describe('following a project', () => {
  test('a signed-in resident follows and unfollows; a second click writes nothing more', async () => {
    const p = await seed({ status: 'admitted' });
    const view = await c.neighbour!.get(page(p));
    assert.match(view.body, new RegExp(`action="${page(p, '/follow')}"`));
    const res = await c.neighbour!.post(page(p, '/follow'));
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, page(p));
    const after = await c.neighbour!.follow(res);
    assert.match(after.body, /You now follow this project/);
    assert.match(after.body, new RegExp(`action="${page(p, '/unfollow')}"`));
    assert.match((await c.neighbour!.follow(await c.neighbour!.post(page(p, '/follow')))).body, /You follow this project/);
    // Staff of another municipality follow like anyone signed in.
    await c.foreign!.post(page(p, '/follow'));
    assert.deepEqual((await followers(p)).sort(), [id.neighbour!, id.foreign!].sort());
    assert.match((await c.neighbour!.follow(await c.neighbour!.post(page(p, '/unfollow')))).body, /You no longer follow this project/);
    assert.match((await c.neighbour!.follow(await c.neighbour!.post(page(p, '/unfollow')))).body, /You did not follow this project/);
    assert.deepEqual(await followers(p), [id.foreign!]);
  });

  test('visitors are sent to sign in, authors hear of it anyway, a draft cannot be followed; nothing is written', async () => {
    const p = await seed({ status: 'submitted' });
    const draft = await seed({ status: 'draft' });
    for (const path of ['/follow', '/unfollow']) {
      const res = await c.guest!.post(page(p, path));
      assert.equal(res.statusCode, 303);
      assert.match(String(res.headers.location), /\/en\/account\/sign-in\?next=/);
    }
    assert.match((await c.author!.follow(await c.author!.post(page(p, '/follow')))).body, /As one of its authors you hear of this project anyway/);
    assert.doesNotMatch((await c.author!.get(page(p))).body, /Follow this project/);
    assert.equal((await c.neighbour!.post(page(draft, '/follow'))).statusCode, 404);
    assert.equal((await c.neighbour!.post(page(p, '/follow'), {}, { noCsrf: true })).statusCode, 403, 'a post without its CSRF token');
    assert.deepEqual([await followers(p), await followers(draft)], [[], []]);
  });
});
