import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Municipality } from '../../../db/schema.ts';
import { startTestApp, type TestApp, type TestClient } from '../../../platform/testing/http.ts';
import { TEST_PASSWORD } from '../../../platform/testing/people.ts';
import { findCategory, findReport } from '../report.repo.ts';
import { createReport } from '../report.service.ts';
import { reportCategory, reportTown, resident, serviceDeps, ZHOVKVA } from '../testing.ts';

let t: TestApp;
let town: Municipality;
let other: Municipality;
let reporter: Awaited<ReturnType<typeof resident>>;
const c: Record<string, TestClient> = {};
let otherDept = 0;

async function newReport(title = 'Зламана лавка в парку') {
  const r = await createReport(serviceDeps(t.db), reporter.current, town, { category: 'benches', title, description: '', at: ZHOVKVA, address: null, showName: false, answers: {} });
  return (r as { number: number }).number;
}
const status = async (n: number) => (await findReport(t.db, town.id, n))!.status;
const events = async () => Number((await t.db.selectFrom('report_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

before(async () => {
  t = await startTestApp();
  town = await reportTown(t.db, 'zhovkva');
  other = await reportTown(t.db, 'sombor');
  await reportCategory(t.db, town, 'benches');
  otherDept = (await reportCategory(t.db, town, 'trees')).department_id!;
  reporter = await resident(t.db, 'reporter@example.org', town);
  await resident(t.db, 'official@example.org', town, { role: 'official' });
  await resident(t.db, 'admin@example.org', town, { role: 'admin' });
  await resident(t.db, 'foreign@example.org', other, { role: 'admin' });
  for (const who of ['reporter', 'official', 'admin', 'foreign']) {
    c[who] = t.client('en');
    await c[who]!.signIn(`${who}@example.org`, TEST_PASSWORD);
  }
});
after(() => t.close());

describe('who may do what', () => {
  test('every staff write is refused to guests, residents and staff of another municipality, and changes nothing', async () => {
    const n = await newReport();
    const base = `/en/zhovkva/reports/${n}/handle`;
    const writes: [string, Record<string, string>][] = [
      [`${base}/move`, { move: 'acknowledge' }], [`${base}/close`, { reason: 'no_action' }], [`${base}/reassign`, { departmentId: String(otherDept) }],
      [`${base}/note`, { note: 'Примітка', visibility: 'public' }],
      ['/en/zhovkva/reports/staff/categories', { slug: 'sneaky', nameEn: 'Sneaky', ackHours: '1', fixDays: '1' }],
      ['/en/zhovkva/reports/staff/categories/benches', { nameEn: 'Renamed', ackHours: '1', fixDays: '1' }],
      ['/en/zhovkva/reports/staff/categories/benches/questions', { key: 'x', kind: 'text', nameEn: 'Sneaky question' }],
      ['/en/zhovkva/reports/staff/categories/benches/questions/delete', { key: 'x' }],
    ];
    const before = [await events(), await status(n), JSON.stringify(await findCategory(t.db, town.id, 'benches'))];
    for (const [url, body] of writes) {
      assert.match(String((await t.client('en').post(url, body)).headers.location), /sign-in/, `guest ${url}`);
      for (const who of ['reporter', 'foreign'] as const) assert.equal((await c[who]!.post(url, body)).statusCode, 403, `${who} ${url}`);
    }
    assert.equal((await c.official!.post('/en/zhovkva/reports/staff/categories', writes[4]![1])).statusCode, 403, 'categories are the admin\'s');
    assert.equal((await c.reporter!.get('/en/zhovkva/reports/staff')).statusCode, 403);
    assert.deepEqual([await events(), await status(n), JSON.stringify(await findCategory(t.db, town.id, 'benches'))], before);
  });
});

describe('handling a report', () => {
  test('the queue lists it; moves, closing, reassigning and notes work; bad input names the field', async () => {
    const n = await newReport('Повалене дерево на тротуарі');
    const queue = await c.official!.get('/en/zhovkva/reports/staff');
    assert.equal(queue.statusCode, 200);
    assert.match(queue.body, /Повалене дерево на тротуарі/);
    const base = `/en/zhovkva/reports/${n}/handle`;
    assert.match((await c.official!.get(base)).body, /name="move"/);
    const bad = await c.official!.post(`${base}/move`, { move: 'teleport' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /href="#f-move"/);
    assert.equal((await c.official!.post(`${base}/move`, { move: 'acknowledge', moveNote: 'Бачимо, виїжджаємо.' })).statusCode, 303);
    assert.equal(await status(n), 'acknowledged');
    assert.match((await c.official!.post(`${base}/move`, { move: 'acknowledge' })).headers['set-cookie']?.toString() ?? '', /flash/, 'a repeat is answered, not applied');
    const dup = await c.official!.post(`${base}/close`, { reason: 'duplicate', duplicateOf: '9999' });
    assert.equal(dup.statusCode, 400);
    assert.match(dup.body, /href="#f-duplicateOf"/);
    assert.equal((await c.official!.post(`${base}/reassign`, { departmentId: String(otherDept) })).statusCode, 303);
    assert.equal((await findReport(t.db, town.id, n))!.department_id, otherDept);
    assert.equal((await c.official!.post(`${base}/note`, { note: 'x', visibility: 'internal' })).statusCode, 400);
    assert.equal((await c.official!.post(`${base}/note`, { note: 'Потрібна бензопила.', visibility: 'internal' })).statusCode, 303);
    const publicPage = await t.client('en').get(`/en/zhovkva/reports/${n}`);
    assert.doesNotMatch(publicPage.body, /бензопила/, 'internal notes stay internal');
    assert.match(publicPage.body, /Бачимо, виїжджаємо/);
    assert.equal((await c.official!.post(`${base}/move`, { move: 'fix' })).statusCode, 303);
    assert.equal(await status(n), 'fixed');
  });

  test('staff place a report given by address; a place outside the municipality names the field', async () => {
    const r = await createReport(serviceDeps(t.db), reporter.current, town, { category: 'benches', title: 'Лавка без адреси на мапі', description: '', at: null, address: 'вул. Шевченка, 3', showName: false, answers: {} });
    const n = (r as { number: number }).number;
    const base = `/en/zhovkva/reports/${n}/handle`;
    assert.match((await c.official!.get(base)).body, /gave only an address \(вул\. Шевченка, 3\)/);
    assert.equal((await c.reporter!.post(`${base}/place`, { lat: String(ZHOVKVA.lat), lng: String(ZHOVKVA.lng) })).statusCode, 403);
    const far = await c.official!.post(`${base}/place`, { lat: '45.77', lng: '19.11' });
    assert.equal(far.statusCode, 400);
    assert.match(far.body, /href="#f-lat"/);
    assert.equal((await findReport(t.db, town.id, n))!.located, false);
    assert.equal((await c.official!.post(`${base}/place`, { lat: String(ZHOVKVA.lat), lng: String(ZHOVKVA.lng + 0.001) })).statusCode, 303);
    const placed = (await findReport(t.db, town.id, n))!;
    assert.deepEqual([placed.located, placed.lng], [true, ZHOVKVA.lng + 0.001]);
  });

  test('the reporter is asked if it is really fixed and can reopen it; nobody else can', async () => {
    const n = await newReport('Сміття біля зупинки');
    await c.official!.post(`/en/zhovkva/reports/${n}/handle/move`, { move: 'fix' });
    const page = await c.reporter!.get(`/en/zhovkva/reports/${n}`);
    assert.match(page.body, /Is it really fixed\?/);
    assert.equal((await c.official!.post(`/en/zhovkva/reports/${n}/fixed`, { answer: 'no' })).statusCode, 403);
    assert.equal(await status(n), 'fixed');
    assert.equal((await c.reporter!.post(`/en/zhovkva/reports/${n}/fixed`, { answer: 'no', note: 'Досі лежить.' })).statusCode, 303);
    assert.equal(await status(n), 'acknowledged');
  });
});

describe('ready answers', () => {
  test('officials keep ready answers and start a message from one; residents cannot touch them', async () => {
    assert.equal((await c.reporter!.post('/en/zhovkva/reports/staff/templates', { title: 'Sneaky', body: 'Sneaky text' })).statusCode, 403);
    assert.equal((await c.foreign!.post('/en/zhovkva/reports/staff/templates', { title: 'Sneaky', body: 'Sneaky text' })).statusCode, 403);
    const bad = await c.official!.post('/en/zhovkva/reports/staff/templates', { title: 'x' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /href="#f-body"/);
    assert.equal((await c.official!.post('/en/zhovkva/reports/staff/templates', { title: 'Crew this week', body: 'Дякуємо! Бригада виїде цього тижня.' })).statusCode, 303);
    const tpl = await t.db.selectFrom('report_templates').select('id').executeTakeFirstOrThrow();
    const n = await newReport('Яма біля ліцею');
    const page = await c.official!.get(`/en/zhovkva/reports/${n}/handle?template=${tpl.id}`);
    assert.match(page.body, />Дякуємо! Бригада виїде цього тижня\.<\/textarea>/);
    assert.equal((await c.reporter!.post(`/en/zhovkva/reports/staff/templates/${tpl.id}/delete`)).statusCode, 403);
    assert.equal((await c.official!.post(`/en/zhovkva/reports/staff/templates/${tpl.id}/delete`)).statusCode, 303);
    assert.equal((await t.db.selectFrom('report_templates').select('id').execute()).length, 0);
  });
});

describe('categories', () => {
  test('an admin adds a category with service levels and a question; bad input names the field', async () => {
    const bad = await c.admin!.post('/en/zhovkva/reports/staff/categories', { slug: 'Bad Slug', nameEn: 'X', ackHours: '0', fixDays: 'soon' });
    assert.equal(bad.statusCode, 400);
    for (const f of ['slug', 'nameEn', 'ackHours', 'fixDays']) assert.match(bad.body, new RegExp(`href="#f-${f}"`), f);
    const taken = await c.admin!.post('/en/zhovkva/reports/staff/categories', { slug: 'benches', nameEn: 'Benches again', ackHours: '24', fixDays: '7' });
    assert.match(taken.body, /already has a category/);
    const ok = await c.admin!.post('/en/zhovkva/reports/staff/categories', { slug: 'snow', nameEn: 'Snow on the road', nameUk: 'Сніг на дорозі', ackHours: '4', fixDays: '1', departmentId: String(otherDept) });
    assert.equal(ok.statusCode, 303);
    const q = '/en/zhovkva/reports/staff/categories/snow/questions';
    const fewOptions = await c.admin!.post(q, { key: 'kind', kind: 'single', nameEn: 'What is blocked?', options: 'Road' });
    assert.match(fewOptions.body, /href="#f-options"/);
    assert.equal((await c.admin!.post(q, { key: 'blocked', kind: 'single', required: 'yes', nameEn: 'What is blocked?', nameUk: 'Що заблоковано?', options: 'Дорога\nТротуар' })).statusCode, 303);
    const snow = (await findCategory(t.db, town.id, 'snow'))!;
    assert.deepEqual([snow.ack_hours, snow.fix_days, snow.department_id, snow.questions.length, snow.questions[0]!.options?.length], [4, 1, otherDept, 1, 2]);
    const form = await c.reporter!.get('/uk/zhovkva/reports/new?category=snow');
    assert.match(form.body, /Що заблоковано\?/);
    assert.equal((await c.admin!.post('/en/zhovkva/reports/staff/categories/snow', { nameEn: 'Snow', ackHours: '4', fixDays: '1' })).statusCode, 303);
    assert.equal((await findCategory(t.db, town.id, 'snow'))!.active, false, 'the box unticked switches it off');
    assert.equal((await c.admin!.post('/en/zhovkva/reports/staff/categories/snow/questions/delete', { key: 'blocked' })).statusCode, 303);
    assert.equal((await findCategory(t.db, town.id, 'snow'))!.questions.length, 0);
    assert.equal((await c.admin!.get('/en/zhovkva/reports/staff/categories/none')).statusCode, 404);
  });
});
