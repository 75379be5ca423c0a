/**
 * Signing in through a national SAML node in Chromium: a visitor opens a petition of Kłodzko, signs in with
 * the local "login.gov.pl" identity provider (a demo person with a PESEL and a residence in Kłodzko), comes
 * back a verified resident and signs the petition at once. axe-core runs on every page reached (the
 * provider's own page too).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { Municipality } from '../../src/db/schema.ts';
import { demoPeopleOf } from '../../src/platform/auth/identity/demo-people.ts';
import { idpPeople, localProviderEntry, spKeys } from '../../src/platform/auth/identity/saml.demo.ts';
import { startLocalIdp, type LocalIdp } from '../../src/platform/auth/identity/saml.idp.ts';
import { openPetition, resident } from '../../src/modules/petitions/testing.ts';
import { checkA11y, follow, htmlCheckTest, launchBrowser, newContext, seedMunicipality, startServer, text, tr, visit, type TestServer } from './helpers.ts';

const PROVIDER = 'login-gov-pl';
const [AGNIESZKA] = demoPeopleOf('pl');

let server: TestServer;
let browser: Browser;
let idp: LocalIdp;
let town: Municipality;
let petitionNumber = 0;

before(async () => {
  const keys = spKeys('journey');
  idp = await startLocalIdp({ label: 'login.gov.pl', locale: 'pl', people: idpPeople(demoPeopleOf('pl')), sp: { entityId: '', acsUrl: '', signingCert: keys.signing.cert, encryptionCert: keys.encryption.cert } });
  server = await startServer((baseUrl) => {
    idp.sp.entityId = `${baseUrl}/auth/saml/${PROVIDER}/metadata.xml`;
    idp.sp.acsUrl = `${baseUrl}/auth/saml/${PROVIDER}/acs`;
    return {
      IDENTIFIER_KEY: 'a-journey-identifier-key-of-at-least-32-characters',
      IDENTITY_PROVIDERS: JSON.stringify([{ ...localProviderEntry(PROVIDER, 'login.gov.pl', 'login.gov.pl', idp, keys, 'redirect'), demo: true }]),
    };
  });
  const seeded = await seedMunicipality(server.db, 'klodzko');
  town = await server.db.updateTable('municipalities').set({
    official_code: AGNIESZKA!.residenceCode, enabled_modules: JSON.stringify(['petitions']), settings: JSON.stringify({ petitions: { threshold: 3, periodDays: 30 } }),
  }).where('id', '=', seeded.id).returningAll().executeTakeFirstOrThrow();
  const author = await resident(server.db, 'author@klodzko.example', town);
  const moderator = await resident(server.db, 'moderator@klodzko.example', town, { role: 'moderator' });
  petitionNumber = (await openPetition(server.db, town, author.current, moderator.id, 'Więcej ławek w parku')).number;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
  await idp?.stop();
});

test('a visitor signs in with login.gov.pl (demo) and signs a petition at once', async () => {
  const en = tr('en');
  const context = await newContext(browser, server, { locale: 'en-GB' });
  try {
    const page = await context.newPage();
    const petition = `/en/${town.slug}/petitions/${petitionNumber}`;
    await visit(page, petition);
    await follow(page, () => page.click('main .sign-box a[href*="/account/sign-in"]'), { status: 200 });
    const button = page.locator(`main a[href^="/en/auth/with/${PROVIDER}"]`);
    assert.equal((await button.innerText()).trim(), en('auth.identity.with', { provider: en('auth.identity.demoName', { provider: 'login.gov.pl' }) }));
    // The provider's page: its people, a button each.
    await follow(page, () => button.click(), { status: 200 });
    assert.equal(new URL(page.url()).origin, idp.url);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    const person = page.getByRole('button', { name: en('auth.saml.demo.as', { name: idpPeople([AGNIESZKA!])[0]!.label }) });
    // Its answer page posts the signed assertion to Hromada's ACS by itself; the visitor is back at the petition.
    await Promise.all([page.waitForURL((u) => u.origin === server.baseUrl && u.pathname === petition), person.click()]);
    await page.waitForLoadState('load');
    await checkA11y(page);
    assert.equal(await text(page, 'main .banner'), en('auth.identity.signedIn', { provider: en('auth.identity.demoName', { provider: 'login.gov.pl' }) }));
    const user = await server.db.selectFrom('users').selectAll().where('identity_provider', '=', PROVIDER).executeTakeFirstOrThrow();
    assert.equal(user.residence_municipality_id, town.id, 'a verified resident of Kłodzko');
    assert.ok(user.national_id_hash && !user.national_id_hash.includes(AGNIESZKA!.nationalId));

    await visit(page, petition);
    await follow(page, () => page.click(`main form[action="${petition}/sign"] button`), { status: 200 });
    const signed = await server.db.selectFrom('petition_signatures').select('user_id').where('municipality_id', '=', town.id).execute();
    assert.deepEqual(signed.map((s) => s.user_id), [user.id]);
  } finally {
    await context.close();
  }
});

htmlCheckTest();
