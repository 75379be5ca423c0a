import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Municipality } from '../../../../db/schema.ts';
import { startTestApp, type FormFields, type TestApp, type TestClient } from '../../../../platform/testing/http.ts';
import type { Category, Cycle, Project } from '../../pb.tables.ts';
import { pbTown, resident, seedCycle, seedProject } from '../../testing.ts';
import { findProject } from '../project.repo.ts';

const DAY = 86_400_000;
let t: TestApp;
let town: Municipality;
let open: Cycle;
let small: Category;
let shutSmall: Category;
let authorId = 0;
let coauthorId = 0;
const c: Record<string, TestClient> = {};
const page = (p: Project) => `/en/zhovkva/participatory-budget/projects/${p.number}`;
const edit = (p: Project) => `${page(p)}/edit`;
const reload = async (p: Project) => (await findProject(t.db, town.id, p.number))!;
const events = async (p: Project) => (await t.db.selectFrom('pb_project_events').select('kind').where('project_id', '=', p.id).orderBy('id').execute()).map((e) => e.kind);
const changes: FormFields = {
  title: 'Лавки й урни в парку', summary: 'Десять лавок і п’ять урн уздовж алеї.', description: 'Старі лавки зламані; поставимо нові лавки та урни вздовж алеї.',
  category: 'small', address: 'парк Коваліва, головна алея', item_0: 'Лавка', qty_0: '10', unit_0: 'шт.', price_0: '9000', lines: 1,
};

/** A project of the author's, with the co-author named on it. */
async function project(status: Project['status'], category = small, set: Record<string, unknown> = {}): Promise<Project> {
  const p = await seedProject(t.db, town, category, authorId, { status, title: `Проєкт у статусі ${status}`, coauthors: [coauthorId] });
  if (Object.keys(set).length > 0) await t.db.updateTable('pb_projects').set(set as never).where('id', '=', p.id).execute();
  return reload(p);
}

before(async () => {
  t = await startTestApp();
  town = await pbTown(t.db, 'zhovkva');
  const other = await pbTown(t.db, 'sombor');
  ({ cycle: open, categories: [small] } = await seedCycle(t.db, town, { phase: 'submission' }) as { cycle: Cycle; categories: [Category] });
  ({ categories: [shutSmall] } = await seedCycle(t.db, town, { phase: 'review', revision: true }) as { cycle: Cycle; categories: [Category] });
  authorId = (await resident(t.db, 'author@example.org', town, { fullName: 'Олена Автор' })).id;
  coauthorId = (await resident(t.db, 'coauthor@example.org', town, { fullName: 'Петро Співавтор' })).id;
  await resident(t.db, 'neighbour@example.org', town);
  await resident(t.db, 'admin@example.org', town, { role: 'admin' });
  await resident(t.db, 'foreign@example.org', other, { role: 'admin' });
  for (const who of ['author', 'coauthor', 'neighbour', 'admin', 'foreign']) c[who] = await t.signedIn(`${who}@example.org`, 'en');
  c.guest = t.client('en');
});
after(() => t.close());

describe('the project page', () => {
  test('a draft is its authors’ preview, not found for anyone else', async () => {
    const p = await project('draft');
    for (const who of ['author', 'coauthor']) {
      const res = await c[who]!.get(page(p));
      assert.equal(res.statusCode, 200, who);
      assert.match(res.body, /Only you and your co-authors see this project/);
      assert.match(res.body, /Authors<\/dt>/);
      assert.match(res.body, /Олена Автор.*Петро Співавтор/s);
      assert.match(res.body, new RegExp(`href="${edit(p)}"`), `${who} may edit`);
    }
    assert.match((await c.author!.get(page(p))).body, /Submit for review/);
    assert.doesNotMatch((await c.coauthor!.get(page(p))).body, /Submit for review/, 'only the author submits');
    for (const who of ['neighbour', 'admin', 'foreign', 'guest']) assert.equal((await c[who]!.get(page(p))).statusCode, 404, who);
  });

  test('a submitted project is public: its facts, cost table and place; no edit link for the public', async () => {
    const p = await project('submitted', small, { address: 'вул. Львівська, 5', review_due_at: new Date(Date.now() + 10 * DAY) });
    const res = await c.guest!.get(page(p));
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Проєкт у статусі submitted/);
    assert.match(res.body, /Under review/);
    assert.match(res.body, /Technical review due by/);
    assert.match(res.body, /Роботи/);
    assert.match(res.body, /UAH\s10,000\.00/);
    assert.match(res.body, /вул\. Львівська, 5/);
    assert.match(res.body, /Sign in to follow this project/);
    assert.doesNotMatch(res.body, /\/edit"/);
    assert.doesNotMatch((await c.neighbour!.get(page(p))).body, /\/edit"|Withdraw the project/);
    assert.equal((await c.foreign!.get(page(p))).statusCode, 200);
    assert.equal((await c.guest!.get(`/en/sombor/participatory-budget/projects/${p.number}`)).statusCode, 404, 'not in another municipality');
    assert.equal((await c.guest!.get('/en/zhovkva/participatory-budget/projects/abc')).statusCode, 404);
    assert.equal((await c.guest!.get('/en/zhovkva/participatory-budget/projects/99999')).statusCode, 404);
  });

  test('a project of a draft cycle is for its authors only; a withdrawn draft stays private', async () => {
    const { categories: [hidden] } = await seedCycle(t.db, town, { status: 'draft', phase: 'review' });
    const p = await project('submitted', hidden!);
    assert.equal((await c.guest!.get(page(p))).statusCode, 404);
    assert.equal((await c.author!.get(page(p))).statusCode, 200);
    const gone = await project('withdrawn', small, { submitted_at: null });
    assert.equal((await c.neighbour!.get(page(gone))).statusCode, 404);
    assert.equal((await c.author!.get(page(gone))).statusCode, 200);
  });
});

describe('editing a project', () => {
  test('the form holds the saved values; saving a draft changes it, without a public trace', async () => {
    const p = await project('draft');
    const form = await c.author!.get(edit(p));
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /value="Проєкт у статусі draft"/);
    assert.match(form.body, /name="item_0"[^>]*value="Роботи"/);
    assert.match(form.body, /name="price_0"[^>]*value="10000(\.00)?"/);
    assert.match(form.body, /name="lat"[^>]*value="50.0565"/);
    assert.match(form.body, /Save the draft/);
    const res = await c.author!.post(edit(p), changes);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, page(p));
    assert.match((await c.author!.follow(res)).body, /The changes are saved/);
    const after = await reload(p);
    // The coordinates were emptied on the form: an address alone is the place now.
    assert.deepEqual([after.title, after.address, after.cost_total, after.lat, after.status], [changes.title, changes.address, 9_000_000, null, 'draft']);
    assert.deepEqual(await events(p), []);
  });

  test('a co-author edits too; a submitted project’s change is on its public timeline', async () => {
    const p = await project('submitted');
    assert.match((await c.coauthor!.get(edit(p))).body, /Save the changes/);
    assert.equal((await c.coauthor!.post(edit(p), changes)).statusCode, 303);
    assert.equal((await reload(p)).title, changes.title);
    assert.deepEqual(await events(p), ['edited']);
    assert.match((await c.guest!.get(page(p))).body, /Changed by its authors/);
  });

  test('bad input is a 400 on the form and changes nothing', async () => {
    const p = await project('draft');
    for (const [over, message] of [[{ title: 'Ой' }, /Title must be at least 5 characters/], [{ price_0: '5' }, /must be between/], [{ category: 'none' }, /Choose one of this cycle’s categories/]] as const) {
      const res = await c.author!.post(edit(p), { ...changes, ...over });
      assert.equal(res.statusCode, 400);
      assert.match(res.body, message);
    }
    assert.deepEqual(await reload(p), p);
  });

  test('refused to others, signed-out visitors and staff; nothing changes', async () => {
    const draft = await project('draft');
    const submitted = await project('submitted');
    assert.match(String((await c.guest!.get(edit(submitted))).headers.location), /sign-in/);
    assert.match(String((await c.guest!.post(edit(submitted), changes)).headers.location), /sign-in/);
    for (const who of ['neighbour', 'admin', 'foreign']) {
      assert.equal((await c[who]!.get(edit(draft))).statusCode, 404, who);
      assert.equal((await c[who]!.post(edit(draft), changes)).statusCode, 404, who);
      assert.equal((await c[who]!.get(edit(submitted))).statusCode, 403, who);
      assert.equal((await c[who]!.post(edit(submitted), changes)).statusCode, 403, who);
    }
    assert.deepEqual([await reload(draft), await reload(submitted)], [draft, submitted]);
    assert.deepEqual(await events(submitted), []);
  });

  test('only while it may be changed: not once admitted or after submission closes; a returned one until its deadline', async () => {
    const admitted = await project('admitted');
    const refused = await c.author!.get(edit(admitted));
    assert.equal(refused.statusCode, 303);
    assert.match((await c.author!.follow(refused)).body, /This project cannot be changed now/);
    assert.equal((await c.author!.post(edit(admitted), changes)).statusCode, 303);
    const late = await project('draft', shutSmall);
    assert.equal((await c.author!.post(edit(late), changes)).statusCode, 303);
    const returned = await project('returned', shutSmall, { resubmit_by: new Date(Date.now() + 2 * DAY), decision_note: 'Уточніть кошторис.' });
    assert.equal((await c.author!.get(edit(returned))).statusCode, 200);
    const overdue = await project('returned', shutSmall, { resubmit_by: new Date(Date.now() - DAY) });
    assert.equal((await c.author!.post(edit(overdue), changes)).statusCode, 303);
    assert.deepEqual([await reload(admitted), await reload(late), await reload(overdue)], [admitted, late, overdue]);
    const saved = await c.author!.post(edit(returned), { ...changes, category: shutSmall.slug });
    assert.equal(saved.headers.location, page(returned));
    assert.equal((await reload(returned)).title, changes.title);
    // A form opened while submission was open and sent after it closed changes nothing.
    const stale = await project('draft');
    await c.author!.get(edit(stale));
    await t.db.updateTable('pb_cycles').set({ submission_closes: new Date(Date.now() - 1000) }).where('id', '=', open.id).execute();
    try {
      assert.equal((await c.author!.post(edit(stale), changes)).statusCode, 303);
      assert.deepEqual(await reload(stale), stale);
    } finally {
      await t.db.updateTable('pb_cycles').set({ submission_closes: open.submission_closes }).where('id', '=', open.id).execute();
    }
  });
});
