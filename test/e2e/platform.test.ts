/**
 * Platform journeys in Chromium: registration and e-mail confirmation, signing in and out, the
 * language switcher, municipal staff administration and form errors without JavaScript, with
 * axe-core (WCAG 2.1 A/AA) on every page reached. One server and one browser for the file.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Locale } from '../../src/platform/i18n/i18n.ts';
import {
  disableScripts, eventually, follow, htmlCheckTest, launchBrowser, newContext, seedMunicipality, seedUser, startServer, text, tr, untranslated, visit,
  type SeededMunicipality, type SeededUser, type TestServer,
} from './helpers.ts';

const LOCALES: Locale[] = ['uk', 'en'];

let server: TestServer;
let browser: Browser;
let town: SeededMunicipality;
let admin: SeededUser;

/** The residents who register in journey (a), one per locale, and use their account afterwards. */
const residents: Record<string, { fullName: string; email: string; password: string }> = {
  uk: { fullName: 'Оксана Коваленко', email: 'oksana.uk@example.org', password: 'калина вишня соловейко' },
  en: { fullName: 'Jane Resident', email: 'jane.en@example.org', password: 'apple orchard lantern' },
};
/** The department the administrator creates in journey (d), per locale. */
const departments: Record<string, { slug: string; nameUk: string; nameEn: string; shown: string }> = {
  uk: { slug: 'roads', nameUk: 'Відділ доріг', nameEn: 'Roads department', shown: 'Відділ доріг' },
  en: { slug: 'social', nameUk: 'Відділ соціального захисту', nameEn: 'Social protection department', shown: 'Social protection department' },
};

before(async () => {
  server = await startServer();
  town = await seedMunicipality(server.db);
  admin = await seedUser(server.db, { email: 'admin@zhovkva.example.org', fullName: 'Марія Адмін', role: { municipalityId: town.id, role: 'admin' } });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Runs `fn` with a page in a fresh browser profile, closing it afterwards. */
async function withPage(fn: (page: Page, context: BrowserContext) => Promise<void>): Promise<void> {
  const context = await newContext(browser, server);
  try {
    await fn(await context.newPage(), context);
  } finally {
    await context.close();
  }
}

const pathOf = (page: Page) => new URL(page.url()).pathname;

async function flash(page: Page): Promise<string> {
  return text(page, 'main .banner');
}

/** Signs in through the header link and the sign-in form; ends on the page the form leads to. */
async function signIn(page: Page, locale: Locale, user: { email: string; password: string; fullName: string }): Promise<void> {
  const t = tr(locale);
  await visit(page, `/${locale}/`);
  await follow(page, () => page.click(`header .account a[href="/${locale}/account/sign-in"]`), { status: 200 });
  await page.fill('#f-email', user.email);
  await page.fill('#f-password', user.password);
  await follow(page, () => page.click('main form button[type=submit]'), { status: 200 });
  assert.equal(pathOf(page), `/${locale}/`);
  assert.equal(await flash(page), t('auth.signIn.done'));
  assert.equal(await text(page, `header .account a[href="/${locale}/account"]`), user.fullName);
}

async function userCount(): Promise<number> {
  const row = await server.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

for (const locale of LOCALES) {
  describe(`resident account journeys (${locale})`, () => {
    const t = tr(locale);
    const r = residents[locale]!;
    let context: BrowserContext;
    let page: Page;

    before(async () => {
      context = await newContext(browser, server);
      page = await context.newPage();
    });
    after(async () => {
      await context?.close();
    });

    test('a. registers, is asked to check the mail, and the link in it confirms the address and signs in', async () => {
      await visit(page, `/${locale}/`);
      await follow(page, () => page.click(`header .account a[href="/${locale}/account/register"]`), { status: 200 });
      assert.equal(await text(page, 'main h1'), t('auth.register.title'));
      await page.fill('#f-fullName', r.fullName);
      await page.fill('#f-email', r.email);
      await page.fill('#f-password', r.password);
      await follow(page, () => page.click('main form button[type=submit]'), { status: 200 });

      // The same page whether or not the address already had an account, and no session yet.
      assert.equal(pathOf(page), `/${locale}/account/check-email`);
      assert.equal(await text(page, 'main h1'), t('auth.checkMail.title'));
      assert.equal(await flash(page), t('auth.register.checkMail', { email: r.email }));
      assert.equal(await page.locator(`header .account a[href="/${locale}/account"]`).count(), 0, 'not signed in before confirming');

      // The development outbox is not the resident's mailbox: it is for platform administrators only.
      await visit(page, `/${locale}/dev/outbox`);
      assert.equal(pathOf(page), `/${locale}/account/sign-in`);

      // The worker delivers the queued mail; the resident opens it in their own mailbox.
      const mail = await eventually(`the confirmation mail to ${r.email}`, () =>
        server.db.selectFrom('outbox').select('text_body').where('to_address', '=', r.email).executeTakeFirst());
      const link = new RegExp(`${server.baseUrl}/${locale}/account/verify\\?token=[\\w-]+`).exec(mail.text_body)?.[0];
      assert.ok(link, `a confirmation link in: ${mail.text_body}`);
      await visit(page, link);

      assert.equal(pathOf(page), `/${locale}/account`);
      assert.equal(await flash(page), t('auth.verify.done'));
      assert.equal(await text(page, 'main .summary .tag'), t('account.level.email'));
      assert.equal(await text(page, `header .account a[href="/${locale}/account"]`), r.fullName, 'signed in by the link');
    });

    test('b. signs out, fails with a wrong password, then signs in', async () => {
      await follow(page, () => page.click('header .account form button[type=submit]'), { status: 200 });
      assert.equal(pathOf(page), `/${locale}/`);
      assert.equal(await flash(page), t('auth.signOut.done'));
      assert.equal(await page.locator(`header .account a[href="/${locale}/account"]`).count(), 0, 'no account link once signed out');

      await follow(page, () => page.click(`header .account a[href="/${locale}/account/sign-in"]`), { status: 200 });
      await page.fill('#f-email', r.email);
      await page.fill('#f-password', 'not the right password');
      await follow(page, () => page.click('main form button[type=submit]'), { status: 400 });

      const summary = page.locator('main .error-summary');
      assert.ok(await summary.isVisible(), 'the error summary is visible');
      await page.waitForFunction("document.activeElement !== null && document.activeElement.classList.contains('error-summary')", null, { timeout: 5_000 })
        .catch(() => assert.fail('the error summary has the focus after the failed sign-in'));
      assert.equal(await text(page, 'main .error-summary h2'), t('platform.form.errorSummary', { count: 1 }));
      const links = summary.locator('li a');
      assert.equal(await links.count(), 1);
      assert.equal(await links.getAttribute('href'), '#f-email');
      assert.equal(await text(page, 'main .error-summary li a'), t('auth.signIn.invalid'));
      assert.ok(await page.locator('#f-email-error').isVisible(), 'the field error is shown next to the e-mail field');
      assert.ok((await text(page, '#f-email-error')).endsWith(t('auth.signIn.invalid')));
      assert.equal(await page.getAttribute('#f-email', 'aria-invalid'), 'true');
      assert.match(await page.getAttribute('#f-email', 'aria-describedby') ?? '', /\bf-email-error\b/);
      assert.equal(await page.inputValue('#f-email'), r.email, 'the e-mail address is kept');
      assert.equal(await page.inputValue('#f-password'), '', 'the password is never sent back');

      await page.fill('#f-password', r.password);
      await follow(page, () => page.click('main form button[type=submit]'), { status: 200 });
      assert.equal(pathOf(page), `/${locale}/`);
      assert.equal(await flash(page), t('auth.signIn.done'));
      assert.equal(await text(page, `header .account a[href="/${locale}/account"]`), r.fullName);
    });

    test('d. the municipal admin makes the resident an official of a new department', async () => {
      const dept = departments[locale]!;
      await withPage(async (adminPage) => {
        await signIn(adminPage, locale, admin);
        await follow(adminPage, () => adminPage.click(`header .account a[href="/${locale}/admin"]`), { status: 200 });
        await follow(adminPage, () => adminPage.click(`main a[href="/${locale}/${town.slug}/admin"]`), { status: 200 });
        const base = `/${locale}/${town.slug}/admin`;
        await follow(adminPage, () => adminPage.click(`main nav.subnav a[href="${base}/departments"]`), { status: 200 });
        assert.equal(await text(adminPage, 'main h1'), t('admin.departments'));

        await adminPage.fill('#f-nameUk', dept.nameUk);
        await adminPage.fill('#f-nameEn', dept.nameEn);
        await adminPage.fill('#f-slug', dept.slug);
        await follow(adminPage, () => adminPage.click('main form button[type=submit]'), { status: 200 });
        assert.equal(pathOf(adminPage), `${base}/departments`);
        assert.equal(await flash(adminPage), t('admin.departmentAdded'));
        assert.equal(await adminPage.locator('main table tbody tr', { hasText: dept.shown }).count(), 1, 'the department is listed');

        await follow(adminPage, () => adminPage.click(`main nav.subnav a[href="${base}/staff"]`), { status: 200 });
        await adminPage.fill('#f-email', r.email);
        await adminPage.selectOption('#f-role', 'official');
        await adminPage.selectOption('#f-departmentId', { label: dept.shown });
        await follow(adminPage, () => adminPage.click('main form:has(#f-email) button[type=submit]'), { status: 200 });
        assert.equal(pathOf(adminPage), `${base}/staff`);
        assert.equal(await flash(adminPage), t('admin.staffAdded'));
        const row = adminPage.locator('main table tbody tr', { hasText: r.email });
        assert.equal(await row.count(), 1, 'the new official is listed');
        const cells = (await row.locator('td').allInnerTexts()).map((s) => s.trim());
        assert.deepEqual(cells.slice(0, 4), [r.fullName, r.email, t('role.official'), dept.shown]);
      });

      // The resident signs in again and now has the Administration link.
      await withPage(async (residentPage) => {
        await signIn(residentPage, locale, r);
        const adminLink = residentPage.locator(`header .account a[href="/${locale}/admin"]`);
        assert.equal(await adminLink.count(), 1, 'the Administration link is shown to the new official');
        assert.equal((await adminLink.innerText()).trim(), t('platform.layout.admin'));
        await follow(residentPage, () => adminLink.click(), { status: 200 });
        assert.equal(await residentPage.locator(`main a[href^="/${locale}/${town.slug}/admin"]`).count(), 1, 'the municipality is listed');
      });
    });

    test('e. an empty or wrong registration form, posted without JavaScript, explains every field', async () => {
      await withPage(async (p) => {
        await disableScripts(p);
        const before = await userCount();
        await visit(p, `/${locale}/account/register`);
        await follow(p, () => p.click('main form button[type=submit]'), { status: 400 });

        const fields = ['fullName', 'email', 'password'];
        assert.equal(await text(p, 'main .error-summary h2'), t('platform.form.errorSummary', { count: fields.length }));
        const hrefs = await p.locator('main .error-summary li a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
        assert.deepEqual(hrefs, fields.map((f) => `#f-${f}`), 'one link per field, in the order of the form');
        for (const f of fields) {
          assert.equal(await p.locator(`#f-${f}`).count(), 1, `#f-${f} exists for the summary link`);
          assert.ok(await p.locator(`#f-${f}-error`).isVisible(), `the ${f} field shows its error`);
          assert.equal(await p.getAttribute(`#f-${f}`, 'aria-invalid'), 'true');
        }
        assert.equal(await p.locator('#f-fullName-error').innerText().then((s) => s.toLowerCase().includes(t('platform.validation.required', { field: t('field.fullName') }).toLowerCase())), true);

        // What was typed stays (except the password); only the wrong fields are flagged.
        const name = locale === 'uk' ? 'Ірина Петренко' : 'Irene Peterson';
        await p.fill('#f-fullName', name);
        await p.fill('#f-email', 'not-an-email');
        await p.fill('#f-password', 'short');
        await follow(p, () => p.click('main form button[type=submit]'), { status: 400 });
        const hrefs2 = await p.locator('main .error-summary li a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
        assert.deepEqual(hrefs2, ['#f-email', '#f-password']);
        assert.equal(await p.inputValue('#f-fullName'), name);
        assert.equal(await p.inputValue('#f-email'), 'not-an-email');
        assert.equal(await p.inputValue('#f-password'), '');
        assert.equal(await p.locator('#f-fullName-error').count(), 0);

        assert.equal(await userCount(), before, 'no account was created');
        const made = await server.db.selectFrom('users').select('id').where('full_name', '=', name).executeTakeFirst();
        assert.equal(made, undefined);
      });
    });
  });
}

test('c. the footer switcher changes the language of the municipality home: uk → sr-Latn → en', async () => {
  await withPage(async (page) => {
    await visit(page, `/uk/${town.slug}/`);
    for (const [i, locale] of (['uk', 'sr-Latn', 'en'] as Locale[]).entries()) {
      if (i > 0) {
        await follow(page, () => page.click(`footer nav.locales a[hreflang="${locale}"]`), { status: 200 });
      }
      const t = tr(locale);
      assert.equal(pathOf(page), `/${locale}/${town.slug}/`);
      assert.equal(await page.getAttribute('html', 'lang'), locale);
      assert.equal(await page.getAttribute('footer nav.locales [aria-current="true"]', 'lang'), locale);
      assert.equal(await text(page, 'main h1'), town.names[locale]);
      // The page's own strings come from this locale's catalog, not from the English fallback.
      const keys = ['municipality.services', 'municipality.about', 'municipality.noServices', 'platform.layout.signIn', 'platform.layout.footer', 'platform.layout.skip'];
      assert.equal(await text(page, 'main h2'), t('municipality.services'));
      assert.equal(await text(page, 'footer > p'), t('platform.layout.footer'));
      assert.equal(await text(page, `header .account a[href="/${locale}/account/sign-in"]`), t('platform.layout.signIn'));
      if (locale !== 'en') {
        const missing = untranslated(locale, keys);
        assert.deepEqual(missing, [], `the page claims lang="${locale}" but shows English text: these messages are missing from the ${locale} catalog: ${missing.join(', ')}`);
      }
    }
  });
});

test('c2. the header switcher is a labelled nav at the top of every page and keeps the path: uk → pl → sr-Cyrl', async () => {
  await withPage(async (page) => {
    await visit(page, `/uk/${town.slug}/`);
    for (const locale of ['pl', 'sr-Cyrl'] as Locale[]) {
      const from = await page.getAttribute('html', 'lang');
      assert.equal(await page.getAttribute('header nav.locales', 'aria-label'), tr(from as Locale)('platform.layout.language'));
      await follow(page, () => page.click(`header nav.locales a[hreflang="${locale}"]`), { status: 200 });
      assert.equal(pathOf(page), `/${locale}/${town.slug}/`);
      assert.equal(await page.getAttribute('header nav.locales [aria-current="true"]', 'lang'), locale);
    }
  });
});

test('c3. the flash after an action takes focus, so it is read out (and it is there without scripts too)', async () => {
  for (const scripts of [true, false]) {
    await withPage(async (page) => {
      if (!scripts) await disableScripts(page);
      await visit(page, '/en/account/sign-in');
      await page.fill('#f-email', admin.email);
      await page.fill('#f-password', admin.password);
      await follow(page, () => page.click('main form button[type=submit]'), { status: 200 });
      assert.equal(await flash(page), tr('en')('auth.signIn.done'));
      assert.equal(await page.getAttribute('main .banner', 'role'), 'status');
      const focused = await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { className: string } | null } }).document.activeElement?.className ?? '');
      if (scripts) assert.match(focused, /\bbanner\b/, 'the banner has focus');
      else assert.doesNotMatch(focused, /\bbanner\b/, 'without scripts nothing moves focus, and the banner is still first in main');
    });
  }
});

describe('every platform page passes the page checks (axe WCAG 2.2 A/AA at 1280 and 320 px)', () => {
  let context: BrowserContext;
  let signedIn: Page;
  let anonymous: Page;

  before(async () => {
    context = await newContext(browser, server);
    signedIn = await context.newPage();
    await signIn(signedIn, 'uk', admin);
    anonymous = await (await newContext(browser, server)).newPage();
  });
  after(async () => {
    await anonymous?.context().close();
    await context?.close();
  });

  for (const locale of LOCALES) {
    const m = () => `/${locale}/${town.slug}`;
    const publicPages: [string, () => string, number?][] = [
      ['association home', () => `/${locale}/`],
      ['municipality home', () => `${m()}/`],
      ['sign-in', () => `/${locale}/account/sign-in`],
      ['register', () => `/${locale}/account/register`],
      ['password reset', () => `/${locale}/account/reset`],
      ['404 page', () => `/${locale}/no-such-page`, 404],
      ['404 page of a municipality', () => `${m()}/no-such-page`, 404],
    ];
    const privatePages: [string, () => string][] = [
      ['account', () => `/${locale}/account`],
      ['notifications', () => `/${locale}/account/notifications`],
      ['notification settings', () => `/${locale}/account/notifications/settings`],
      ['administration home', () => `/${locale}/admin`],
      ['municipality settings', () => `${m()}/admin`],
      ['departments', () => `${m()}/admin/departments`],
      ['staff', () => `${m()}/admin/staff`],
      ['residents', () => `${m()}/admin/residents`],
    ];
    for (const [name, url, status] of publicPages) {
      test(`${locale}: ${name}`, async () => visit(anonymous, url(), { status: status ?? 200 }));
    }
    for (const [name, url] of privatePages) {
      test(`${locale}: ${name} (signed in as the municipal admin)`, async () => visit(signedIn, url()));
    }
  }
});

htmlCheckTest();
