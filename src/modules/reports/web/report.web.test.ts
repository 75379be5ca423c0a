import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Municipality } from '../../../db/schema.ts';
import { startTestApp, type TestApp, type TestClient } from '../../../platform/testing/http.ts';
import { TEST_PASSWORD } from '../../../platform/testing/people.ts';
import { findReport } from '../report.repo.ts';
import { reportCategory, reportTown, resident, ZHOVKVA } from '../testing.ts';

let t: TestApp;
let town: Municipality;
const clients: Record<string, TestClient> = {};
const count = async (table: 'reports' | 'report_supporters') => Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
const form = (over: Record<string, string> = {}) => ({ category: 'potholes', title: 'Вибоїна на Львівській', description: 'Посеред смуги.', lat: String(ZHOVKVA.lat), lng: String(ZHOVKVA.lng), q_depth: '10', ...over });

before(async () => {
  t = await startTestApp();
  town = await reportTown(t.db, 'zhovkva', { radiusKm: 10, guests: 'no' });
  await reportCategory(t.db, town, 'potholes', { questions: [{ key: 'depth', kind: 'number', required: true, labels: { uk: 'Глибина, см', en: 'Depth (cm)' } }] });
  await reportCategory(t.db, town, 'lamps');
  await resident(t.db, 'reporter@example.org', town, { fullName: 'Марія Коваль' });
  await resident(t.db, 'neighbour@example.org', town);
  await resident(t.db, 'unverified@example.org', null, { emailVerified: false });
  for (const [who, locale] of [['reporter', 'uk'], ['neighbour', 'en'], ['unverified', 'en']] as const) {
    clients[who] = t.client(locale);
    await clients[who]!.signIn(`${who}@example.org`, TEST_PASSWORD);
  }
});
after(() => t.close());

describe('filing a report', () => {
  test('a guest is sent to sign in; without a category the kinds of problem are offered', async () => {
    const guest = await t.client('en').get('/en/zhovkva/reports/new');
    assert.equal(guest.statusCode, 303);
    assert.match(String(guest.headers.location), /sign-in\?next=/);
    const chooser = await clients.neighbour!.get('/en/zhovkva/reports/new');
    assert.match(chooser.body, /href="\/en\/zhovkva\/reports\/new\?category=potholes"/);
    const withQuestions = await clients.neighbour!.get('/en/zhovkva/reports/new?category=potholes');
    assert.match(withQuestions.body, /name="q_depth"/);
    assert.match(withQuestions.body, /Depth \(cm\)/);
  });

  test('bad input gets translated messages naming the field, keeps what was typed, and writes nothing', async () => {
    const before = await count('reports');
    const empty = await clients.reporter!.post('/uk/zhovkva/reports/new', { category: 'potholes', title: 'Ой' });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /href="#f-title"/);
    assert.doesNotMatch(empty.body, /field\.title|reports\.web/);
    const outside = await clients.reporter!.post('/uk/zhovkva/reports/new', form({ lat: '50.3', lng: '24.5' }));
    assert.equal(outside.statusCode, 400);
    assert.match(outside.body, /href="#f-lat"/);
    assert.match(outside.body, /поза межами громади/);
    const half = await clients.reporter!.post('/uk/zhovkva/reports/new', form({ lng: '' }));
    assert.match(half.body, /href="#f-lng"/);
    const noPlace = await clients.reporter!.post('/uk/zhovkva/reports/new', form({ lat: '', lng: '' }));
    assert.match(noPlace.body, /href="#f-address"/);
    const answer = await clients.reporter!.post('/uk/zhovkva/reports/new', form({ q_depth: 'глибоко' }));
    assert.match(answer.body, /href="#f-q_depth"/);
    assert.match(answer.body, /Вибоїна на Львівській/, 'what was typed is kept');
    const unknown = await clients.reporter!.post('/uk/zhovkva/reports/new', form({ category: 'nope' }));
    assert.equal(unknown.statusCode, 400);
    const forged = await clients.reporter!.post('/uk/zhovkva/reports/new', { ...form(), _csrf: 'forged' });
    assert.equal(forged.statusCode, 403);
    assert.equal(await count('reports'), before);
  });

  test('an unverified account is told what is missing, and nothing is written', async () => {
    const before = await count('reports');
    const res = await clients.unverified!.post('/en/zhovkva/reports/new', form());
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /Confirm your e-mail address/);
    assert.equal(await count('reports'), before);
  });

  test('a report is filed and shown; a second one nearby is offered the first before it is filed', async () => {
    const first = await clients.reporter!.post('/uk/zhovkva/reports/new', form({ showName: 'yes' }));
    assert.equal(first.statusCode, 303);
    const path = String(first.headers.location);
    assert.match(path, /^\/uk\/zhovkva\/reports\/\d+$/);
    const page = await clients.reporter!.get(path);
    assert.match(page.body, /Вибоїна на Львівській/);
    assert.match(page.body, /Марія Коваль/);
    assert.match(page.body, /Глибина, см/);
    const before = await count('reports');
    const second = await clients.neighbour!.post('/en/zhovkva/reports/new', form({ lat: String(ZHOVKVA.lat + 0.0003), title: 'Pothole near the shop' }));
    assert.equal(second.statusCode, 200);
    assert.match(second.body, /Is it one of these\?/);
    assert.match(second.body, new RegExp(`${path.replace('/uk/', '/en/')}/support`));
    assert.match(second.body, /name="confirmNew" value="yes"/);
    assert.match(second.body, /name="q_depth" value="10"/, 'the answers go along');
    assert.equal(await count('reports'), before, 'nothing filed yet');
    const anyway = await clients.neighbour!.post('/en/zhovkva/reports/new', form({ lat: String(ZHOVKVA.lat + 0.0003), title: 'Pothole near the shop', confirmNew: 'yes' }));
    assert.equal(anyway.statusCode, 303);
    assert.equal(await count('reports'), before + 1);
  });
});

describe('me too', () => {
  test('a neighbour supports once; the reporter cannot; a guest is sent to sign in', async () => {
    const r = (await findReport(t.db, town.id, 1))!;
    const path = `/en/zhovkva/reports/${r.number}`;
    const guest = await t.client('en').post(`${path}/support`, {});
    assert.match(String(guest.headers.location), /sign-in/);
    for (const _ of [1, 2]) assert.equal((await clients.neighbour!.post(`${path}/support`)).statusCode, 303);
    assert.equal((await findReport(t.db, town.id, 1))!.supporters, 1);
    await clients.reporter!.post(`/uk/zhovkva/reports/${r.number}/support`);
    assert.equal(await count('report_supporters'), 1);
    const page = await clients.neighbour!.get(path);
    assert.match(page.body, /You have this problem too/);
  });
});

describe('browsing', () => {
  test('the list filters by status and kind; unknown numbers are 404', async () => {
    const open = await t.client('en').get('/en/zhovkva/reports');
    assert.match(open.body, /Pothole near the shop/);
    const lamps = await t.client('en').get('/en/zhovkva/reports?status=all&category=lamps');
    assert.doesNotMatch(lamps.body, /Pothole near the shop/);
    const today = new Date().toISOString().slice(0, 10);
    assert.match((await t.client('en').get(`/en/zhovkva/reports?status=all&from=${today}&to=${today}`)).body, /Pothole near the shop/);
    assert.doesNotMatch((await t.client('en').get('/en/zhovkva/reports?status=all&to=2020-01-01')).body, /Pothole near the shop/);
    assert.match((await t.client('en').get('/en/zhovkva/reports?status=all&from=not-a-date')).body, /Pothole near the shop/, 'an unreadable date is no filter');
    const lampsDept = (await t.db.selectFrom('report_categories').select('department_id').where('slug', '=', 'lamps').executeTakeFirstOrThrow()).department_id;
    const byDept = await t.client('en').get(`/en/zhovkva/reports?status=all&department=${lampsDept}`);
    assert.doesNotMatch(byDept.body, /Pothole near the shop/);
    assert.match(byDept.body, new RegExp(`href="/en/zhovkva/reports\\?status=all&amp;department=${lampsDept}|value="${lampsDept}" selected`));
    assert.equal((await t.client('en').get('/en/zhovkva/reports/999')).statusCode, 404);
    assert.equal((await t.client('en').get('/en/zhovkva/reports/abc')).statusCode, 404);
  });
});
