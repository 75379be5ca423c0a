/**
 * The petition journey in Chromium: a resident drafts, previews and submits a petition, a moderator
 * publishes it, three residents sign, the threshold is reached, an official answers and the signers are
 * notified. axe-core (WCAG 2.1 A/AA) runs on every page reached, in Ukrainian and in English.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Locale } from '../../src/platform/i18n/i18n.ts';
import { disableScripts, eventually, follow, htmlCheckTest, signedIn, launchBrowser, newContext, seedMunicipality, seedUser, startServer, text, tr, visit, type SeededMunicipality, type SeededUser, type TestServer } from './helpers.ts';

let server: TestServer;
let browser: Browser;
let town: SeededMunicipality;
const people: Record<string, SeededUser> = {};

before(async () => {
  server = await startServer();
  town = await seedMunicipality(server.db);
  await server.db.updateTable('municipalities')
    .set({ enabled_modules: JSON.stringify(['petitions']), settings: JSON.stringify({ petitions: { threshold: 3, periodDays: 30 } }) })
    .where('id', '=', town.id).execute();
  const residents: [string, string][] = [['author', 'Олена Петренко'], ['signer1', 'Іван Франко'], ['signer2', 'Леся Українка'], ['signer3', 'Jane Resident']];
  for (const [key, fullName] of residents) {
    people[key] = await seedUser(server.db, { email: `${key}@zhovkva.example.org`, fullName, locale: key === 'signer3' ? 'en' : 'uk' });
    await server.db.insertInto('resident_verifications').values({ municipality_id: town.id, user_id: people[key]!.id, method: 'official', verified_by: null }).execute();
  }
  people.moderator = await seedUser(server.db, { email: 'moderator@zhovkva.example.org', fullName: 'Марко Модератор', role: { municipalityId: town.id, role: 'moderator' } });
  people.official = await seedUser(server.db, { email: 'official@zhovkva.example.org', fullName: 'Ольга Посадовець', role: { municipalityId: town.id, role: 'official' } });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const as = (who: string, locale: Locale, fn: (page: Page) => Promise<void>) => signedIn(browser, server, people[who]!, locale, fn);

const petitionStatus = async (number: number) =>
  (await server.db.selectFrom('petitions').select('status').where('municipality_id', '=', town.id).where('number', '=', number).executeTakeFirst())?.status;

test('a petition from draft to the council’s response', async () => {
  const uk = tr('uk');
  const base = `/uk/${town.slug}/petitions`;
  let number = 0;

  await as('author', 'uk', async (page) => {
    await visit(page, base);
    await follow(page, () => page.click(`main a[href="${base}/new"]`), { status: 200 });
    await follow(page, () => page.click('main form button[type=submit]'), { status: 400 });
    assert.match(await text(page, '.error-summary'), new RegExp(uk('petitions.web.field.title')));
    await page.fill('#f-title', 'Облаштувати велодоріжку до вокзалу');
    await page.fill('#f-body', 'Просимо раду облаштувати безпечну велодоріжку від центру міста до залізничного вокзалу.');
    await follow(page, () => page.click('main form button[type=submit]'), { status: 200 });
    number = Number(new URL(page.url()).pathname.split('/').pop());
    assert.ok(number > 0);
    assert.equal(await text(page, 'main .banner'), uk('petitions.web.draftSaved'));
    await follow(page, () => page.click(`main a[href="${base}/${number}/submit"]`), { status: 200 });
    await follow(page, () => page.click('main form button[type=submit]'), { status: 200 });
    assert.equal(await petitionStatus(number), 'moderation');
  });

  await as('moderator', 'uk', async (page) => {
    await visit(page, `${base}/staff/moderation`);
    await follow(page, () => page.click(`main a[href="${base}/${number}/moderate"]`), { status: 200 });
    await follow(page, () => page.click(`main form[action="${base}/${number}/moderate/publish"] button`), { status: 200 });
    assert.equal(await text(page, 'main .banner'), uk('petitions.staff.published'));
    assert.equal(await petitionStatus(number), 'open');
  });

  for (const [who, locale] of [['signer1', 'uk'], ['signer2', 'uk'], ['signer3', 'en']] as const) {
    await as(who, locale, async (page) => {
      const path = `/${locale}/${town.slug}/petitions/${number}`;
      await visit(page, path);
      await follow(page, () => page.click(`main form[action="${path}/sign"] button`), { status: 200 });
      assert.equal(new URL(page.url()).pathname, `${path}/receipt`);
      assert.equal(await text(page, 'main .banner'), tr(locale)('petitions.web.signed'));
      await visit(page, `${path}/signatures`);
      assert.match(await text(page, 'main table'), new RegExp(people[who]!.fullName));
    });
  }

  // The worker seals the signatures within seconds; the third one reaches the threshold of 3.
  await eventually('the threshold to be noticed', async () => ((await petitionStatus(number)) === 'awaiting_response' ? true : undefined));

  await as('official', 'uk', async (page) => {
    await visit(page, `${base}/staff`);
    await follow(page, () => page.click(`main a[href="${base}/${number}/respond"]`), { status: 200 });
    await page.selectOption('#f-outcome', 'supported');
    await page.fill('#f-text', 'Рада підтримує петицію: велодоріжку облаштують до кінця наступного року.');
    await follow(page, () => page.click(`main form[action="${base}/${number}/respond"] button`), { status: 200 });
    assert.match(await text(page, '.petition__response'), new RegExp(uk('petitions.outcome.supported')));
    await visit(page, `${base}/staff/stats`);
  });

  await as('signer3', 'en', async (page) => {
    await eventually('the signer to be notified', async () => {
      const n = await server.db.selectFrom('notifications').select('id').where('user_id', '=', people.signer3!.id).where('kind', '=', 'petitions.signedResponse').executeTakeFirst();
      return n ? true : undefined;
    });
    await visit(page, '/en/account/notifications');
    assert.match(await text(page, 'main'), /The council responded/);
    // The receipt, kept as a file, is checked on the ledger page: promise, entry, proof, checkpoint and the log now.
    await visit(page, `/en/${town.slug}/petitions/${number}/receipt`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('main a[href$="/receipt.json"]')]);
    assert.match(download.suggestedFilename(), /^hromada-receipt-.+-petition-\d+\.json$/);
    const file = await download.path();
    await visit(page, `/en/${town.slug}/petitions/${number}/ledger`);
    assert.equal(await text(page, 'main .banner__title'), tr('en')('petitions.data.chainOk'));
    await page.setInputFiles('#f-receipt', file);
    await follow(page, () => page.click('main form[enctype="multipart/form-data"] button'), { status: 200 });
    assert.equal(await text(page, 'main .banner__title'), tr('en')('platform.ledger.receipt.good'));
    assert.match(await text(page, 'main .banner'), new RegExp(tr('en')('platform.ledger.receipt.passed')));
    await visit(page, `/en/${town.slug}/petitions?q=${encodeURIComponent('велодоріжку')}`);
    await visit(page, `/en/${town.slug}/petitions/${number}`);
  });
});

test('a visitor who is not signed in is told what signing needs, without JavaScript', async () => {
  const row = await server.db.insertInto('petitions').values({
    municipality_id: town.id, number: 2, author_id: people.author!.id, title: 'Лавки в центральному парку',
    body: 'Просимо встановити лавки вздовж алей центрального парку.', status: 'open', threshold: 3, supporters_needed: 0,
    published_at: new Date(), closes_at: new Date(Date.now() + 30 * 86_400_000),
  }).returning('id').executeTakeFirstOrThrow();
  await server.db.insertInto('petition_tallies').values({ petition_id: row.id, municipality_id: town.id }).execute();
  const context = await newContext(browser, server);
  try {
    const page = await context.newPage();
    await disableScripts(page);
    await visit(page, `/uk/${town.slug}/petitions/2`);
    // No button that leads to a dead end: the page itself says what signing needs.
    assert.equal(await page.locator('main a[href$="/petitions/2/sign"], main form[action$="/petitions/2/sign"]').count(), 0);
    assert.match(await text(page, 'main .sign-box'), new RegExp(tr('uk')('platform.level.signInLink')));
    await follow(page, () => page.click('main .sign-box a[href*="/account/sign-in"]'), { status: 200 });
    assert.equal(new URL(page.url()).pathname, '/uk/account/sign-in');
  } finally {
    await context.close();
  }
});

htmlCheckTest();
