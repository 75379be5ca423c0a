import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { createUser, startTestApp, type TestApp, type TestClient } from '../testing/http.ts';

const PASSWORD = 'correct horse battery';
let t: TestApp;
before(async () => {
  t = await startTestApp();
  await createUser(t.db, { email: 'anna@example.org', password: PASSWORD, fullName: 'Anna' });
  await createUser(t.db, { email: 'bohdan@example.org', password: PASSWORD, fullName: 'Bohdan' });
});
after(() => t.close());

const clearsCsrf = (res: LightMyRequestResponse) =>
  (res.cookies as { name: string; value: string }[]).some((c) => c.name === '_csrf' && c.value === '');

/** A client signed in, showing its account page (so it holds a CSRF secret and token of its session). */
async function signedIn(email: string): Promise<TestClient> {
  const c = t.client('en');
  await c.signIn(email, PASSWORD);
  assert.equal((await c.get('/en/account')).statusCode, 200);
  return c;
}

const profile = (c: TestClient, fields: Record<string, string> = {}) =>
  c.post('/en/account/profile', { fullName: 'Changed Name', locale: 'en', ...fields });

describe('CSRF tokens are bound to the session and rotated', () => {
  test('signing in forgets the CSRF secret, and a token from before signing in is refused after it', async () => {
    const c = t.client('en');
    await c.get('/en/account/sign-in');
    const [anonSecret, anonToken] = [c.cookies.get('_csrf')!, c.csrfToken!];
    const res = await c.post('/en/account/sign-in', { email: 'anna@example.org', password: PASSWORD });
    assert.equal(res.statusCode, 303);
    assert.ok(clearsCsrf(res), 'the sign-in answer clears the old secret');
    // Even with the old secret put back (a cookie planted by someone else), the anonymous token is no good now.
    c.cookies.set('_csrf', anonSecret);
    const refused = await profile(c, { _csrf: anonToken });
    assert.equal(refused.statusCode, 403);
    const name = await t.db.selectFrom('users').select('full_name').where('email', '=', 'anna@example.org').executeTakeFirstOrThrow();
    assert.equal(name.full_name, 'Anna', 'nothing changed');
    // A page shown after signing in gives a token that works.
    await c.get('/en/account');
    assert.equal((await profile(c, { fullName: 'Anna K' })).statusCode, 303);
  });

  test("one session's secret and token are refused with another session's cookie", async () => {
    const anna = await signedIn('anna@example.org');
    const bohdan = await signedIn('bohdan@example.org');
    bohdan.cookies.set('_csrf', anna.cookies.get('_csrf')!);
    const res = await profile(bohdan, { _csrf: anna.csrfToken! });
    assert.equal(res.statusCode, 403);
    const name = await t.db.selectFrom('users').select('full_name').where('email', '=', 'bohdan@example.org').executeTakeFirstOrThrow();
    assert.equal(name.full_name, 'Bohdan');
  });

  test('signing out rotates too; anonymous forms work with the new token', async () => {
    const c = await signedIn('anna@example.org');
    const [secret, token] = [c.cookies.get('_csrf')!, c.csrfToken!];
    const out = await c.post('/en/account/sign-out');
    assert.equal(out.statusCode, 303);
    assert.ok(clearsCsrf(out));
    c.cookies.set('_csrf', secret);
    const stale = await c.post('/en/account/sign-in', { _csrf: token, email: 'anna@example.org', password: PASSWORD });
    assert.equal(stale.statusCode, 403, "the signed-out session's token is not an anonymous one");
    c.cookies.delete('_csrf');
    c.csrfToken = null;
    await c.signIn('anna@example.org', PASSWORD);
  });
});

describe('the destination after signing in', () => {
  const hostile = ['/\t/evil.example', '/\\evil.example', '\\/evil.example', '/\n/evil.example', ' //evil.example', '/\r\n/evil.example/',
    '//evil.example/', 'https://evil.example/', 'javascript:alert(1)', '/\t\\evil.example', 'https:evil.example'];

  for (const next of hostile) {
    test(`${JSON.stringify(next)} is not followed off the site`, async () => {
      const c = t.client('en');
      // Control characters in a query or a one-line field are refused outright (400, naming the field).
      const refused = /[\u0000-\u001f]/.test(next);
      const page = await c.get(`/en/account/sign-in?next=${encodeURIComponent(next)}`);
      assert.equal(page.statusCode, refused ? 400 : 200);
      assert.doesNotMatch(page.body, /evil\.example/, 'not put into the form either');
      const res = await c.post('/en/account/sign-in', { email: 'bohdan@example.org', password: PASSWORD, next });
      assert.equal(res.statusCode, refused ? 400 : 303);
      assert.equal(res.headers.location, refused ? undefined : '/en/');
    });
  }

  test('a path of the site is kept, normalised as a browser would, and a newline never gives a 500', async () => {
    const c = t.client('en');
    const ok = await c.post('/en/account/sign-in', { email: 'bohdan@example.org', password: PASSWORD, next: '/en/account?tab=1#top' });
    assert.equal(ok.headers.location, '/en/account?tab=1#top');
    const nl = t.client('en');
    const page = await nl.get('/en/account/sign-in?next=%2Fen%2Fac%0Acount');
    assert.equal(page.statusCode, 400, 'a newline in a query parameter is refused, naming the field');
    const res = await nl.post('/en/account/sign-in', { email: 'bohdan@example.org', password: PASSWORD, next: '/en/ac\ncount\r\nSet-Cookie: x=1' });
    assert.equal(res.statusCode, 400, 'and in the one-line field');
    assert.equal(res.headers.location, undefined);
    assert.equal(String(res.headers['set-cookie'] ?? '').includes('x=1'), false);
  });
});

describe('cookies on https', () => {
  test('the flash cookie is Secure like the session and CSRF cookies when BASE_URL is https', async () => {
    const https = await startTestApp({ BASE_URL: 'https://hromada.example.org' });
    try {
      await createUser(https.db, { email: 'anna@example.org', password: PASSWORD });
      const c = https.client('en');
      const res = await c.signIn('anna@example.org', PASSWORD);
      const raw = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
      for (const name of ['hromada_flash', 'hromada_session']) {
        const line = raw.find((l) => l.startsWith(`${name}=`));
        assert.ok(line, `${name} is set`);
        assert.match(line, /;\s*Secure/i, `${name}: ${line}`);
      }
    } finally {
      await https.close();
    }
  });
});
