import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { KyselyPlugin } from 'kysely';
import { createUser, outboxLink, startTestApp, type TestApp } from '../testing/http.ts';
import { register } from './auth.service.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
});
after(() => t.close());

const mailLink = (to: string, pattern: RegExp) => outboxLink(t, to, pattern);

describe('registration and e-mail verification', () => {
  test('an empty form is answered with translated field errors and creates nothing', async () => {
    const c = t.client('uk');
    const before = await t.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const res = await c.post('/uk/account/register', { fullName: 'Марія', email: 'not-an-email' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /class="error-summary"/);
    assert.match(res.body, /href="#f-email"/);
    assert.match(res.body, /href="#f-password"/);
    assert.match(res.body, /value="Марія"/, 'typed value is kept');
    assert.doesNotMatch(res.body, /Enter|must be/, 'messages are in Ukrainian');
    const after = await t.db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(after.n, before.n);
  });

  test('register, then confirm the address from the e-mail link, which signs in', async () => {
    const c = t.client('en');
    const res = await c.post('/en/account/register', { fullName: 'Olena Hnatiuk', email: 'Olena@Example.org', password: 'correct horse battery' });
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/en/account/check-email');
    assert.equal(c.cookies.has('hromada_session'), false, 'no session before the address is confirmed');
    const user = await t.db.selectFrom('users').select(['id', 'email', 'email_verified_at', 'password_hash']).where('email', '=', 'olena@example.org').executeTakeFirstOrThrow();
    assert.equal(user.email_verified_at, null);
    assert.match(user.password_hash!, /^\$argon2id\$/);
    const sent = await c.follow(res);
    assert.equal(sent.statusCode, 200);
    assert.match(sent.body, /<h1>Check your email<\/h1>/);
    assert.match(sent.body, /We sent a confirmation link to Olena@Example\.org/);
    const link = await mailLink('olena@example.org', /http\S+\/account\/verify\?token=\S+/);
    const verified = await c.get(link);
    assert.equal(verified.statusCode, 303);
    assert.ok(c.cookies.has('hromada_session'), 'the link signs in');
    const account = await c.follow(verified);
    assert.equal(account.statusCode, 200);
    assert.match(account.body, /Olena Hnatiuk/);
    const row = await t.db.selectFrom('users').select('email_verified_at').where('id', '=', user.id).executeTakeFirstOrThrow();
    assert.ok(row.email_verified_at);
    const again = await t.client('en').get(link);
    assert.equal(again.statusCode, 400, 'a used link does not work twice');
  });

  test('a new address and one already registered get the same answer: status, Location, cookies, flash, page', async () => {
    await createUser(t.db, { email: 'taken@example.org', password: 'long enough pass' });
    const attempt = async (email: string) => {
      const c = t.client('en');
      await c.get('/en/account/register');
      const sessionsBefore = (await t.db.selectFrom('sessions').select('id').execute()).length;
      const res = await c.post('/en/account/register', { fullName: 'Someone', email, password: 'another long pass' });
      const page = await c.follow(res);
      const sessionsAfter = (await t.db.selectFrom('sessions').select('id').execute()).length;
      return {
        status: res.statusCode, location: res.headers.location, setCookie: res.headers['set-cookie'], body: res.body,
        page: page.body.replace(/name="_csrf" value="[^"]+"/, ''), newSessions: sessionsAfter - sessionsBefore,
      };
    };
    // The same address twice: first new, then taken, so even the flash (which names the address) must match.
    const fresh = await attempt('twice@example.org');
    const taken = await attempt('twice@example.org');
    assert.deepEqual(taken, fresh);
    assert.equal(fresh.status, 303);
    assert.equal(fresh.newSessions, 0);
    assert.equal((await attempt('taken@example.org')).location, fresh.location);
    await t.built.worker.tick();
    const mails = await t.db.selectFrom('outbox').select(['to_address', 'subject']).where('to_address', 'in', ['taken@example.org', 'twice@example.org']).execute();
    assert.deepEqual(mails.map((m) => `${m.to_address}: ${m.subject}`).sort(), [
      'taken@example.org: Someone tried to register with your address',
      'twice@example.org: Confirm your email address',
      'twice@example.org: Someone tried to register with your address',
    ]);
  });

  test('both take the same work: one password hash, then the same statements in one transaction', async (ctx) => {
    await createUser(t.db, { email: 'timed@example.org', password: 'long enough pass' });
    const statements = async (email: string) => {
      const seen: string[] = [];
      const spy: KyselyPlugin = {
        transformQuery: ({ node }) => {
          const n = node as { kind: string; into?: { table: { identifier: { name: string } } } };
          seen.push(`${n.kind} ${n.into?.table.identifier.name ?? ''}`.trim());
          return node;
        },
        transformResult: async ({ result }) => result,
      };
      const start = process.hrtime.bigint();
      const result = await register({ ...t.built.deps, db: t.db.withPlugin(spy) }, { fullName: 'Timed', email, password: 'another long pass' }, 'en');
      return { kind: result.kind, seen, ms: Number(process.hrtime.bigint() - start) / 1e6 };
    };
    const fresh = await statements('timed-new@example.org');
    const taken = await statements('timed@example.org');
    assert.deepEqual([fresh.kind, taken.kind], ['registered', 'exists']);
    assert.deepEqual(taken.seen, fresh.seen);
    assert.deepEqual(fresh.seen, ['InsertQueryNode users', 'InsertQueryNode tokens', 'InsertQueryNode jobs']);
    ctx.diagnostic(`register: new ${fresh.ms.toFixed(1)} ms, taken ${taken.ms.toFixed(1)} ms`);
  });
});

describe('sign-in, sign-out and password reset', () => {
  test('wrong password is refused without saying which part was wrong', async () => {
    await createUser(t.db, { email: 'taras@example.org', password: 'right password 1' });
    const c = t.client('en');
    const res = await c.post('/en/account/sign-in', { email: 'taras@example.org', password: 'wrong password' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /The email address or password is not right/);
    assert.equal(c.cookies.has('hromada_session'), false);
  });

  test('sign in, reach the account page, sign out', async () => {
    const c = t.client('en');
    await c.signIn('taras@example.org', 'right password 1');
    assert.equal((await c.get('/en/account')).statusCode, 200);
    const out = await c.post('/en/account/sign-out');
    assert.equal(out.statusCode, 303);
    const page = await c.get('/en/account');
    assert.equal(page.statusCode, 303, 'signed out: redirected to sign-in');
    assert.match(String(page.headers.location), /sign-in\?next=/);
  });

  test('a sign-in redirect never leaves the site', async () => {
    const c = t.client('en');
    await c.get('/en/account/sign-in');
    const res = await c.post('/en/account/sign-in', { email: 'taras@example.org', password: 'right password 1', next: '//evil.example/' });
    assert.equal(res.headers.location, '/en/');
  });

  test('password reset by e-mail link signs out other sessions', async () => {
    const other = t.client('en');
    await other.signIn('taras@example.org', 'right password 1');
    const c = t.client('en');
    const req = await c.post('/en/account/reset', { email: 'taras@example.org' });
    assert.equal(req.statusCode, 303);
    const link = await mailLink('taras@example.org', /http\S+\/account\/reset\/\S+/);
    assert.equal((await c.get(link)).statusCode, 200);
    const short = await c.post(link, { token: link.split('/').pop()!, password: 'short' });
    assert.equal(short.statusCode, 400, 'too short a password is refused');
    const done = await c.post(link, { token: link.split('/').pop()!, password: 'a brand new password' });
    assert.equal(done.statusCode, 303);
    assert.equal((await other.get('/en/account')).statusCode, 303, 'the other session ended');
    const fresh = t.client('en');
    await fresh.signIn('taras@example.org', 'a brand new password');
  });

  test('a reset request for an unknown address looks the same and sends nothing', async () => {
    const c = t.client('en');
    const res = await c.post('/en/account/reset', { email: 'nobody@example.org' });
    assert.equal(res.statusCode, 303);
    await t.built.worker.tick();
    const mails = await t.db.selectFrom('outbox').select('id').where('to_address', '=', 'nobody@example.org').execute();
    assert.equal(mails.length, 0);
  });
});

describe('profile, my data and account deletion', () => {
  test('profile change, data export, deletion keeps the row anonymised', async () => {
    const u = await createUser(t.db, { email: 'vasyl@example.org', password: 'vasyl password 1', fullName: 'Vasyl' });
    const c = t.client('en');
    await c.signIn(u.email, u.password);
    const bad = await c.post('/en/account/profile', { fullName: 'V', locale: 'xx' });
    assert.equal(bad.statusCode, 400);
    assert.equal((await t.db.selectFrom('users').select('full_name').where('id', '=', u.id).executeTakeFirstOrThrow()).full_name, 'Vasyl');
    const ok = await c.post('/en/account/profile', { fullName: 'Vasyl Romaniuk', locale: 'pl' });
    assert.equal(ok.headers.location, '/pl/account');
    const data = await c.get('/en/account/export.json');
    assert.equal(data.statusCode, 200);
    assert.equal(JSON.parse(data.body).user.full_name, 'Vasyl Romaniuk');
    const wrong = await c.post('/en/account/delete', { confirmEmail: 'someone@else.org' });
    assert.equal(wrong.statusCode, 400);
    const del = await c.post('/en/account/delete', { confirmEmail: 'vasyl@example.org' });
    assert.equal(del.statusCode, 303);
    const row = await t.db.selectFrom('users').select(['email', 'full_name', 'deleted_at', 'password_hash']).where('id', '=', u.id).executeTakeFirstOrThrow();
    assert.deepEqual([row.email, row.full_name, row.password_hash], [null, '', null]);
    assert.ok(row.deleted_at);
    assert.equal((await c.get('/en/account')).statusCode, 303, 'signed out');
  });
});

describe('CSRF and locales', () => {
  test('a form post without the CSRF token is refused and changes nothing', async () => {
    const c = t.client('en');
    const res = await c.post('/en/account/register', { fullName: 'No Token', email: 'notoken@example.org', password: 'long enough pass' }, { noCsrf: true });
    assert.equal(res.statusCode, 403);
    assert.equal(await t.db.selectFrom('users').select('id').where('email', '=', 'notoken@example.org').executeTakeFirst(), undefined);
  });

  test('the bare root follows Accept-Language; unknown locales are 404', async () => {
    const c = t.client();
    assert.equal((await c.get('/', { 'accept-language': 'pl-PL,pl;q=0.9,en;q=0.8' })).headers.location, '/pl/');
    assert.equal((await c.get('/', { 'accept-language': 'sr-Latn-RS' })).headers.location, '/sr-Latn/');
    assert.equal((await c.get('/', {})).headers.location, '/uk/');
    assert.equal((await c.get('/xx/account/sign-in')).statusCode, 404);
    const sr = await c.get('/sr-Cyrl/account/sign-in');
    assert.match(sr.body, /<html lang="sr-Cyrl"/);
  });
});
