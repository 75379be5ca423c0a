/**
 * Becoming a confirmed resident without a national identity, in Chromium without scripts: a resident meets the
 * ways on a petition's "what you need" box, sends a residence request, a registrar approves it from the queue,
 * and the resident comes back to the petition and signs it. axe-core runs on every page reached.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { findMunicipalityBySlug } from '../../src/platform/tenancy/municipality.repo.ts';
import { openPetition } from '../../src/modules/petitions/testing.ts';
import { resident } from '../../src/platform/testing/people.ts';
import { disableScripts, follow, htmlCheckTest, launchBrowser, seedMunicipality, seedUser, signedIn, startServer, text, tr, visit, type SeededMunicipality, type SeededUser, type TestServer } from './helpers.ts';

let server: TestServer;
let browser: Browser;
let town: SeededMunicipality;
const people: Record<string, SeededUser> = {};
let petitionPath = '';

before(async () => {
  server = await startServer();
  town = await seedMunicipality(server.db);
  await server.db.updateTable('municipalities')
    .set({ enabled_modules: JSON.stringify(['petitions']), contact_address: 'вул. Львівська, 2, ЦНАП' }).where('id', '=', town.id).execute();
  const m = (await findMunicipalityBySlug(server.db, town.slug))!;
  people.moderator = await seedUser(server.db, { email: 'moderator@zhovkva.example.org', fullName: 'Марко Модератор', role: { municipalityId: town.id, role: 'moderator' } });
  people.registrar = await seedUser(server.db, { email: 'registrar@zhovkva.example.org', fullName: 'Галина Реєстратор', role: { municipalityId: town.id, role: 'registrar' } });
  people.newcomer = await seedUser(server.db, { email: 'newcomer@zhovkva.example.org', fullName: 'Newcomer Resident', locale: 'en' });
  const author = await resident(server.db, 'author@zhovkva.example.org', m);
  const p = await openPetition(server.db, m, author.current, people.moderator.id, 'Лавки в парку');
  petitionPath = `/en/${town.slug}/petitions/${p.number}`;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('a resident asks to be confirmed, a registrar approves, the resident returns and signs', async () => {
  const en = tr('en');
  const requestPath = `/en/${town.slug}/residence/request`;

  await signedIn(browser, server, people.newcomer!, 'en', async (page) => {
    await disableScripts(page);
    await visit(page, petitionPath);
    const needs = await text(page, 'main .sign-box');
    assert.match(needs, /bring your passport or ID card to the service centre of Zhovkva/);
    assert.match(needs, /вул\. Львівська, 2, ЦНАП/);
    assert.match(needs, /a registrar of Zhovkva decides within 5 working days/);
    assert.equal(await page.locator(`main form[action="${petitionPath}/sign"]`).count(), 0);
    await follow(page, () => page.click(`main .sign-box a[href^="${requestPath}"]`), { status: 200 });
    await follow(page, () => page.click('main form button[type=submit]'), { status: 400 });
    assert.match(await text(page, '.error-summary'), new RegExp(en('residence.field.address'), 'i'));
    await page.fill('#f-address', 'Lvivska Street 12, flat 3, Zhovkva');
    await follow(page, () => page.click('main form[enctype="multipart/form-data"] button[type=submit]'), { status: 200 });
    assert.equal(await text(page, 'main .banner'), en('residence.request.done'));
    assert.match(await text(page, 'main'), /Your request is with the registrars/);
  });

  await signedIn(browser, server, people.registrar!, 'en', async (page) => {
    await visit(page, `/en/${town.slug}/residence/requests`);
    assert.match(await text(page, 'main table'), /Lvivska Street 12/);
    await follow(page, () => page.click('main table a'), { status: 200 });
    await follow(page, () => page.click('main form[action$="/approve"] button'), { status: 200 });
    assert.equal(await text(page, 'main .banner'), en('residence.queue.approved'));
  });

  await signedIn(browser, server, people.newcomer!, 'en', async (page) => {
    await disableScripts(page);
    // The notification (and its e-mail) leads back to the petition; so does the request's page.
    await visit(page, '/en/account/notifications');
    assert.match(await text(page, 'main'), new RegExp(en('notify.residence.confirmed.title')));
    await visit(page, requestPath);
    assert.match(await text(page, 'main'), /You are a confirmed resident of Zhovkva/);
    await follow(page, () => page.click(`main a[href="${petitionPath}"]`), { status: 200 });
    await follow(page, () => page.click(`main form[action="${petitionPath}/sign"] button`), { status: 200 });
    const signed = await server.db.selectFrom('petition_signatures').select('user_id').where('user_id', '=', people.newcomer!.id).execute();
    assert.equal(signed.length, 1);
  });
});

test('every way and the registrar\'s pages pass axe and the HTML check in all five locales, at 1280 and 320 px', async () => {
  await server.db.updateTable('municipalities').set({ resident_ways: JSON.stringify(['identity', 'in_person', 'request', 'letter', 'census']) }).where('id', '=', town.id).execute();
  for (const locale of ['uk', 'sr-Cyrl', 'sr-Latn', 'pl', 'en'] as const) {
    const base = `/${locale}/${town.slug}`;
    const newcomer = await seedUser(server.db, { email: `newcomer-${locale}@zhovkva.example.org`, fullName: 'Ірина Нова', locale });
    await signedIn(browser, server, newcomer, locale, async (page) => {
      await visit(page, petitionPath.replace('/en/', `/${locale}/`));
      const ways = await page.locator('main .sign-box ul.ways > li').count();
      assert.equal(ways, 4, `${locale}: in person, request, letter and census (identity needs a provider)`);
      for (const path of ['residence/request', 'residence/letter', 'residence/census']) await visit(page, `${base}/${path}`);
    });
    await signedIn(browser, server, people.registrar!, locale, async (page) => {
      for (const path of ['residence/requests', 'residence/confirm', 'admin/letters']) await visit(page, `${base}/${path}`);
    });
  }
});

htmlCheckTest();
