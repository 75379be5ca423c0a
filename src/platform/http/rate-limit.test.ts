import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createUser, csrfTokenFrom, encodeForm, startTestApp, type TestApp } from '../testing/http.ts';
import { postgresRateLimitStore } from './rate-limit-store.ts';

const PASSWORD = 'correct horse battery';
// Sign-in, registration and reset requests have attempt limits of their own (platform/auth/attempts.ts); the
// plugin's per-address windows guard the other sensitive posts, such as setting a password from a reset link.
const ROUTE = '/:locale/account/reset/:token';
const KEY = `${ROUTE}|127.0.0.1`;
const url = (locale: string) => `/${locale}/account/reset/not-a-live-token-at-all`;

/** Posts of the password-from-a-reset-link form from one address, with a session of its own (cookies and CSRF token). */
async function visitor(t: TestApp, remoteAddress: string, locale = 'uk') {
  const page = await t.app.inject({ method: 'GET', url: `/${locale}/account/sign-in`, remoteAddress });
  assert.equal(page.statusCode, 200);
  const token = csrfTokenFrom(page.body);
  assert.ok(token);
  const cookie = (page.cookies as { name: string; value: string }[]).map((c) => `${c.name}=${encodeURIComponent(c.value)}`).join('; ');
  return (fields: Record<string, string>, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST', url: url(locale), remoteAddress,
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers },
      payload: encodeForm({ _csrf: token, ...fields }),
    });
}

describe('rate limits (RATE_LIMITS=true)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ RATE_LIMITS: 'true' });
    await createUser(t.db, { email: 'olena@example.org', password: PASSWORD });
  });
  after(() => t?.close());

  test('the 11th post from one address within the window is refused with a translated page', async () => {
    const post = await visitor(t, '127.0.0.1');
    for (let i = 1; i <= 10; i++) {
      const res = await post({ token: 'not-a-live-token-at-all', password: `new password ${i}` });
      assert.equal(res.statusCode, 303, `attempt ${i} is answered normally (the link has expired)`);
      assert.equal(res.headers['x-ratelimit-limit'], '10');
      assert.equal(res.headers['x-ratelimit-remaining'], String(10 - i));
    }

    const refused = await post({ token: 'not-a-live-token-at-all', password: 'new password 11' });
    assert.equal(refused.statusCode, 429);
    assert.match(String(refused.headers['content-type']), /^text\/html/);
    assert.match(refused.body, /<h1>Забагато спроб<\/h1>/);
    assert.match(refused.body, /Зачекайте кілька хвилин/);
    assert.match(refused.body, /<html[^>]*lang="uk"/);
    assert.doesNotMatch(refused.body, /Too many|at Object\.|node_modules/, 'translated, and no stack trace');
    assert.match(String(refused.headers['content-security-policy']), /default-src 'self'/, 'the error page has the same security headers');
    const retryAfter = Number(refused.headers['retry-after']);
    assert.ok(retryAfter > 0 && retryAfter <= 600, `Retry-After within the 10-minute window, got ${refused.headers['retry-after']}`);
  });

  test('a client asking for JSON gets the API error shape', async () => {
    const post = await visitor(t, '127.0.0.1');
    const res = await post({ token: 'not-a-live-token-at-all', password: 'x' }, { accept: 'application/json' });
    assert.equal(res.statusCode, 429);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    const body = res.json() as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'rate_limited');
    assert.equal(body.error.message, 'Забагато спроб');
  });

  test('the count is per route, not per locale: switching the language does not reset it', async () => {
    const post = await visitor(t, '127.0.0.1', 'en');
    const res = await post({ token: 'not-a-live-token-at-all', password: 'x' });
    assert.equal(res.statusCode, 429);
    assert.match(res.body, /<h1>Too many attempts<\/h1>/, 'the page is in the language of the path');
  });

  test('a forged X-Forwarded-For does not escape the limit (no trusted proxy)', async () => {
    const post = await visitor(t, '127.0.0.1');
    const res = await post({ token: 'not-a-live-token-at-all', password: 'x' }, { 'x-forwarded-for': '203.0.113.9' });
    assert.equal(res.statusCode, 429);
  });

  test('another address is counted on its own', async () => {
    const post = await visitor(t, '198.51.100.7');
    const res = await post({ token: 'not-a-live-token-at-all', password: PASSWORD });
    assert.equal(res.statusCode, 303, 'answered from the other address');
    assert.equal(res.headers['x-ratelimit-remaining'], '9');
  });

  test('the counter lives in the rate_limits table', async () => {
    const rows = await t.db.selectFrom('rate_limits').select(['key', 'count', 'reset_at']).orderBy('key').execute();
    const mine = rows.find((r) => r.key === KEY);
    assert.ok(mine, `a row for ${KEY} among ${rows.map((r) => r.key).join(', ')}`);
    assert.ok(mine.count >= 13, `every attempt counted, got ${mine.count}`);
    assert.ok(mine.reset_at.getTime() > Date.now(), 'the window is still open');
    assert.ok(rows.some((r) => r.key === `${ROUTE}|198.51.100.7` && r.count === 1));
    assert.ok(!rows.some((r) => r.key.includes('203.0.113.9')));

    // Another process sharing the database sees the same count: closing the window there reopens it here.
    await t.db.updateTable('rate_limits').set({ reset_at: new Date(Date.now() - 1000) }).where('key', '=', KEY).execute();
    const post = await visitor(t, '127.0.0.1');
    const res = await post({ token: 'not-a-live-token-at-all', password: 'new password again' });
    assert.equal(res.statusCode, 303);
    const row = await t.db.selectFrom('rate_limits').select('count').where('key', '=', KEY).executeTakeFirstOrThrow();
    assert.equal(row.count, 1, 'a new window starts from one');
  });

  test('hits arriving at the same moment share one upsert and still get consecutive counts', async () => {
    const Store = postgresRateLimitStore(t.db);
    const store = new Store({ routeInfo: { url: '/burst' } });
    const incr = (key: string) => new Promise<{ current: number }>((resolve, reject) => store.incr(key, (e, r) => (e ? reject(e) : resolve(r!)), 60_000));
    const got = await Promise.all([incr('a'), incr('a'), incr('b'), incr('a')]);
    assert.deepEqual(got.map((r) => r.current), [1, 2, 1, 3]);
    assert.equal((await incr('a')).current, 4);
    const rows = await t.db.selectFrom('rate_limits').select(['key', 'count']).where('key', 'like', '/burst|%').orderBy('key').execute();
    assert.deepEqual(rows.map((r) => [r.key, r.count]), [['/burst|a', 4], ['/burst|b', 1]]);
  });
});

describe('rate limits switched off (RATE_LIMITS=false, the test default)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t?.close());

  test('neither refuses nor counts', async () => {
    // Nor do the attempt limits of signing in: twelve failures for one account are all answered.
    await createUser(t.db, { email: 'olena@example.org', password: PASSWORD });
    const client = t.client('en');
    for (let i = 1; i <= 12; i++) {
      assert.equal((await client.post('/en/account/sign-in', { email: 'olena@example.org', password: `wrong ${i}` })).statusCode, 400, `sign-in ${i}`);
    }
    const post = await visitor(t, '127.0.0.1');
    for (let i = 1; i <= 12; i++) {
      const res = await post({ token: 'not-a-live-token-at-all', password: `new password ${i}` });
      assert.equal(res.statusCode, 303, `attempt ${i}`);
    }
    assert.deepEqual(await t.db.selectFrom('rate_limits').select('key').execute(), []);
  });
});
