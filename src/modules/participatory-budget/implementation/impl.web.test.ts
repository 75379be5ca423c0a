import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Municipality } from '../../../db/schema.ts';
import { tinyPng } from '../../../platform/files/testing.ts';
import { ONCE_FIELD } from '../../../platform/idempotency/field.ts';
import { onceFrom, storedFiles } from '../../../platform/idempotency/testing.ts';
import { multipartForm, startTestApp, type TestApp, type TestClient } from '../../../platform/testing/http.ts';
import { TEST_PASSWORD } from '../../../platform/testing/people.ts';
import type { Category, Cycle, Project } from '../pb.tables.ts';
import { pbTown, resident, seedCycle, seedProject } from '../testing.ts';
import { implementationVersion, listMilestones, listUpdates, projectByNumber } from './impl.repo.ts';

let t: TestApp;
let town: Municipality;
let cycle: Cycle;
let categories: Category[];
let funded: Project;
let unfunded: Project;
let author = 0;
const c: Record<string, TestClient> = {};
const base = (n: number) => `/en/zhovkva/participatory-budget/staff/projects/${n}/implementation`;
const count = async (table: 'audit_log' | 'pb_project_events' | 'notifications' | 'pb_updates' | 'pb_milestones' | 'pb_project_files') =>
  Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
const writes = async () => Promise.all((['audit_log', 'pb_project_events', 'notifications', 'pb_updates', 'pb_milestones', 'pb_project_files'] as const).map(count));
const reload = async (p: Project) => (await projectByNumber(t.db, town.id, p.number))!;
const statusForm = async (p: Project, over: Record<string, string> = {}) =>
  ({ status: 'in_progress', progress: '35', dueOn: '2027-10-01', contracted: '900 000', spent: '12 345,67', version: await implementationVersion(t.db, p.id), ...over });

async function fund(p: Project, set: Record<string, unknown> = {}) {
  await t.db.updateTable('pb_projects').set({ funded: true, ...set } as never).where('id', '=', p.id).execute();
  return reload(p);
}

before(async () => {
  t = await startTestApp();
  town = await pbTown(t.db, 'zhovkva');
  const other = await pbTown(t.db, 'sombor', { currency: 'RSD' });
  ({ cycle, categories } = await seedCycle(t.db, town, { phase: 'implementation', resultsPublished: true }));
  author = (await resident(t.db, 'author@example.org', town)).id;
  await resident(t.db, 'resident@example.org', town);
  await resident(t.db, 'official@example.org', town, { role: 'official' });
  await resident(t.db, 'moderator@example.org', town, { role: 'moderator' });
  await resident(t.db, 'admin@example.org', town, { role: 'admin' });
  await resident(t.db, 'foreign@example.org', other, { role: 'official' });
  funded = await fund(await seedProject(t.db, town, categories[0]!, author, { title: 'Сквер біля школи' }), { due_on: '2020-05-01', impl_status: 'in_progress' });
  unfunded = await seedProject(t.db, town, categories[0]!, author, { title: 'Не профінансований' });
  for (const who of ['resident', 'official', 'moderator', 'admin', 'foreign']) {
    c[who] = t.client('en');
    await c[who]!.signIn(`${who}@example.org`, TEST_PASSWORD);
  }
});
after(() => t.close());

describe('who may record the implementation', () => {
  test('every staff page and write is refused to guests, residents, moderators and officials of another municipality, and writes nothing', async () => {
    const ms = await t.db.insertInto('pb_milestones').values({ municipality_id: town.id, project_id: funded.id, title: 'Тендер', due_on: '2027-06-01' }).returning('id').executeTakeFirstOrThrow();
    const up = await t.db.insertInto('pb_updates').values({ municipality_id: town.id, project_id: funded.id, body: 'Почали', author_id: author }).returning('id').executeTakeFirstOrThrow();
    const b = base(funded.number);
    const gets = ['/en/zhovkva/participatory-budget/staff/implementation', b, `${b}/milestones/${ms.id}`, `${b}/updates/${up.id}/photos`];
    const posts: [string, Record<string, string>][] = [
      [`${b}/status`, await statusForm(funded)], [`${b}/milestones`, { milestoneTitle: 'Чуже', milestoneDue: '2027-06-01' }],
      [`${b}/milestones/${ms.id}`, { milestoneTitle: 'Змінене', milestoneDue: '2027-06-01' }], [`${b}/milestones/${ms.id}/delete`, {}],
    ];
    const before = [await writes(), JSON.stringify(await reload(funded))];
    for (const url of gets) {
      assert.match(String((await t.client('en').get(url)).headers.location), /sign-in/, `guest ${url}`);
      for (const who of ['resident', 'moderator', 'foreign']) assert.equal((await c[who]!.get(url)).statusCode, 403, `${who} ${url}`);
    }
    for (const [url, body] of posts) {
      assert.match(String((await t.client('en').post(url, body)).headers.location ?? ''), /sign-in/, `guest ${url}`);
      for (const who of ['resident', 'moderator', 'foreign']) assert.equal((await c[who]!.post(url, body)).statusCode, 403, `${who} ${url}`);
    }
    for (const who of ['resident', 'moderator', 'foreign']) {
      const page = await c.official!.get(b);
      const form = multipartForm({ _csrf: await c[who]!.csrf(), [ONCE_FIELD]: onceFrom(page.body, `${b}/updates`), body: 'Чуже оновлення' }, { field: 'photo', name: 'a.png', data: tinyPng() });
      assert.equal((await c[who]!.request('POST', `${b}/updates`, form)).statusCode, 403, `${who} update`);
      const photo = multipartForm({ _csrf: await c[who]!.csrf() }, { field: 'photo', name: 'a.png', data: tinyPng() });
      assert.equal((await c[who]!.request('POST', `${b}/updates/${up.id}/photos`, photo)).statusCode, 403, `${who} photo`);
    }
    assert.deepEqual([await writes(), JSON.stringify(await reload(funded))], before);
    assert.equal((await c.admin!.get(b)).statusCode, 200, "the municipality's administrator may");
  });

  test('a project that is not funded has no implementation: its pages and writes say so (409) and write nothing', async () => {
    const b = base(unfunded.number);
    const page = await c.official!.get(b);
    assert.equal(page.statusCode, 409);
    assert.match(page.body, /not funded/);
    const before = await writes();
    assert.equal((await c.official!.post(`${b}/status`, await statusForm(unfunded))).statusCode, 409);
    assert.equal((await c.official!.post(`${b}/milestones`, { milestoneTitle: 'Ні', milestoneDue: '2027-06-01' })).statusCode, 409);
    assert.deepEqual(await writes(), before);
    assert.equal((await c.official!.get(base(9999))).statusCode, 404);
  });
});

describe('recording the implementation', () => {
  test('the staff list shows funded projects, late ones first; the status form saves, and names each bad field', async () => {
    const list = await c.official!.get('/en/zhovkva/participatory-budget/staff/implementation');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /Сквер біля школи/);
    assert.match(list.body, /Overdue/);
    assert.doesNotMatch(list.body, /Не профінансований/);
    const b = base(funded.number);
    const before = await writes();
    for (const [field, value] of [['progress', '150'], ['contracted', 'lots'], ['dueOn', '2027-02-30'], ['status', 'teleported'], ['spent', '-5']] as const) {
      const bad = await c.official!.post(`${b}/status`, await statusForm(funded, { [field]: value }));
      assert.equal(bad.statusCode, 400, field);
      assert.match(bad.body, new RegExp(`href="#f-${field}"`), field);
    }
    const incomplete = await c.official!.post(`${b}/status`, await statusForm(funded, { status: 'completed', progress: '80' }));
    assert.equal(incomplete.statusCode, 400);
    assert.match(incomplete.body, /100% done/);
    assert.deepEqual(await writes(), before, 'bad input writes nothing');
    const stale = await statusForm(funded);
    const ok = await c.official!.post(`${b}/status`, await statusForm(funded));
    assert.equal(ok.statusCode, 303);
    const saved = await reload(funded);
    assert.deepEqual([saved.impl_status, saved.progress, saved.due_on, saved.contracted, saved.spent], ['in_progress', 35, '2027-10-01', 90_000_000, 1_234_567]);
    const again = await c.official!.post(`${b}/status`, { ...stale, progress: '36' });
    assert.equal(again.statusCode, 303);
    assert.match(String(again.headers['set-cookie']), /hromada_flash/);
    assert.equal((await reload(funded)).progress, 35, 'a form shown before the change changes nothing');
    assert.match((await c.official!.follow(again)).body, /changed this project/);
  });

  test('milestones: added once per form, edited, removed; a bad date or a missing title is named', async () => {
    const b = base(funded.number);
    const before = await listMilestones(t.db, funded.id);
    const bad = await c.official!.post(`${b}/milestones`, { milestoneDue: '2027-13-01' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /href="#f-milestoneTitle"/);
    assert.match(bad.body, /href="#f-milestoneDue"/);
    const page = (await c.official!.get(b)).body;
    const fields = { _csrf: await c.official!.csrf(), [ONCE_FIELD]: onceFrom(page, `${b}/milestones`), milestoneTitle: 'Укладено договір', milestoneDue: '2027-07-01' };
    const answers = await Promise.all([1, 2, 3, 4].map(() => c.official!.post(`${b}/milestones`, fields)));
    assert.deepEqual(answers.map((a) => a.statusCode), [303, 303, 303, 303]);
    const added = (await listMilestones(t.db, funded.id)).filter((m) => !before.some((x) => x.id === m.id));
    assert.equal(added.length, 1, 'four sends of one form add one milestone');
    const edit = `${b}/milestones/${added[0]!.id}`;
    assert.match((await c.official!.get(edit)).body, /value="Укладено договір"/);
    const badEdit = await c.official!.post(edit, { milestoneTitle: 'Укладено договір', milestoneDue: '2027-07-01', milestoneDone: 'yesterday' });
    assert.equal(badEdit.statusCode, 400);
    assert.match(badEdit.body, /href="#f-milestoneDone"/);
    assert.equal((await c.official!.post(edit, { milestoneTitle: 'Укладено договір', milestoneDue: '2027-07-01', milestoneDone: '2027-06-28' })).statusCode, 303);
    assert.equal((await listMilestones(t.db, funded.id)).find((m) => m.id === added[0]!.id)!.done_on, '2027-06-28');
    assert.equal((await c.official!.post(`${edit}/delete`, {})).statusCode, 303);
    assert.equal((await c.official!.get(edit)).statusCode, 404);
    assert.equal((await c.official!.post(`${b}/milestones/2147483647/delete`, {})).statusCode, 303, 'an unknown milestone is answered, not an error');
  });

  test('updates with a photo: posted once per form, the photo stored as an implementation photo of the update; bad input named', async () => {
    const b = base(funded.number);
    const page = (await c.official!.get(b)).body;
    const key = onceFrom(page, `${b}/updates`);
    const empty = multipartForm({ _csrf: await c.official!.csrf(), [ONCE_FIELD]: key, body: '', updateProgress: '101' }, { field: 'photo', name: 'a.png', data: tinyPng() });
    const bad = await c.official!.request('POST', `${b}/updates`, empty);
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /href="#f-body"/);
    assert.match(bad.body, /href="#f-updateProgress"/);
    const notImage = multipartForm({ _csrf: await c.official!.csrf(), [ONCE_FIELD]: key, body: 'Фото' }, { field: 'photo', name: 'a.png', data: Buffer.from('not an image at all') });
    assert.equal((await c.official!.request('POST', `${b}/updates`, notImage)).statusCode, 400);
    const files = storedFiles(t.dataDir);
    const form = multipartForm({ _csrf: await c.official!.csrf(), [ONCE_FIELD]: key, body: 'Висадили дерева.', updateProgress: '60', caption: 'Нові липи' }, { field: 'photo', name: 'lipy.png', data: tinyPng() });
    const answers = await Promise.all([1, 2, 3, 4, 5].map(() => c.official!.request('POST', `${b}/updates`, form)));
    assert.deepEqual(answers.map((a) => a.statusCode), [303, 303, 303, 303, 303]);
    const updates = await listUpdates(t.db, funded.id);
    const mine = updates.filter((u) => u.body === 'Висадили дерева.');
    assert.equal(mine.length, 1, 'five sends of one form post one update');
    assert.deepEqual(mine[0]!.photos.map((p) => p.caption), ['Нові липи']);
    assert.equal(storedFiles(t.dataDir), files + 1, 'the repeats kept no bytes');
    const row = await t.db.selectFrom('pb_project_files').selectAll().where('update_id', '=', mine[0]!.id).executeTakeFirstOrThrow();
    assert.deepEqual([row.stage, row.kind, row.project_id], ['implementation', 'photo', funded.id]);
    assert.equal((await reload(funded)).progress, 60);
    const photos = `${b}/updates/${mine[0]!.id}/photos`;
    assert.equal((await c.official!.get(photos)).statusCode, 200);
    const missing = await c.official!.request('POST', photos, multipartForm({ _csrf: await c.official!.csrf(), caption: 'x' }, { field: 'other', name: '', data: Buffer.alloc(0) }));
    assert.equal(missing.statusCode, 400);
    const more = multipartForm({ _csrf: await c.official!.csrf(), [ONCE_FIELD]: onceFrom((await c.official!.get(photos)).body, photos) }, { field: 'photo', name: 'b.png', data: tinyPng() });
    assert.equal((await c.official!.request('POST', photos, more)).statusCode, 303);
    assert.equal((await listUpdates(t.db, funded.id)).find((u) => u.id === mine[0]!.id)!.photos.length, 2);
    assert.equal((await c.official!.get(`${b}/updates/2147483647/photos`)).statusCode, 404);
  });
});

describe('public pages', () => {
  test("the cycle's implementation list and accountability show funded projects, progress, money and charts with tables", async () => {
    const list = await t.client('uk').get(`/uk/zhovkva/participatory-budget/cycles/${cycle.number}/implementation`);
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /Сквер біля школи/);
    assert.match(list.body, /role="progressbar"/);
    assert.doesNotMatch(list.body, /Не профінансований/);
    assert.match(list.body, /implementation\.csv/);
    const acc = await t.client('en').get(`/en/zhovkva/participatory-budget/cycles/${cycle.number}/accountability`);
    assert.equal(acc.statusCode, 200);
    assert.match(acc.body, /<svg[^>]*role="img"[^>]*aria-labelledby="pb-acc-spent-title"/);
    assert.match(acc.body, /<title id="pb-acc-spent-title">/);
    assert.match(acc.body, /All categories/);
    assert.match(acc.body, /<\/svg>[\s\S]*?<table/, 'each chart is followed by its table');
    for (const path of ['implementation', 'accountability']) {
      assert.equal((await t.client('en').get(`/en/sombor/participatory-budget/cycles/${cycle.number}/${path}`)).statusCode, 404, `another municipality: ${path}`);
      assert.equal((await t.client('en').get(`/en/zhovkva/participatory-budget/cycles/999/${path}`)).statusCode, 404);
    }
    const draft = (await seedCycle(t.db, town, { status: 'draft', phase: 'submission' })).cycle;
    assert.equal((await t.client('en').get(`/en/zhovkva/participatory-budget/cycles/${draft.number}/implementation`)).statusCode, 404, 'a draft is not public');
    const voting = (await seedCycle(t.db, town, { phase: 'voting' })).cycle;
    assert.match((await t.client('en').get(`/en/zhovkva/participatory-budget/cycles/${voting.number}/accountability`)).body, /once the results are published/);
  });
});
