/**
 * A newcomer becomes a verified resident through a national identity and signs a petition at once: the
 * petition says what signing needs, the sign-in page offers "Diia (demo)" (the demo's fake id.gov.ua, started
 * as `npm run demo` starts it), the person picks a way to sign in and a demo person there, and comes back to
 * the petition able to sign. axe-core runs on every page, the provider's included.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { openPetition, resident } from '../../src/modules/petitions/testing.ts';
import { startDemoProviders, type RunningDemoProvider } from '../../src/platform/auth/identity/demo.ts';
import '../../src/platform/auth/identity/demo-providers.ts';
import { DEMO_PEOPLE } from '../../src/platform/auth/identity/demo-people.ts';
import { DEMO_ID_GOV_UA } from '../../src/platform/auth/identity/id-gov-ua.demo.ts';
import { FAKE_AUTH_TYPES } from '../../src/platform/auth/identity/id-gov-ua.fake.ts';
import type { Locale } from '../../src/platform/i18n/i18n.ts';
import { follow, htmlCheckTest, launchBrowser, newContext, seedMunicipality, startServer, text, tr, visit, type SeededMunicipality, type TestServer } from './helpers.ts';

let server: TestServer;
let browser: Browser;
let town: SeededMunicipality;
let providers: RunningDemoProvider[] = [];
const ZHOVKVA = DEMO_PEOPLE.find((p) => p.country === 'ua')!.residenceCode;

before(async () => {
  server = await startServer(async (baseUrl) => {
    providers = await startDemoProviders(baseUrl);
    return { IDENTITY_PROVIDERS: JSON.stringify(providers.map((p) => p.provider)) };
  });
  town = await seedMunicipality(server.db);
  await server.db.updateTable('municipalities')
    .set({ official_code: ZHOVKVA, enabled_modules: JSON.stringify(['petitions']), settings: JSON.stringify({ petitions: { supportersNeeded: 0 } }) })
    .where('id', '=', town.id).execute();
  const m = await server.db.selectFrom('municipalities').selectAll().where('id', '=', town.id).executeTakeFirstOrThrow();
  const author = await resident(server.db, 'author@example.org', m, { fullName: 'Олена Петренко' });
  const moderator = await resident(server.db, 'moderator@example.org', m, { role: 'moderator' });
  await openPetition(server.db, m, author.current, moderator.id, 'Облаштувати велодоріжку до вокзалу');
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
  for (const p of providers) await p.stop();
});

// In English through the sign-in page; in Ukrainian straight from the petition's steps, without an account first.
const journeys: [Locale, string, string, 'sign-in' | 'steps'][] = [['en', 'demo-ua-1', 'diia_id', 'sign-in'], ['uk', 'demo-ua-2', 'bank_id', 'steps']];

for (const [locale, subject, authType, via] of journeys) {
  test(`a newcomer signs a petition after signing in with Diia (demo), in ${locale}`, async () => {
    const t = tr(locale);
    const person = DEMO_PEOPLE.find((p) => p.subject === subject)!;
    const petition = `/${locale}/${town.slug}/petitions/1`;
    const context = await newContext(browser, server);
    try {
      const page = await context.newPage();
      await visit(page, petition);
      assert.equal(await text(page, 'main #sign-needs'), t('petitions.web.signNeedsTitle'));
      const demoName = t('auth.identity.demoName', { provider: 'Diia' });
      if (via === 'sign-in') await follow(page, () => page.click('main .sign-box a[href*="/account/sign-in"]'), { status: 200 });
      const button = page.locator(`main a[href^="/${locale}/auth/with/${DEMO_ID_GOV_UA}"]`);
      assert.equal((await button.innerText()).trim(), via === 'sign-in' ? t('auth.identity.with', { provider: demoName }) : t('platform.level.identityWith', { provider: demoName }));
      await follow(page, () => button.click(), { status: 200 });
      assert.equal(await page.locator('html').getAttribute('lang'), 'uk', 'the provider’s own page, in Ukrainian');
      await page.getByLabel(FAKE_AUTH_TYPES[authType]!).check();
      await page.getByLabel(new RegExp(`${person.familyName} ${person.givenName}`)).check();
      await follow(page, () => page.click('button[value="sign-in"]'), { status: 200 });

      assert.equal(new URL(page.url()).pathname, petition, 'back at the petition');
      assert.equal(await text(page, 'main .banner'), t('auth.identity.signedIn', { provider: t('auth.identity.demoName', { provider: 'Diia' }) }));
      await follow(page, () => page.click(`main form[action="${petition}/sign"] button`), { status: 200 });
      assert.equal(new URL(page.url()).pathname, `${petition}/receipt`);
      assert.equal(await text(page, 'main .banner'), t('petitions.web.signed'));

      const user = await server.db.selectFrom('users').select(['id', 'residence_municipality_id', 'identity_provider']).where('full_name', '=', `${person.familyName} ${person.givenName}`).executeTakeFirstOrThrow();
      assert.equal(user.residence_municipality_id, town.id);
      assert.equal(user.identity_provider, DEMO_ID_GOV_UA);
    } finally {
      await context.close();
    }
  });
}

htmlCheckTest();
