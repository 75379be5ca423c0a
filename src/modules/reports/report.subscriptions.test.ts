import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Municipality } from '../../db/schema.ts';
import { startTestApp, type TestApp, type TestClient } from '../../platform/testing/http.ts';
import { TEST_PASSWORD } from '../../platform/testing/people.ts';
import { createReport } from './report.service.ts';
import { MAX_AREAS, subscribe } from './report.subscriptions.ts';
import { reportCategory, reportTown, resident, serviceDeps, ZHOVKVA } from './testing.ts';

let t: TestApp;
let town: Municipality;
let lamps = 0;
const people: Record<string, Awaited<ReturnType<typeof resident>>> = {};
const c: Record<string, TestClient> = {};
const north = (meters: number) => ({ lat: ZHOVKVA.lat + meters / 111_320, lng: ZHOVKVA.lng });
const told = async (who: string) => Number((await t.db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', people[who]!.id).where('kind', '=', 'reports.nearby').executeTakeFirstOrThrow()).n);
const areas = async () => Number((await t.db.selectFrom('report_subscriptions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

before(async () => {
  t = await startTestApp();
  town = await reportTown(t.db, 'zhovkva');
  await reportCategory(t.db, town, 'potholes');
  lamps = (await reportCategory(t.db, town, 'lamps')).id;
  for (const who of ['reporter', 'near', 'far', 'lampsOnly', 'other']) {
    people[who] = await resident(t.db, `${who}@example.org`, town);
    c[who] = t.client('en');
    await c[who]!.signIn(`${who}@example.org`, TEST_PASSWORD);
  }
});
after(() => t.close());

describe('areas', () => {
  test('a new report is told to those whose area holds it, of its category, never to its reporter', async () => {
    const d = serviceDeps(t.db);
    await subscribe(t.db, town, people.near!.id, { at: north(300), radiusM: 500, categoryId: null });
    await subscribe(t.db, town, people.far!.id, { at: north(3000), radiusM: 500, categoryId: null });
    await subscribe(t.db, town, people.lampsOnly!.id, { at: ZHOVKVA, radiusM: 1000, categoryId: lamps });
    await subscribe(t.db, town, people.reporter!.id, { at: ZHOVKVA, radiusM: 1000, categoryId: null });
    await createReport(d, people.reporter!.current, town, { category: 'potholes', title: 'Вибоїна біля пошти', description: '', at: ZHOVKVA, address: null, showName: false, answers: {} });
    assert.deepEqual([await told('near'), await told('far'), await told('lampsOnly'), await told('reporter')], [1, 0, 0, 0]);
    await createReport(d, people.reporter!.current, town, { category: 'lamps', title: 'Ліхтар біля пошти', description: '', at: ZHOVKVA, address: null, showName: false, answers: {} });
    assert.deepEqual([await told('near'), await told('lampsOnly')], [2, 1]);
    await createReport(d, people.reporter!.current, town, { category: 'lamps', title: 'Ліхтар без координат', description: '', at: null, address: 'вул. Січових Стрільців', showName: false, answers: {} });
    assert.equal(await told('near'), 2, 'a report without a place is nobody\'s neighbour');
  });

  test('the page adds and removes one\'s own areas only; bad input names the field; at most ten', async () => {
    const before = await areas();
    assert.match(String((await t.client('en').post('/en/zhovkva/reports/areas', { lat: '50', lng: '24', radius: '500' })).headers.location), /sign-in/);
    const bad = await c.other!.post('/en/zhovkva/reports/areas', { lat: 'north', lng: '24', radius: '5', category: 'unicorns' });
    assert.equal(bad.statusCode, 400);
    for (const f of ['lat', 'radius']) assert.match(bad.body, new RegExp(`href="#f-${f}"`));
    assert.equal((await c.other!.post('/en/zhovkva/reports/areas', { lat: '50.05', lng: '23.97', radius: '500', category: 'unicorns' })).statusCode, 400);
    assert.equal(await areas(), before);
    assert.equal((await c.other!.post('/en/zhovkva/reports/areas', { lat: '50.05', lng: '23.97', radius: '1000', category: 'lamps' })).statusCode, 303);
    const mine = await t.db.selectFrom('report_subscriptions').select('id').where('user_id', '=', people.other!.id).executeTakeFirstOrThrow();
    assert.match((await c.other!.get('/en/zhovkva/reports/areas')).body, /within 1,000 metres/);
    await c.near!.post(`/en/zhovkva/reports/areas/${mine.id}/delete`);
    assert.equal(await areas(), before + 1, 'nobody removes another\'s area');
    for (let i = 1; i < MAX_AREAS; i++) await subscribe(t.db, town, people.other!.id, { at: ZHOVKVA, radiusM: 250, categoryId: null });
    const eleventh = await c.other!.post('/en/zhovkva/reports/areas', { lat: '50.05', lng: '23.97', radius: '250' });
    assert.equal(eleventh.statusCode, 400);
    assert.match(eleventh.body, /at most 10 areas/);
    assert.equal((await c.other!.post(`/en/zhovkva/reports/areas/${mine.id}/delete`)).statusCode, 303);
    assert.equal(await areas(), before + MAX_AREAS - 1);
  });

  test('a district is followed as a whole: reports inside it are told, outside not; only real districts of the municipality', async () => {
    const centre = await t.db.insertInto('districts').values({ municipality_id: town.id, slug: 'centre', names: JSON.stringify({ uk: 'Центр', en: 'Centre' }) }).returning('id').executeTakeFirstOrThrow();
    const { lat, lng } = ZHOVKVA;
    await t.db.insertInto('district_parts').values({ municipality_id: town.id, district_id: centre.id, shape: `((${lng - 0.005},${lat - 0.005}),(${lng + 0.005},${lat - 0.005}),(${lng + 0.005},${lat + 0.005}),(${lng - 0.005},${lat + 0.005}))` }).execute();
    const elsewhere = await reportTown(t.db, 'elsewhere');
    const foreign = await t.db.insertInto('districts').values({ municipality_id: elsewhere.id, slug: 'foreign', names: JSON.stringify({ en: 'Foreign' }) }).returning('id').executeTakeFirstOrThrow();
    const page = await c.far!.get('/en/zhovkva/reports/areas');
    assert.match(page.body, /Follow a district/);
    assert.match(page.body, /<option value="\d+">Centre<\/option>/);
    const before = await areas();
    for (const district of ['0', 'centre', String(foreign.id)]) {
      const refused = await c.far!.post('/en/zhovkva/reports/areas/district', { district });
      assert.match((await c.far!.follow(refused)).body, /Choose one of the municipality’s districts/);
    }
    assert.match(String((await t.client('en').post('/en/zhovkva/reports/areas/district', { district: String(centre.id) })).headers.location), /sign-in/);
    assert.equal(await areas(), before);
    const added = await c.far!.post('/en/zhovkva/reports/areas/district', { district: String(centre.id) });
    assert.match((await c.far!.follow(added)).body, /Centre \(<a [^>]+>Atom feed<\/a>\)<\/td><td>the whole district/);
    const d = serviceDeps(t.db);
    const was = await told('far');
    await createReport(d, people.reporter!.current, town, { category: 'potholes', title: 'У центрі', description: '', at: north(200), address: null, showName: false, answers: {} });
    await createReport(d, people.reporter!.current, town, { category: 'potholes', title: 'За межами центру', description: '', at: north(2000), address: null, showName: false, answers: {} });
    assert.equal(await told('far'), was + 1);
    const shown = await t.client('en').get('/en/zhovkva/reports/4');
    assert.match(shown.body, /<dt>District<\/dt><dd>Centre<\/dd>/);
    const inCentre = await t.client('en').get('/en/zhovkva/reports?status=all&district=centre');
    assert.match(inCentre.body, /У центрі/);
    assert.doesNotMatch(inCentre.body, /За межами центру/);
    assert.match(inCentre.body, /feed\.atom\?district=centre/);
    const feed = await t.client('en').get('/en/zhovkva/reports/feed.atom?district=centre');
    assert.match(feed.body, /<title>New problem reports in Centre<\/title>/);
    assert.match(feed.body, /У центрі/);
    assert.doesNotMatch(feed.body, /За межами центру/);
    assert.equal((await t.client('en').get('/en/zhovkva/reports/feed.atom?district=foreign')).statusCode, 404);
    assert.match((await c.far!.get('/en/zhovkva/reports/areas')).body, /href="\/en\/zhovkva\/reports\/feed\.atom\?district=centre"/);
  });

  test('Atom feeds of new reports and of one report\'s timeline', async () => {
    const feed = await t.client('uk').get('/uk/zhovkva/reports/feed.atom');
    assert.match(String(feed.headers['content-type']), /application\/atom\+xml/);
    assert.match(feed.body, /<title>Повідомлення № 1: Вибоїна біля пошти<\/title>/);
    const one = await t.client('en').get('/en/zhovkva/reports/1/feed.atom');
    assert.match(one.body, /<title>Reported<\/title>/);
    assert.equal((await t.client('en').get('/en/zhovkva/reports/999/feed.atom')).statusCode, 404);
  });
});
