import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { petitionTown, resident } from '../../modules/petitions/testing.ts';
import { TEST_PASSWORD } from '../testing/people.ts';
import { startTestApp, type TestApp } from '../testing/http.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp({ PAGE_CACHE_MS: '1000' });
  const town = await petitionTown(t.db, 'zhovkva');
  await resident(t.db, 'olena@example.org', town, { fullName: 'Олена Приватна' });
});
after(() => t.close());

const anonymous = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });
const fromCache = (res: { headers: Record<string, unknown> }) => res.headers.age !== undefined;

describe('the shared cache of anonymous pages', () => {
  test('a second anonymous visitor gets the first one\'s page from the cache, compressed, with honest headers', async () => {
    const first = await anonymous('/uk/zhovkva/petitions', { 'accept-encoding': 'br' });
    assert.equal(first.statusCode, 200);
    assert.ok(!fromCache(first));
    const second = await anonymous('/uk/zhovkva/petitions', { 'accept-encoding': 'br' });
    assert.ok(fromCache(second), 'served from the cache (Age header)');
    assert.equal(second.headers['content-encoding'], 'br');
    assert.equal(second.headers['cache-control'], 'public, max-age=1');
    assert.equal(second.headers.vary, 'accept-encoding, cookie');
    assert.equal(second.headers['set-cookie'], undefined);
    assert.ok(second.headers['content-security-policy'], 'security headers are sent with cached pages too');
    assert.deepEqual(zlib.brotliDecompressSync(second.rawPayload), zlib.brotliDecompressSync(first.rawPayload));
    const gzip = await anonymous('/uk/zhovkva/petitions', { 'accept-encoding': 'gzip' });
    assert.ok(fromCache(gzip));
    assert.equal(gzip.headers['content-encoding'], 'gzip');
    assert.match(zlib.gunzipSync(gzip.rawPayload).toString('utf8'), /^<!doctype html>/);
    const plain = await anonymous('/uk/zhovkva/petitions', { cookie: '_csrf=someone-elses-secret' });
    assert.ok(fromCache(plain), 'the CSRF secret cookie alone does not make a visitor someone');
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.match(plain.body, /^<!doctype html>/);
  });

  test('signed-in users never get a cached page, and what they see never reaches the cache', async () => {
    const olena = t.client('uk');
    await olena.signIn('olena@example.org', TEST_PASSWORD);
    await anonymous('/uk/zhovkva/');
    assert.ok(fromCache(await anonymous('/uk/zhovkva/')));
    const mine = await olena.get('/uk/zhovkva/');
    assert.equal(mine.statusCode, 200);
    assert.ok(!fromCache(mine), 'her page is rendered for her');
    assert.match(mine.body, /Олена Приватна/);
    assert.equal(mine.headers['cache-control'], 'private, no-store');
    // Her visit to a page nobody has cached yet does not fill the cache for the next anonymous visitor.
    const hers = await olena.get('/uk/zhovkva/petitions?page=1');
    assert.match(hers.body, /Олена Приватна/);
    const next = await anonymous('/uk/zhovkva/petitions?page=1');
    assert.ok(!fromCache(next));
    assert.doesNotMatch(next.body, /Олена Приватна|sign-out/);
    // Nor does a session cookie that no longer signs anyone in fetch the anonymous copy.
    assert.ok(!fromCache(await anonymous('/uk/zhovkva/', { cookie: 'hromada_session=expired-or-forged' })));
  });

  test('a page with a form (its CSRF token and cookie) is never stored', async () => {
    const first = await anonymous('/uk/account/sign-in');
    assert.ok(first.headers['set-cookie'], 'the first visit sets the CSRF secret');
    assert.equal(first.headers['cache-control'], 'private, no-store');
    const second = await anonymous('/uk/account/sign-in');
    assert.ok(!fromCache(second));
    assert.notEqual(/name="_csrf" value="([^"]+)"/.exec(second.body)?.[1], /name="_csrf" value="([^"]+)"/.exec(first.body)?.[1]);
    // Even for a visitor who already has the CSRF cookie, so no Set-Cookie would give the page away.
    const cookie = `_csrf=${encodeURIComponent((first.cookies as { name: string; value: string }[]).find((c) => c.name === '_csrf')!.value)}`;
    await anonymous('/uk/account/register', { cookie });
    const stranger = await anonymous('/uk/account/register');
    assert.ok(!fromCache(stranger));
  });

  test('a flash message is shown once, to its visitor only, and never cached', async () => {
    const olena = t.client('uk');
    await olena.signIn('olena@example.org', TEST_PASSWORD);
    const out = await olena.post('/uk/account/sign-out');
    assert.equal(out.statusCode, 303);
    assert.ok(olena.cookies.has('hromada_flash'), 'signing out leaves a flash message');
    const withFlash = await olena.follow(out);
    assert.ok(!fromCache(withFlash));
    assert.match(withFlash.body, /class="banner/);
    assert.equal(withFlash.headers['cache-control'], 'private, no-store');
    const stranger = await anonymous(String(out.headers.location));
    assert.doesNotMatch(stranger.body, /class="banner/);
  });

  test('answers other than 200 and routes outside /:locale are not cached unless they opt in', async () => {
    await anonymous('/uk/nowhere-town/');
    assert.ok(!fromCache(await anonymous('/uk/nowhere-town/')));
    await anonymous('/api/v1/municipalities');
    assert.ok(!fromCache(await anonymous('/api/v1/municipalities')));
  });
});
