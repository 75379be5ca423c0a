import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { ConfigError } from '../../../config.ts';
import type { Municipality } from '../../../db/schema.ts';
import { translator } from '../../i18n/i18n.ts';
import { createMunicipality, createUser, TEST_PASSWORD, type TestApp, type TestClient, startTestApp } from '../../testing/http.ts';
import { DEMO_PEOPLE } from './demo-people.ts';
import { startFakeIdGovUa, type FakeIdGovUa } from './id-gov-ua.fake.ts';
import { idGovUaRedirectUri } from './id-gov-ua.ts';
import { ageOn } from '../age.ts';
import { localDate } from '../../time/working-days.ts';

const BASE_URL = 'http://hromada.test';
const ZHOVKVA = 'UA46060170000071962';
const SECRET = 'the-client-secret-of-the-test';
const [OKSANA, TARAS, SOFIIA] = DEMO_PEOPLE.filter((p) => p.country === 'ua') as [typeof DEMO_PEOPLE[0], typeof DEMO_PEOPLE[0], typeof DEMO_PEOPLE[0]];
const ua = translator('uk');
const en = translator('en');

/** The flash message a redirect carries (the flash cookie holds it as JSON). */
const flashOf = (c: TestClient) => {
  const raw = c.cookies.get('hromada_flash');
  return raw ? (JSON.parse(raw.slice(0, raw.lastIndexOf('.')) || raw) as { message: string }).message : null;
};

describe(`id.gov.ua sign-in against the local fake (${process.env.TEST_DB ?? 'pglite'})`, () => {
  let t: TestApp;
  let fake: FakeIdGovUa;
  let zhovkva: Municipality;
  const provider = (id: string, extra: Record<string, unknown> = {}) => ({
    id, name: 'id.gov.ua', type: 'id-gov-ua', baseUrl: fake.url, clientId: 'hromada', clientSecret: SECRET, residenceField: 'katottg',
    fields: ['givenname', 'lastname', 'email', 'address', 'drfocode', 'katottg'], ...extra,
  });

  before(async () => {
    fake = await startFakeIdGovUa({
      clients: [{ id: 'hromada', secret: SECRET, redirectUris: ['id-gov-ua', 'wrong-secret', 'sealed', 'with-birth'].map((p) => idGovUaRedirectUri(BASE_URL, p)) }],
    });
    // The test's decrypter opens the fake's base64 "envelope": it stands in for the operator's EUSign command.
    const decryptCommand = [process.execPath, '-e', 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(Buffer.from(s,"base64")))'];
    t = await startTestApp({
      BASE_URL, IDENTIFIER_KEY: 'a-test-identifier-key-of-32-characters-or-more',
      IDENTITY_PROVIDERS: JSON.stringify([
        provider('id-gov-ua'),
        provider('wrong-secret', { clientSecret: 'not-the-secret' }),
        provider('sealed', { cert: 'MIIB-the-client-certificate', decryptCommand }),
        provider('with-birth', { fields: ['givenname', 'lastname', 'email', 'address', 'drfocode', 'katottg', 'unzr'] }),
      ]),
    });
    zhovkva = await createMunicipality(t.db, { slug: 'zhovkva', officialCode: ZHOVKVA, names: { uk: 'Жовква', en: 'Zhovkva' } });
  });
  after(async () => {
    await t?.close();
    await fake?.close();
  });

  /** Starts at Hromada and goes through the fake's page; returns the callback path the browser is sent to. */
  async function atProvider(c: TestClient, opts: { provider?: string; person?: string; authType?: string; action?: string; next?: string } = {}) {
    const start = await c.get(`/en/auth/with/${opts.provider ?? 'id-gov-ua'}${opts.next ? `?next=${encodeURIComponent(opts.next)}` : ''}`);
    assert.equal(start.statusCode, 303);
    const authorize = new URL(start.headers.location as string);
    assert.equal(authorize.origin + authorize.pathname, `${fake.url}/`);
    assert.equal(authorize.searchParams.get('auth_type'), 'dig_sign,bank_id,diia_id');
    const page = await fetch(authorize);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<html lang="uk">[\s\S]*<label><input type="radio" name="auth_type" value="diia_id"/);
    const form = new URLSearchParams({
      client_id: authorize.searchParams.get('client_id')!, redirect_uri: authorize.searchParams.get('redirect_uri')!, state: authorize.searchParams.get('state')!,
      auth_type: opts.authType ?? 'diia_id', person: opts.person ?? OKSANA.subject, action: opts.action ?? 'sign-in',
    });
    const back = await fetch(fake.url, { method: 'POST', body: form, redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(back.status, 303);
    const callback = new URL(back.headers.get('location')!);
    assert.equal(callback.origin, BASE_URL);
    return callback.pathname + callback.search;
  }

  const users = () => t.db.selectFrom('users').selectAll().orderBy('id').execute();
  const refusals = async () => (await t.db.selectFrom('audit_log').select(['action', 'after']).where('action', '=', 'auth.identity.refused').orderBy('id').execute())
    .map((r) => (typeof r.after === 'string' ? JSON.parse(r.after) : r.after) as Record<string, unknown>);

  /** A callback that must be refused: 303 to the sign-in page (or the account), the message, nothing linked, audited. */
  async function refused(c: TestClient, path: string, reason: string, to = '/en/account/sign-in') {
    const before = await users();
    const audited = (await refusals()).length;
    const res = await c.get(path);
    assert.equal(res.statusCode, 303, `expected a refusal, got ${res.statusCode}: ${res.body.slice(0, 200)}`);
    assert.equal(res.headers.location, to);
    assert.equal(flashOf(c), (to.startsWith('/uk') ? ua : en)(`auth.identity.${reason}`, { provider: 'id.gov.ua' }));
    assert.deepEqual(await users(), before, 'nothing linked or created');
    const log = await refusals();
    assert.equal(log.length, audited + 1);
    assert.equal(log.at(-1)!.reason, reason);
    return log.at(-1)!;
  }

  test('a resident of Zhovkva signs in with Diia and is a verified resident; BankID names the same account', async () => {
    const c = t.client('en');
    const done = await c.get(await atProvider(c, { next: '/en/zhovkva' }));
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, '/en/zhovkva');
    assert.equal(flashOf(c), en('auth.identity.signedIn', { provider: 'id.gov.ua' }));
    const [user, ...others] = await users();
    assert.equal(others.length, 0);
    assert.equal(user!.full_name, 'Коваленко Оксана', 'Ukrainian order: surname, given name');
    assert.equal(user!.email, OKSANA.email);
    assert.equal(user!.email_verified_at, null, 'an address nobody checked stays unverified');
    assert.ok(user!.identity_verified_at);
    assert.equal(user!.identity_provider, 'id-gov-ua');
    assert.equal(user!.residence_municipality_id, zhovkva.id);
    const account = await c.get('/en/account');
    assert.equal(account.statusCode, 200);
    assert.match(account.body, /Коваленко Оксана/);

    // The tax number is kept only as a keyed hash: not in the users row, the subject or anywhere in the audit log.
    const key = 'a-test-identifier-key-of-32-characters-or-more';
    const hash = crypto.createHmac('sha256', key).update(`rnokpp\n${OKSANA.nationalId}`).digest('base64url');
    assert.equal(user!.national_id_hash, hash);
    assert.equal(user!.identity_subject, `rnokpp:${hash}`);
    assert.doesNotMatch(JSON.stringify(user), new RegExp(OKSANA.nationalId));
    const audit = await t.db.selectFrom('audit_log').selectAll().execute();
    assert.doesNotMatch(JSON.stringify(audit), new RegExp(OKSANA.nationalId));

    const other = t.client('en');
    await other.get(await atProvider(other, { authType: 'bank_id' }));
    assert.equal((await users()).length, 1, 'another way to sign in, the same person, the same account');
  });

  test('the birth date: a `birthday` where the answer has one (a year alone is none), else the date the UNZR begins with', async () => {
    const sofiia = async () => t.db.selectFrom('users').select(['birth_date', 'birth_date_source']).where('email', '=', SOFIIA.email).executeTakeFirst();
    const signIn = async (tamper: ((info: Record<string, unknown>) => unknown) | null) => {
      fake.tamper(tamper);
      try {
        const c = t.client('en');
        assert.equal((await c.get(await atProvider(c, { provider: 'with-birth', person: SOFIIA.subject }))).statusCode, 303);
        return c;
      } finally {
        fake.tamper(null);
      }
    };
    await signIn((i) => ({ ...i, unzr: undefined, birthday: '2009' }));
    assert.deepEqual(await sofiia(), { birth_date: null, birth_date_source: null });
    await signIn((i) => ({ ...i, unzr: undefined, birthday: '15.06.2009' }));
    assert.deepEqual(await sofiia(), { birth_date: '2009-06-15', birth_date_source: 'identity' }, 'as Ukrainian documents write it');
    const c = await signIn(null);
    assert.deepEqual(await sofiia(), { birth_date: SOFIIA.birthDate, birth_date_source: 'identity' }, 'from the UNZR');
    assert.equal(ageOn(SOFIIA.birthDate, localDate(new Date(), 'Europe/Kyiv')), 16, 'the demo’s teenager is 16');

    // The provider's word: shown, not changed by the person.
    const page = await c.get('/en/account/birth-date');
    assert.match(page.body, /confirmed by id\.gov\.ua/);
    assert.doesNotMatch(page.body, /name="birthDate"/);
    const changed = await c.post('/en/account/birth-date', { birthDate: '2000-01-01' });
    assert.equal(changed.statusCode, 409);
    assert.deepEqual(await sofiia(), { birth_date: SOFIIA.birthDate, birth_date_source: 'identity' });
  });

  test('the provider says the person cancelled; another error; an unknown provider', async () => {
    const c = t.client('en');
    await refused(c, await atProvider(c, { action: 'cancel' }), 'cancelled');
    await c.get('/en/auth/with/id-gov-ua');
    const flow = c.cookies.get('hromada_idflow');
    assert.ok(flow);
    await refused(c, '/auth/id-gov-ua/id-gov-ua/callback?error=server_error&state=x', 'failed');
    assert.equal((await c.get('/auth/id-gov-ua/nobody/callback?code=x')).statusCode, 404);
  });

  test('a state that does not match, and a flow that expired (its cookie gone), are refused', async () => {
    const c = t.client('en');
    const path = await atProvider(c, { person: TARAS.subject });
    const why = await refused(c, path.replace(/state=[^&]+/, 'state=forged'), 'expired');
    assert.equal(why.why, 'state mismatch');
    // The flow is spent: the genuine callback afterwards is refused too (in the default locale, the flow being gone).
    await refused(c, path, 'expired', '/uk/account/sign-in');

    const late = t.client('en');
    const path2 = await atProvider(late, { person: TARAS.subject });
    late.cookies.delete('hromada_idflow'); // ten minutes later, the browser has dropped it
    assert.equal((await refused(late, path2, 'expired', '/uk/account/sign-in')).why, 'no flow cookie');
  });

  test('a code replayed, and a client with a wrong secret, are refused', async () => {
    const c = t.client('en');
    const path = await atProvider(c, { person: TARAS.subject });
    const flow = c.cookies.get('hromada_idflow')!;
    const first = await c.get(path);
    assert.equal(first.statusCode, 303);
    const taras = (await users()).find((u) => u.full_name === 'Мельник Тарас')!;
    assert.ok(taras);
    const thief = t.client('en');
    thief.cookies.set('hromada_idflow', flow);
    assert.equal((await refused(thief, path, 'invalid')).error, 'invalid_grant');

    const w = t.client('en');
    assert.equal((await refused(w, await atProvider(w, { provider: 'wrong-secret' }), 'failed')).error, 'invalid_client');
  });

  test('a person linked to another account is refused to someone signed in as someone else', async () => {
    await createUser(t.db, { email: 'petro@example.org', password: TEST_PASSWORD, fullName: 'Петро Бондар' });
    const c = await t.signedIn('petro@example.org', 'en');
    const petro = (await users()).find((u) => u.email === 'petro@example.org')!;
    await refused(c, await atProvider(c), 'conflict', '/en/account');
    const after = (await users()).find((u) => u.id === petro.id)!;
    assert.equal(after.identity_subject, null);
    assert.match((await c.get('/en/account')).body, /petro@example\.org/, 'still signed in as themselves');
  });

  test('a hostile or broken user-info answer is refused, never a 5xx', async () => {
    const hostile: [string, (info: Record<string, unknown>) => unknown][] = [
      ['huge strings', (i) => ({ ...i, givenname: 'Я'.repeat(100_000) })],
      ['a name too long for a name', (i) => ({ ...i, lastname: 'Я'.repeat(500) })],
      ['wrong types', (i) => ({ ...i, drfocode: 3045612345 })],
      ['an object for a name', (i) => ({ ...i, givenname: { $ne: 1 } })],
      ['a tax number of another shape', (i) => ({ ...i, drfocode: '12345' })],
      ['no national id', (i) => ({ ...i, drfocode: undefined })],
      ['not an object', () => ['drfocode', '3045612345']],
      ['an error instead', () => ({ error: 500, message: 'Внутрішня помилка' })],
    ];
    try {
      for (const [what, fn] of hostile) {
        fake.tamper(fn);
        const c = t.client('en');
        const path = await atProvider(c, { person: TARAS.subject, authType: 'dig_sign' });
        const reason = what === 'an error instead' ? 'failed' : 'invalid';
        await refused(c, path, reason).catch((err: Error) => assert.fail(`${what}: ${err.message}`));
      }
    } finally {
      fake.tamper(null);
    }
  });

  test('an encrypted answer is opened by the operator’s decrypter; without one it is refused', async () => {
    const c = t.client('en');
    const done = await c.get(await atProvider(c, { provider: 'sealed', person: TARAS.subject }));
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, '/en/account');
    const taras = (await users()).filter((u) => u.full_name === 'Мельник Тарас');
    assert.equal(taras.length, 1, 'the same person as through the plain answer');
    assert.equal(taras[0]!.residence_municipality_id, zhovkva.id);

    // The service encrypting an answer Hromada cannot open (say, by the terms of the agreement) is refused…
    fake.tamper(() => ({ encryptedUserInfo: 'MIAGCSqGSIb3DQEHA6CAMIACAQI' }));
    try {
      const n = t.client('en');
      assert.match(String((await refused(n, await atProvider(n), 'failed')).why), /no decryptCommand/);
    } finally {
      fake.tamper(null);
    }
    // …and a certificate without a decrypter stops the start, as any other mistake in the settings.
    const settings = { IDENTITY_PROVIDERS: JSON.stringify([provider('sealed', { cert: 'MIIB' })]) };
    await assert.rejects(startTestApp(settings), (err: Error) => err instanceof ConfigError && /cert is set but decryptCommand is not/.test(String((err as ConfigError).problems)));
    const missing = { IDENTITY_PROVIDERS: JSON.stringify([{ id: 'x', name: 'x', type: 'id-gov-ua', clientId: 'c', authTypes: [] }]) };
    await assert.rejects(startTestApp(missing), (err: Error) => err instanceof ConfigError && /clientSecret/.test(String((err as ConfigError).problems)) && /authTypes/.test(String((err as ConfigError).problems)));
  });
});
