import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createUser, outboxLink, startTestApp, type TestApp } from '../testing/http.ts';

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

  test('register, then confirm the address from the e-mail link', async () => {
    const c = t.client('en');
    const res = await c.post('/en/account/register', { fullName: 'Olena Hnatiuk', email: 'Olena@Example.org', password: 'correct horse battery' });
    assert.equal(res.statusCode, 303);
    const user = await t.db.selectFrom('users').select(['id', 'email', 'email_verified_at', 'password_hash']).where('email', '=', 'olena@example.org').executeTakeFirstOrThrow();
    assert.equal(user.email_verified_at, null);
    assert.match(user.password_hash!, /^\$argon2id\$/);
    const account = await c.follow(res);
    assert.match(account.body, /Olena Hnatiuk/);
    const link = await mailLink('olena@example.org', /http\S+\/account\/verify\?token=\S+/);
    const verified = await c.get(link);
    assert.equal(verified.statusCode, 303);
    const row = await t.db.selectFrom('users').select('email_verified_at').where('id', '=', user.id).executeTakeFirstOrThrow();
    assert.ok(row.email_verified_at);
    const again = await c.get(link);
    assert.equal(again.statusCode, 400, 'a used link does not work twice');
  });

  test('registering a taken address tells the owner by e-mail and reveals nothing on the page', async () => {
    await createUser(t.db, { email: 'taken@example.org', password: 'long enough pass' });
    const c = t.client('en');
    const res = await c.post('/en/account/register', { fullName: 'Someone', email: 'taken@example.org', password: 'another long pass' });
    assert.equal(res.statusCode, 303);
    await t.built.worker.tick();
    const mails = await t.db.selectFrom('outbox').select('subject').where('to_address', '=', 'taken@example.org').execute();
    assert.equal(mails.length, 1);
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
