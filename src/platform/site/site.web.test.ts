import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import type { Municipality } from '../../db/schema.ts';
import { openPetition, resident, serviceDeps } from '../../modules/petitions/testing.ts';
import { createReport } from '../../modules/reports/report.service.ts';
import { reportCategory, ZHOVKVA } from '../../modules/reports/testing.ts';
import { LOCALES, translator } from '../i18n/i18n.ts';
import { createMunicipality, startTestApp, type TestApp } from '../testing/http.ts';
import { ensureAssociation } from '../tenancy/municipality.repo.ts';
import { icoOf } from './icons.ts';
import { securityTxt } from './crawlers.ts';
import { sitemapIndex, urlset, type SitemapEntry } from './sitemap.ts';

const BASE = 'https://hromada.example.org';
let t: TestApp;
let town: Municipality;

/** Every `<tag attr…>` of the page with the given attribute values. */
function tags(html: string, tag: string, attrs: Record<string, string>): string[] {
  return [...html.matchAll(new RegExp(`<${tag}\\b[^>]*>`, 'g'))].map((m) => m[0])
    .filter((el) => Object.entries(attrs).every(([k, v]) => el.includes(`${k}="${v}"`)));
}
const attr = (el: string | undefined, name: string) => el ? new RegExp(`\\b${name}="([^"]*)"`).exec(el)?.[1] : undefined;

before(async () => {
  t = await startTestApp({ BASE_URL: BASE, SECURITY_CONTACT: 'security@hromada.example.org' });
  await ensureAssociation(t.db, { uk: 'Асоціація відкритих громад', en: 'Association of Open Communities', pl: 'Stowarzyszenie otwartych gmin' });
  town = await createMunicipality(t.db, { slug: 'zhovkva', names: { uk: 'Жовква', en: 'Zhovkva' }, defaultLocale: 'uk', enabledModules: ['petitions', 'reports'], centerLat: ZHOVKVA.lat, centerLng: ZHOVKVA.lng });
  const author = await resident(t.db, 'author@example.org', town);
  const moderator = await resident(t.db, 'moderator@example.org', town, { role: 'moderator' });
  await openPetition(t.db, town, author.current, moderator.id, 'Велодоріжка до вокзалу');
  await reportCategory(t.db, town, 'potholes');
  const filed = await createReport(serviceDeps(t.db), author.current, town, {
    category: 'potholes', title: 'Вибоїна на Львівській', description: 'Глибока вибоїна посеред смуги, біля ринку.', at: ZHOVKVA, address: 'вул. Львівська, 5', showName: false, answers: {},
  });
  assert.equal(filed.kind, 'created');
});

after(() => t?.close());

describe('the head of every page', () => {
  test('the module script has no defer (module scripts are deferred; defer on one is invalid HTML)', async () => {
    const html = (await t.client().get('/uk/')).body;
    const script = tags(html, 'script', { type: 'module' });
    assert.equal(script.length, 1);
    assert.doesNotMatch(script[0]!, /\bdefer\b/);
  });

  test('description, canonical and hreflang alternates for every locale and x-default, keeping the path', async () => {
    const html = (await t.client().get('/en/zhovkva/petitions/1')).body;
    assert.ok(attr(tags(html, 'meta', { name: 'description' })[0], 'content'), 'a meta description');
    assert.equal(attr(tags(html, 'link', { rel: 'canonical' })[0], 'href'), `${BASE}/en/zhovkva/petitions/1`);
    for (const l of LOCALES) assert.equal(attr(tags(html, 'link', { rel: 'alternate', hreflang: l })[0], 'href'), `${BASE}/${l}/zhovkva/petitions/1`);
    assert.equal(attr(tags(html, 'link', { rel: 'alternate', hreflang: 'x-default' })[0], 'href'), `${BASE}/uk/zhovkva/petitions/1`, 'the municipality\'s own language');
    const home = (await t.client().get('/pl/')).body;
    assert.equal(attr(tags(home, 'meta', { name: 'description' })[0], 'content'), translator('pl')('platform.meta.description', { site: 'Stowarzyszenie otwartych gmin' }));
  });

  test('an error page names no canonical address', async () => {
    const res = await t.client().get('/en/zhovkva/petitions/999');
    assert.equal(res.statusCode, 404);
    assert.deepEqual(tags(res.body, 'link', { rel: 'canonical' }), []);
  });

  test('pages with feeds announce them; petitions and reports carry Open Graph tags', async () => {
    const list = (await t.client().get('/uk/zhovkva/petitions')).body;
    const feeds = tags(list, 'link', { rel: 'alternate', type: 'application/atom+xml' });
    assert.deepEqual(feeds.map((f) => attr(f, 'href')), ['/uk/zhovkva/petitions/feed.atom', '/uk/zhovkva/petitions/responses.atom']);
    assert.ok(feeds.every((f) => attr(f, 'title')), 'each feed has a title');
    assert.equal(tags((await t.client().get('/uk/zhovkva/reports')).body, 'link', { type: 'application/atom+xml', href: '/uk/zhovkva/reports/feed.atom' }).length, 1);
    for (const [path, title, description] of [['/en/zhovkva/petitions/1', 'Велодоріжка до вокзалу', 'Просимо раду'], ['/en/zhovkva/reports/1', 'Вибоїна на Львівській', 'Глибока вибоїна']] as const) {
      const html = (await t.client().get(path)).body;
      const og = (p: string) => attr(tags(html, 'meta', { property: p })[0], 'content');
      assert.equal(og('og:title'), title);
      assert.match(og('og:description') ?? '', new RegExp(`^${description}`));
      assert.equal(og('og:url'), `${BASE}${path}`);
      assert.equal(og('og:type'), 'article');
      assert.equal(og('og:locale'), 'en_GB');
      assert.equal(og('og:site_name'), 'Zhovkva');
      assert.equal(tags(html, 'link', { rel: 'alternate', type: 'application/atom+xml', href: `${path}/feed.atom` }).length, 1);
    }
    assert.deepEqual(tags(list, 'meta', { property: 'og:title' }), [], 'the list is not a thing to share');
  });

  test('manifest and icons are linked', async () => {
    const html = (await t.client().get('/sr-Latn/zhovkva/')).body;
    assert.equal(attr(tags(html, 'link', { rel: 'manifest' })[0], 'href'), '/sr-Latn/manifest.webmanifest');
    assert.equal(tags(html, 'link', { rel: 'icon', href: '/favicon.ico' }).length, 1);
    assert.equal(tags(html, 'link', { rel: 'icon', type: 'image/svg+xml' }).length, 1);
    assert.equal(tags(html, 'link', { rel: 'apple-touch-icon', href: '/apple-touch-icon.png' }).length, 1);
  });
});

describe('the page body', () => {
  test('the flash after an action takes focus (tabindex -1, focused by the script) and stays a status for screen readers', async () => {
    const c = t.client();
    await c.signIn('author@example.org', 'petition test password');
    const html = (await c.get('/uk/')).body;
    const banner = tags(html, 'div', { class: 'banner banner--success' })[0];
    assert.ok(banner, 'the sign-in flash');
    assert.equal(attr(banner, 'role'), 'status');
    assert.equal(attr(banner, 'tabindex'), '-1');
    assert.equal(attr(banner, 'data-module'), 'focus');
  });

  test('the language switch is in the header too, a labelled nav keeping the path', async () => {
    const html = (await t.client().get('/en/zhovkva/reports')).body;
    const header = /<header\b[\s\S]*?<\/header>/.exec(html)![0];
    const nav = /<nav\b[^>]*class="locales locales--header"[^>]*>[\s\S]*?<\/nav>/.exec(header)?.[0];
    assert.ok(nav, 'a language nav in the header');
    assert.equal(attr(nav, 'aria-label'), translator('en')('platform.layout.language'));
    assert.deepEqual([...nav.matchAll(/href="([^"]*)"/g)].map((m) => m[1]), LOCALES.filter((l) => l !== 'en').map((l) => `/${l}/zhovkva/reports`));
    assert.match(nav, /aria-current="true"[^>]*>English</);
  });
});

describe('files at well-known addresses', () => {
  test('robots.txt keeps crawlers out of accounts and administration and points to the sitemap', async () => {
    const res = await t.client().get('/robots.txt');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/plain/);
    assert.match(res.body, /^User-agent: \*$/m);
    for (const line of ['Disallow: /*/account', 'Disallow: /*/admin', 'Disallow: /*/staff']) assert.ok(res.body.split('\n').includes(line), line);
    assert.ok(res.body.split('\n').includes(`Sitemap: ${BASE}/sitemap.xml`));
  });

  test('sitemap.xml lists the public pages of every municipality in every locale, with hreflang alternates', async () => {
    const res = await t.client().get('/sitemap.xml');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^application\/xml/);
    const locs = [...res.body.matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => m[1]);
    for (const l of LOCALES) {
      for (const p of ['/', '/zhovkva/', '/zhovkva/petitions', '/zhovkva/petitions/1', '/zhovkva/reports', '/zhovkva/reports/1', '/zhovkva/reports/performance']) {
        assert.ok(locs.includes(`${BASE}/${l}${p}`), `${l}${p}`);
      }
    }
    assert.ok(!locs.some((u) => /account|admin|staff/.test(u!)), 'no private pages');
    const entry = /<url><loc>https:\/\/hromada\.example\.org\/pl\/zhovkva\/petitions\/1<\/loc>[\s\S]*?<\/url>/.exec(res.body)![0];
    assert.match(entry, /<lastmod>\d{4}-\d{2}-\d{2}<\/lastmod>/);
    for (const l of LOCALES) assert.ok(entry.includes(`<xhtml:link rel="alternate" hreflang="${l}" href="${BASE}/${l}/zhovkva/petitions/1"/>`), l);
    assert.ok(entry.includes(`<xhtml:link rel="alternate" hreflang="x-default" href="${BASE}/uk/zhovkva/petitions/1"/>`));
    assert.equal((await t.client().get('/sitemaps/1.xml')).statusCode, 404, 'no pages while one file holds them all');
  });

  test('a large sitemap is paged through an index', () => {
    const entries: SitemapEntry[] = Array.from({ length: 3 }, (_, i) => ({ path: `/x/petitions/${i + 1}`, defaultLocale: 'uk' }));
    assert.equal([...urlset(BASE, entries).matchAll(/<url>/g)].length, 3 * LOCALES.length);
    const index = sitemapIndex(BASE, 2);
    assert.deepEqual([...index.matchAll(/<loc>([^<]*)<\/loc>/g)].map((m) => m[1]), [`${BASE}/sitemaps/1.xml`, `${BASE}/sitemaps/2.xml`]);
    assert.match(index, /<sitemapindex xmlns="http:\/\/www\.sitemaps\.org\/schemas\/sitemap\/0\.9">/);
  });

  test('security.txt (RFC 9116): the configured contact, an expiry under a year, canonical and languages', async () => {
    const res = await t.client().get('/.well-known/security.txt');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /^Contact: mailto:security@hromada\.example\.org$/m);
    assert.match(res.body, new RegExp(`^Canonical: ${BASE}/\\.well-known/security\\.txt$`, 'm'));
    assert.match(res.body, /^Preferred-Languages: uk, sr, pl, en$/m);
    const expires = Date.parse(/^Expires: (\S+)$/m.exec(res.body)![1]!);
    assert.ok(expires > Date.now() && expires < Date.now() + 365 * 86_400_000, 'expires within a year');
    assert.match(securityTxt(BASE, 'https://example.org/report', new Date('2026-01-31T15:00:00Z')), /^Expires: 2026-07-30T00:00:00Z$/m);
  });

  test('without a configured contact, security.txt is not served (it must name a real contact)', async () => {
    const bare = await startTestApp();
    try {
      assert.equal((await bare.client().get('/.well-known/security.txt')).statusCode, 404);
    } finally {
      await bare.close();
    }
  });

  test('the manifest in each locale has the translated name; favicon.ico, apple-touch-icon and app icons are images', async () => {
    for (const [locale, name] of [['uk', 'Асоціація відкритих громад'], ['en', 'Association of Open Communities']] as const) {
      const res = await t.client().get(`/${locale}/manifest.webmanifest`);
      assert.equal(res.statusCode, 200);
      assert.match(String(res.headers['content-type']), /^application\/manifest\+json/);
      const m = JSON.parse(res.body) as { name: string; short_name: string; lang: string; start_url: string; icons: { sizes: string }[] };
      assert.deepEqual([m.name, m.lang, m.start_url], [name, locale, `/${locale}/`]);
      assert.ok(m.short_name.length <= 12);
      assert.deepEqual(m.icons.map((i) => i.sizes), ['any', '192x192', '512x512']);
    }
    assert.equal((await t.client().get('/xx/manifest.webmanifest')).statusCode, 404);
    const ico = (await t.app.inject({ url: '/favicon.ico' })).rawPayload;
    assert.deepEqual([ico.readUInt16LE(0), ico.readUInt16LE(2), ico.readUInt16LE(4)], [0, 1, 3], 'an ICO with three images');
    const first = ico.subarray(ico.readUInt32LE(6 + 12), ico.readUInt32LE(6 + 12) + ico.readUInt32LE(6 + 8));
    assert.deepEqual((await sharp(first).metadata()).width, 16);
    for (const [file, size] of [['apple-touch-icon.png', 180], ['icon-192.png', 192], ['icon-512.png', 512]] as const) {
      const res = await t.app.inject({ url: `/${file}` });
      assert.equal(res.headers['content-type'], 'image/png');
      const meta = await sharp(res.rawPayload).metadata();
      assert.deepEqual([meta.format, meta.width, meta.height], ['png', size, size]);
    }
    assert.equal(icoOf([]).length, 6);
  });
});
