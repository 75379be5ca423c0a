/**
 * The other ways to be confirmed as a resident, in Chromium without scripts: a registrar confirms a resident
 * in person from a document; an administrator imports a census list and a resident on it confirms themselves;
 * a resident asks for a letter, a registrar prints the batch (a PDF) and the resident enters its code. After
 * each, the resident is a resident (the petition's sign form shows). axe-core runs on every page reached.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { openPetition } from '../../src/modules/petitions/testing.ts';
import { codeOn, pdfPages } from '../../src/platform/residence/letters.testing.ts';
import { findMunicipalityBySlug } from '../../src/platform/tenancy/municipality.repo.ts';
import { resident } from '../../src/platform/testing/people.ts';
import { disableScripts, follow, htmlCheckTest, launchBrowser, seedMunicipality, seedUser, signedIn, startServer, text, tr, visit, type SeededMunicipality, type SeededUser, type TestServer } from './helpers.ts';

let server: TestServer;
let browser: Browser;
let town: SeededMunicipality;
const people: Record<string, SeededUser> = {};
let petition = '';
const en = tr('en');

before(async () => {
  server = await startServer();
  town = await seedMunicipality(server.db);
  await server.db.updateTable('municipalities').set({
    enabled_modules: JSON.stringify(['petitions']), resident_ways: JSON.stringify(['in_person', 'letter', 'census']),
  }).where('id', '=', town.id).execute();
  const m = (await findMunicipalityBySlug(server.db, town.slug))!;
  people.moderator = await seedUser(server.db, { email: 'moderator@zhovkva.example.org', fullName: 'Марко Модератор', role: { municipalityId: town.id, role: 'moderator' } });
  people.registrar = await seedUser(server.db, { email: 'registrar@zhovkva.example.org', fullName: 'Галина Реєстратор', role: { municipalityId: town.id, role: 'registrar' } });
  people.admin = await seedUser(server.db, { email: 'admin@zhovkva.example.org', fullName: 'Адміністратор Жовкви', role: { municipalityId: town.id, role: 'admin' } });
  for (const who of ['visitor', 'listed', 'writer']) people[who] = await seedUser(server.db, { email: `${who}@zhovkva.example.org`, fullName: `Resident ${who}`, locale: 'en' });
  const author = await resident(server.db, 'author@zhovkva.example.org', m);
  const p = await openPetition(server.db, m, author.current, people.moderator.id, 'Лавки в парку');
  petition = `/en/${town.slug}/petitions/${p.number}`;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** The resident may sign now: the petition shows its sign form instead of the steps. */
async function canSign(page: Page) {
  await visit(page, petition);
  assert.equal(await page.locator(`main form[action="${petition}/sign"]`).count(), 1, 'the sign form shows');
}

test('in person: a registrar records the document (never its number) and the resident can sign', async () => {
  await signedIn(browser, server, people.registrar!, 'en', async (page) => {
    await disableScripts(page);
    await visit(page, `/en/${town.slug}/residence/confirm`);
    await page.fill('#f-email', people.visitor!.email);
    await page.selectOption('#f-documentType', 'id_card');
    await page.fill('#f-documentNumber', '000123456');
    await follow(page, () => page.click('main form button[type=submit]'), { status: 200 });
    assert.match(await text(page, 'main .banner'), /visitor@zhovkva\.example\.org/);
  });
  const row = await server.db.selectFrom('resident_verifications').selectAll().where('municipality_id', '=', town.id).where('user_id', '=', people.visitor!.id).executeTakeFirstOrThrow();
  assert.equal(row.method, 'in_person');
  assert.doesNotMatch(JSON.stringify(row), /000123456/);
  await signedIn(browser, server, people.visitor!, 'en', canSign);
});

test('census: the administrator imports a list, a resident on it confirms themselves from the petition', async () => {
  await signedIn(browser, server, people.admin!, 'en', async (page) => {
    await disableScripts(page);
    await visit(page, `/en/${town.slug}/admin/residents/census`);
    await page.setInputFiles('#f-file', { name: 'census.csv', mimeType: 'text/csv', buffer: Buffer.from('document;address\nКВ 778899;вул. Шевченка, 5\nno address;\n') });
    await follow(page, () => page.click('main form[enctype="multipart/form-data"] button[type=submit]'), { status: 200 });
    assert.match(await text(page, 'main'), /3/, 'the report names the bad row');
  });
  const entries = await server.db.selectFrom('census_entries').select(['kind', 'address']).where('municipality_id', '=', town.id).execute();
  assert.deepEqual(entries, [{ kind: 'document', address: 'вул. Шевченка, 5' }], 'one entry, the number only as a hash');
  await signedIn(browser, server, people.listed!, 'en', async (page) => {
    await disableScripts(page);
    await visit(page, petition);
    await follow(page, () => page.click(`main .sign-box a[href^="/en/${town.slug}/residence/census"]`), { status: 200 });
    await page.fill('#f-document', 'кв778899');
    await page.fill('#f-address', 'вул Шевченка 5');
    const status = await follow(page, () => page.click('main form button[type=submit]'));
    assert.equal(status, 200, await text(page, 'main'));
    assert.equal(new URL(page.url()).pathname, petition, 'back at the petition');
    assert.equal(await page.locator(`main form[action="${petition}/sign"]`).count(), 1);
  });
});

test('letter: a resident asks, a registrar prints the batch, the code from the PDF confirms the resident', async () => {
  await signedIn(browser, server, people.writer!, 'en', async (page) => {
    await disableScripts(page);
    await visit(page, petition);
    await follow(page, () => page.click(`main .sign-box a[href^="/en/${town.slug}/residence/letter"]`), { status: 200 });
    await page.fill('#f-address', 'вул. Львівська, 12\n80300 Жовква');
    await follow(page, () => page.click('main form button[type=submit]'), { status: 200 });
    assert.equal(await text(page, 'main .banner'), en('residence.letter.requested'));
  });
  let code = '';
  await signedIn(browser, server, people.registrar!, 'en', async (page) => {
    await visit(page, `/en/${town.slug}/admin/letters`);
    const form = page.locator(`main form[action="/en/${town.slug}/admin/letters/print"]`);
    const fields = Object.fromEntries(await form.locator('input[type=hidden]').evaluateAll((inputs) =>
      inputs.map((i) => [(i as unknown as { name: string }).name, (i as unknown as { value: string }).value])));
    // The browser would download the PDF; the journey reads it as the registrar's browser receives it.
    const pdf = await page.request.post(`/en/${town.slug}/admin/letters/print`, { form: fields });
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    code = codeOn((await pdfPages(await pdf.body()))[0]!);
  });
  await signedIn(browser, server, people.writer!, 'en', async (page) => {
    await disableScripts(page);
    await visit(page, `/en/${town.slug}/residence/letter`);
    await page.fill('#f-code', code);
    await follow(page, () => page.click(`main form[action^="/en/${town.slug}/residence/letter/code"] button[type=submit]`), { status: 200 });
    await canSign(page);
  });
});

htmlCheckTest();
