import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { cleanupJob } from '../jobs/cleanup.ts';
import { createUser, csrfTokenFrom, encodeForm, outboxLink, startTestApp, type TestApp } from '../testing/http.ts';

const PASSWORD = 'correct horse battery';

/** Form posts from one network address, with cookies and a CSRF token of their own (one visitor). */
async function from(t: TestApp, remoteAddress: string, page = '/en/account/sign-in') {
  const shown = await t.app.inject({ method: 'GET', url: page, remoteAddress });
  const token = csrfTokenFrom(shown.body);
  assert.ok(token);
  const cookie = (shown.cookies as { name: string; value: string }[]).map((c) => `${c.name}=${encodeURIComponent(c.value)}`).join('; ');
  return (url: string, fields: Record<string, string>) => t.app.inject({
    method: 'POST', url, remoteAddress,
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: encodeForm({ _csrf: token, ...fields }),
  });
}

async function signIn(t: TestApp, ip: string, email: string, password: string) {
  return (await from(t, ip))('/en/account/sign-in', { email, password });
}

/** Ends the key's lock now, as if its time had passed (the level stays). */
const expireLock = (t: TestApp, like: string) =>
  t.db.updateTable('rate_limits').set({ blocked_until: new Date(Date.now() - 1000) }).where('key', 'like', like).execute();

const rows = (t: TestApp, like: string) =>
  t.db.selectFrom('rate_limits').select(['key', 'count', sql<number>`extract(epoch FROM reset_at - now())`.as('drains_in')]).where('key', 'like', like).execute();

describe('attempt limits (RATE_LIMITS=true)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ RATE_LIMITS: 'true' });
    for (const name of ['anna', 'bohdan', 'chrystia', 'dmytro', 'eva', 'fedir']) {
      await createUser(t.db, { email: `${name}@example.org`, password: PASSWORD });
    }
  });
  after(() => t?.close());

  test('successes never count: twelve sign-ins in a row from one address all get through', async () => {
    for (let i = 1; i <= 12; i++) {
      const res = await signIn(t, '192.0.2.10', 'anna@example.org', PASSWORD);
      assert.equal(res.statusCode, 303, `sign-in ${i}`);
    }
    const [ip] = await rows(t, 'sign-in:ip:192.0.2.10');
    assert.ok(!ip || ip.drains_in < 5, `the network address holds no charge for successes (${JSON.stringify(ip)})`);
  });

  test('five failures lock the account (not the network), even for the right password, with Retry-After', async () => {
    for (let i = 1; i <= 5; i++) {
      const res = await signIn(t, '192.0.2.20', 'bohdan@example.org', `wrong ${i}`);
      assert.equal(res.statusCode, 400, `failure ${i} is answered normally`);
    }
    const locked = await signIn(t, '192.0.2.20', 'bohdan@example.org', PASSWORD);
    assert.equal(locked.statusCode, 429);
    assert.match(locked.body, /Too many failed attempts\. Try again in 1 minute, or reset your password\./);
    assert.match(locked.body, /class="error-summary"/, 'the form again, with the reason');
    const wait = Number(locked.headers['retry-after']);
    assert.ok(wait > 0 && wait <= 60, `Retry-After ${locked.headers['retry-after']}`);
    assert.equal((await signIn(t, '198.51.100.9', 'bohdan@example.org', PASSWORD)).statusCode, 429, 'from any address');
    assert.equal((await signIn(t, '192.0.2.20', 'chrystia@example.org', PASSWORD)).statusCode, 303, 'another account behind the same address signs in');
    const uk = await (await from(t, '192.0.2.20', '/uk/account/sign-in'))('/uk/account/sign-in', { email: 'bohdan@example.org', password: PASSWORD });
    assert.match(uk.body, /Забагато невдалих спроб\. Спробуйте знову через 1 хвилину або відновіть пароль\./);
  });

  test('the lock doubles with each further failure, and a success forgets the account\'s failures', async () => {
    await expireLock(t, 'sign-in:account:%');
    const second = await signIn(t, '192.0.2.20', 'bohdan@example.org', 'wrong 6');
    assert.equal(second.statusCode, 400, 'one attempt once the lock is over');
    const refused = await signIn(t, '192.0.2.20', 'bohdan@example.org', PASSWORD);
    assert.equal(refused.statusCode, 429);
    const wait = Number(refused.headers['retry-after']);
    assert.ok(wait > 60 && wait <= 120, `the second lock is two minutes, got ${wait} s`);
    await expireLock(t, 'sign-in:account:%');
    assert.equal((await signIn(t, '192.0.2.20', 'bohdan@example.org', PASSWORD)).statusCode, 303);
    for (let i = 1; i <= 4; i++) assert.equal((await signIn(t, '192.0.2.20', 'bohdan@example.org', `again ${i}`)).statusCode, 400, `free again: ${i}`);
  });

  test('an unknown address is limited exactly like a known one', async () => {
    const answers = [];
    for (let i = 1; i <= 6; i++) answers.push((await signIn(t, '192.0.2.30', 'nobody@example.org', `wrong ${i}`)).statusCode);
    assert.deepEqual(answers, [400, 400, 400, 400, 400, 429]);
  });

  test('parallel guesses cannot outrun the lock', async () => {
    const posts = await Promise.all(Array.from({ length: 12 }, (_, i) => from(t, `203.0.113.${i + 1}`)));
    const answers = await Promise.all(posts.map((post, i) => post('/en/account/sign-in', { email: 'dmytro@example.org', password: `guess ${i}` })));
    const codes = answers.map((r) => r.statusCode).sort();
    assert.equal(codes.filter((c) => c === 400).length, 5, `five checked, the rest refused: ${codes.join(',')}`);
    assert.equal(codes.filter((c) => c === 429).length, 7);
  });

  test('a network address is locked only after 200 failures; its other accounts are then refused too', async () => {
    // 199 failures remembered from 192.0.2.40 (as if many people behind it had mistyped in the last hour).
    await sql`INSERT INTO rate_limits (key, count, reset_at) VALUES ('sign-in:ip:192.0.2.40', 199, now() + interval '18 seconds' * 199)`.execute(t.db);
    assert.equal((await signIn(t, '192.0.2.40', 'eva@example.org', PASSWORD)).statusCode, 303, 'a success is not counted');
    assert.equal((await signIn(t, '192.0.2.40', 'eva@example.org', 'wrong')).statusCode, 400, 'the 200th failure');
    const refused = await signIn(t, '192.0.2.40', 'fedir@example.org', PASSWORD);
    assert.equal(refused.statusCode, 429);
    assert.equal((await signIn(t, '192.0.2.41', 'fedir@example.org', PASSWORD)).statusCode, 303, 'another address is not');
    const [account] = await rows(t, 'sign-in:account:%');
    assert.ok(!JSON.stringify(await rows(t, '%')).includes('@'), 'no e-mail address in the counters');
    assert.ok(account);
  });

  test('registration and reset requests: three to one address, then locked, whether or not it has an account', async () => {
    const post = await from(t, '192.0.2.50', '/en/account/register');
    for (const email of ['anna@example.org', 'newcomer@example.org']) {
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push((await post('/en/account/register', { fullName: 'Someone', email, password: PASSWORD })).statusCode);
      assert.deepEqual(answers, [303, 303, 303, 429], email);
      const reset = [];
      for (let i = 0; i < 4; i++) reset.push((await post('/en/account/reset', { email })).statusCode);
      assert.deepEqual(reset, [303, 303, 303, 429], email);
    }
    const refused = await post('/en/account/reset', { email: 'anna@example.org' });
    assert.match(refused.body, /Too many requests\. Try again in 10 minutes\./);
  });

  test('a password reset ends the lock someone else caused by guessing', async () => {
    for (let i = 1; i <= 6; i++) await signIn(t, '192.0.2.60', 'chrystia@example.org', `wrong ${i}`);
    assert.equal((await signIn(t, '192.0.2.60', 'chrystia@example.org', PASSWORD)).statusCode, 429);
    const asked = await (await from(t, '192.0.2.61', '/en/account/reset'))('/en/account/reset', { email: 'chrystia@example.org' });
    assert.equal(asked.statusCode, 303);
    for (let i = 0; i < 5; i++) await t.built.worker.tick(); // the mails queued by the tests before
    const link = await outboxLink(t, 'chrystia@example.org', /http\S+\/account\/reset\/\S+/);
    const done = await (await from(t, '192.0.2.61', link))(link, { token: link.split('/').pop()!, password: 'a brand new password' });
    assert.equal(done.statusCode, 303);
    assert.equal((await signIn(t, '192.0.2.60', 'chrystia@example.org', 'a brand new password')).statusCode, 303);
  });

  test('the cleanup job keeps a lock that outlasts its drained count', async () => {
    await sql`INSERT INTO rate_limits (key, count, reset_at, blocked_until) VALUES
      ('register:account:locked', 9, now() - interval '1 minute', now() + interval '5 hours'),
      ('register:account:over', 3, now() - interval '1 minute', now() - interval '1 second')`.execute(t.db);
    await cleanupJob({}, t.built.deps);
    const left = (await rows(t, 'register:account:%')).map((r) => r.key);
    assert.ok(left.includes('register:account:locked'));
    assert.ok(!left.includes('register:account:over'));
  });
});
