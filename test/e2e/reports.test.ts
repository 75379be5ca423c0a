/**
 * Problem reports in Chromium: a resident without JavaScript files a report with an address, coordinates
 * and the category's question; a neighbour filing the same problem nearby is offered it and says
 * "me too"; the list and the report page are visited in all five languages; an official takes it to
 * fixed and the reporter reopens it; the map places a report; an admin imports districts and a resident
 * follows one; a guest reports and confirms by the mailed link. axe-core (WCAG 2.1 A/AA) runs on every
 * page reached.
 */
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { LOCALES } from '../../src/platform/i18n/i18n.ts';
import { reportCategory } from '../../src/modules/reports/testing.ts';
import { forgetMunicipality } from '../../src/platform/http/request-context.ts';
import { checkA11y, disableScripts, eventually, follow, htmlCheckTest, launchBrowser, newContext, seedMunicipality, seedUser, signedIn, startServer, text, tr, visit, type SeededMunicipality, type SeededUser, type TestServer } from './helpers.ts';

let server: TestServer;
let browser: Browser;
let town: SeededMunicipality;
const people: Record<string, SeededUser> = {};
const PLACE = { lat: '50.0549', lng: '23.9731' };

before(async () => {
  server = await startServer();
  town = await seedMunicipality(server.db);
  await server.db.updateTable('municipalities').set({ enabled_modules: JSON.stringify(['reports']) }).where('id', '=', town.id).execute();
  await reportCategory(server.db, town, 'potholes', {
    questions: [{ key: 'depth', kind: 'number', required: true, labels: { uk: 'Глибина, см', 'sr-Cyrl': 'Дубина, цм', 'sr-Latn': 'Dubina, cm', pl: 'Głębokość, cm', en: 'Depth, cm' } }],
  });
  await server.db.updateTable('report_categories').set({ names: JSON.stringify({ uk: 'Вибоїни', 'sr-Cyrl': 'Рупе на путу', 'sr-Latn': 'Rupe na putu', pl: 'Dziury w jezdni', en: 'Potholes' }) }).execute();
  // Real department names are long; in a select they once pushed the list, the queue and the handling page past a phone's width.
  const long = 'Департамент житлово-комунального господарства, благоустрою та екологічної безпеки міської ради';
  await server.db.insertInto('departments').values({ municipality_id: town.id, slug: 'housing', names: JSON.stringify({ uk: long, 'sr-Cyrl': long, 'sr-Latn': long, pl: long, en: long }) }).execute();
  people.reporter = await seedUser(server.db, { email: 'reporter@zhovkva.example.org', fullName: 'Марія Коваль' });
  people.neighbour = await seedUser(server.db, { email: 'neighbour@zhovkva.example.org', fullName: 'Petar Petrović', locale: 'sr-Latn' });
  people.official = await seedUser(server.db, { email: 'official@zhovkva.example.org', fullName: 'Тарас Коваль', role: { municipalityId: town.id, role: 'official' } });
  people.admin = await seedUser(server.db, { email: 'admin@zhovkva.example.org', fullName: 'Ганна Адмін', role: { municipalityId: town.id, role: 'admin' } });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('a report without JavaScript, then "me too" from a neighbour, then every language', async () => {
  const uk = tr('uk');
  const base = `/uk/${town.slug}/reports`;
  let path = '';

  await signedIn(browser, server, people.reporter!, 'uk', async (page) => {
    await disableScripts(page);
    await visit(page, base);
    await follow(page, () => page.click(`main a[href="${base}/new"]`), { status: 200 });
    await follow(page, () => page.click(`main a[href="${base}/new?category=potholes"]`), { status: 200 });
    await follow(page, () => page.click('main form button[type=submit]'), { status: 400 });
    assert.match(await text(page, '.error-summary'), new RegExp(tr('uk')('reports.web.field.title')));
    await page.fill('#f-title', 'Глибока вибоїна біля ринку');
    await page.fill('#f-address', 'вул. Львівська, 5');
    await page.fill('#f-lat', PLACE.lat);
    await page.fill('#f-lng', PLACE.lng);
    await page.fill('#f-q_depth', '15');
    await follow(page, () => page.click('main form button[type=submit]'), { status: 200 });
    path = new URL(page.url()).pathname;
    assert.match(path, /\/reports\/1$/);
    assert.equal(await text(page, 'main .banner'), uk('reports.web.created', { number: 1 }));
    assert.match(await text(page, 'main'), /Глибина, см/);
    // A photo, uploaded without scripts: checked by content, resized, shown.
    const png = await sharp({ create: { width: 120, height: 90, channels: 3, background: '#7a6a55' } }).png().toBuffer();
    await page.setInputFiles('#f-photo', { name: 'вибоїна.png', mimeType: 'image/png', buffer: png });
    await follow(page, () => page.click('main form[action$="/photos"] button'), { status: 200 });
    assert.equal(await text(page, 'main .banner'), uk('reports.photos.added'));
    assert.equal(await page.locator('main .photos img').count(), 1);
  });

  await signedIn(browser, server, people.neighbour!, 'sr-Latn', async (page) => {
    const sr = tr('sr-Latn');
    const srBase = `/sr-Latn/${town.slug}/reports`;
    await visit(page, `${srBase}/new?category=potholes`);
    await page.fill('#f-title', 'Rupa kod pijace');
    await page.fill('#f-lat', '50.0550');
    await page.fill('#f-lng', PLACE.lng);
    await page.fill('#f-q_depth', '10');
    await follow(page, () => page.click('main form button[type=submit]'), { status: 200 });
    assert.equal(await text(page, 'main h1'), sr('reports.web.nearbyTitle'));
    await follow(page, () => page.click(`main form[action="${srBase}/1/support"] button`), { status: 200 });
    assert.match(await text(page, 'main'), new RegExp(sr('reports.web.supported')));
  });
  const count = await server.db.selectFrom('reports').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  assert.equal(Number(count.n), 1, 'the neighbour joined instead of filing a duplicate');

  const context = await newContext(browser, server);
  try {
    const page = await context.newPage();
    for (const locale of LOCALES) {
      await visit(page, `/${locale}/${town.slug}/reports`);
      assert.match(await text(page, 'main h1'), new RegExp(tr(locale)('reports.name')));
      await visit(page, `/${locale}/${town.slug}/reports/1`);
      assert.match(await text(page, 'main'), new RegExp(tr(locale)('reports.status.new')));
      await visit(page, `/${locale}/${town.slug}/reports/performance`);
    }
  } finally {
    await context.close();
  }
});

test('an official takes the report to fixed, the reporter says it is not and reopens it; staff pages in every language', async () => {
  const path = `/en/${town.slug}/reports/1`;
  await signedIn(browser, server, people.official!, 'en', async (page) => {
    const en = tr('en');
    await visit(page, `/en/${town.slug}/reports/staff`);
    await follow(page, () => page.click(`main a[href="${path}/handle"]`), { status: 200 });
    await page.selectOption('#f-move', 'acknowledge');
    await page.fill('main form[action$="/handle/move"] #f-moveNote', 'Crew goes out tomorrow morning.');
    await follow(page, () => page.click('main form[action$="/handle/move"] button'), { status: 200 });
    assert.equal(await text(page, 'main .banner'), en('reports.staff.saved'));
    await page.selectOption('#f-move', 'fix');
    await follow(page, () => page.click('main form[action$="/handle/move"] button'), { status: 200 });
    for (const locale of LOCALES) {
      await visit(page, `/${locale}/${town.slug}/reports/staff`);
      await visit(page, `/${locale}/${town.slug}/reports/1/handle`);
      await visit(page, `/${locale}/${town.slug}/reports/areas`);
      await visit(page, `/${locale}/${town.slug}/reports/staff/templates`);
    }
  });
  await signedIn(browser, server, people.reporter!, 'uk', async (page) => {
    const uk = tr('uk');
    await visit(page, `/uk/${town.slug}/reports/1`);
    assert.match(await text(page, 'main'), new RegExp(uk('reports.web.reallyFixed').replace('?', '\\?')));
    await page.fill('#f-note', 'Вибоїна досі на місці.');
    await follow(page, () => page.click('main form[action$="/fixed"]:has(#f-note) button'), { status: 200 });
    assert.equal(await text(page, 'main .banner'), uk('reports.web.reopened'));
    assert.match(await text(page, 'main .timeline'), /Вибоїна досі на місці/);
  });
  const row = await server.db.selectFrom('reports').select('status').where('number', '=', 1).executeTakeFirstOrThrow();
  assert.equal(row.status, 'acknowledged');
  await signedIn(browser, server, people.admin!, 'en', async (page) => {
    for (const locale of LOCALES) {
      await visit(page, `/${locale}/${town.slug}/reports/staff/categories`);
      await visit(page, `/${locale}/${town.slug}/reports/staff/categories/potholes`);
      await visit(page, `/${locale}/${town.slug}/reports/staff/categories/potholes/questions`);
    }
  });
});

test('with the map: the list shows open reports as pins, and a click on the map places a new report', async () => {
  await signedIn(browser, server, people.reporter!, 'en', async (page) => {
    const base = `/en/${town.slug}/reports`;
    await visit(page, base);
    await page.locator('.map .map-pin').first().waitFor({ timeout: 15_000 });
    await checkA11y(page); // with the map and its pins drawn
    await visit(page, `${base}/new?category=potholes`);
    const map = page.locator('.map.leaflet-container');
    await map.waitFor({ timeout: 15_000 });
    await map.scrollIntoViewIfNeeded();
    await checkA11y(page);
    const box = (await map.boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.75, box.y + box.height * 0.25);
    const lat = Number(await page.inputValue('#f-lat'));
    const lng = Number(await page.inputValue('#f-lng'));
    assert.ok(lat > 50.0545 && lng > 23.9726, `the click placed the report north-east of the centre (${lat}, ${lng})`);
    await page.fill('#f-title', 'Broken kerb near the square');
    await page.fill('#f-q_depth', '4');
    await follow(page, () => page.click('main form button[type=submit]'), { status: 200 });
    if (await page.locator('main form input[name="confirmNew"]').count()) await follow(page, () => page.click('main form:has(input[name="confirmNew"]) button'), { status: 200 });
    assert.match(new URL(page.url()).pathname, /\/reports\/\d+$/);
    const row = await server.db.selectFrom('reports').select(['lat', 'lng', 'located']).where('title', '=', 'Broken kerb near the square').executeTakeFirstOrThrow();
    assert.deepEqual([row.located, Math.abs(row.lat - lat) < 1e-6, Math.abs(row.lng - lng) < 1e-6], [true, true, true]);
  });
});

test('an admin draws the districts from a file; a resident follows one, and the report page names it', async () => {
  const names = { name: 'Центр', 'name:en': 'Centre', 'name:pl': 'Centrum', 'name:sr': 'Центар', 'name:sr-Latn': 'Centar' };
  const geojson = JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: names,
    geometry: { type: 'Polygon', coordinates: [[[23.96, 50.05], [23.99, 50.05], [23.99, 50.065], [23.96, 50.065], [23.96, 50.05]]] } }] });
  await signedIn(browser, server, people.admin!, 'en', async (page) => {
    await visit(page, `/en/${town.slug}/admin/districts`);
    await page.setInputFiles('#f-file', { name: 'districts.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(geojson) });
    await follow(page, () => page.click('main form[enctype] button'), { status: 200 });
    assert.equal(await text(page, 'main .banner'), tr('en')('admin.districts.imported', { added: 1, redrawn: 0 }));
    for (const locale of LOCALES) await visit(page, `/${locale}/${town.slug}/admin/districts`);
  });
  await signedIn(browser, server, people.neighbour!, 'sr-Latn', async (page) => {
    const base = `/sr-Latn/${town.slug}/reports`;
    await visit(page, `${base}/areas`);
    await page.selectOption('#f-district', { label: 'Centar' });
    await follow(page, () => page.click(`main form[action="${base}/areas/district"] button`), { status: 200 });
    assert.equal(await text(page, 'main .banner'), tr('sr-Latn')('reports.areas.added'));
    await visit(page, `${base}/1`);
    assert.match(await text(page, 'main .summary'), /Centar/);
  });
});

test('a guest without JavaScript reports, follows the mailed link and confirms; the report is filed under their new account', async () => {
  await server.db.updateTable('municipalities').set({ settings: JSON.stringify({ reports: { guests: 'email' } }) }).where('id', '=', town.id).execute();
  forgetMunicipality(town.slug);
  const context = await newContext(browser, server);
  try {
    const page = await context.newPage();
    await disableScripts(page);
    const pl = tr('pl');
    for (const locale of LOCALES) await visit(page, `/${locale}/${town.slug}/reports/new?category=potholes`);
    await visit(page, `/pl/${town.slug}/reports/new?category=potholes`);
    await page.fill('#f-title', 'Zapadnięta studzienka');
    await page.fill('#f-address', 'ul. Lwowska 12');
    await page.fill('#f-q_depth', '8');
    await page.fill('#f-fullName', 'Anna Nowak');
    await page.fill('#f-email', 'anna@zhovkva.example.org');
    await follow(page, () => page.click('main form button[type=submit]'), { status: 200 });
    assert.equal(await text(page, 'main .banner'), pl('reports.web.guest.sent', { email: 'anna@zhovkva.example.org' }));
    const mail = await eventually('the confirmation mail', () =>
      server.db.selectFrom('outbox').select('text_body').where('to_address', '=', 'anna@zhovkva.example.org').executeTakeFirst());
    const link = new URL(/http\S+\/reports\/confirm\?token=\S+/.exec(mail.text_body)![0]);
    for (const locale of LOCALES) await visit(page, `${link.pathname.replace(/^\/pl\//, `/${locale}/`)}${link.search}`);
    await visit(page, `${link.pathname}${link.search}`);
    assert.match(await text(page, 'main'), /Zapadnięta studzienka/);
    await follow(page, () => page.click('main form button[type=submit]'), { status: 200 });
    assert.match(new URL(page.url()).pathname, /\/reports\/\d+$/);
    assert.match(await text(page, 'header'), /Anna Nowak/, 'the guest is signed in');
  } finally {
    await context.close();
  }
});

htmlCheckTest();
