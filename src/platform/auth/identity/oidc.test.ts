import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildApp, type BuiltApp } from '../../../app.ts';
import { loadConfig } from '../../../config.ts';
import { createSession, SESSION_COOKIE } from '../sessions.ts';
import { createTestDatabase, type TestDatabase } from '../../testing/db.ts';
import { reservePort } from '../../testing/ports.ts';
import { Browser } from '../../testing/browser.ts';

// oidc-provider ships no types (and @types/oidc-provider is not a dependency): the test types the slice it uses.
interface OidcProvider { callback(): http.RequestListener }
type ProviderClass = new (issuer: string, configuration: Record<string, unknown>) => OidcProvider;
const providerModule = 'oidc-provider';

const RESIDENCE_CODE = 'UA46060170000034822';
const PROVIDER_ID = 'test-id';

/** People the identity provider knows, by the login typed into its (development) sign-in form. */
const PEOPLE: Record<string, Record<string, unknown>> = {
  olena: { email: 'olena@example.org', email_verified: true, name: 'Олена Коваленко', residence_code: RESIDENCE_CODE, birthdate: '1984-02-29' },
  // OIDC Core 5.1 lets a provider send a year alone, or hide the year: neither is a birth date.
  taras: { email: 'taras@example.org', email_verified: true, given_name: 'Taras', family_name: 'Melnyk', birthdate: '1990' },
  marta: { email: 'marta@example.org', email_verified: true, name: 'Marta Shevchenko', residence_code: 'UNKNOWN-CODE', birthdate: '0000-03-15' },
  petro: { email: 'petro@example.org', email_verified: true, name: 'Petro Bondar' },
  squatted: { email: 'squatted@example.org', email_verified: true, name: 'Real Owner', residence_code: RESIDENCE_CODE },
};

describe('OpenID Connect sign-in against a local oidc-provider', () => {
  let db: TestDatabase;
  let built: BuiltApp;
  let idp: http.Server;
  let appUrl: string;
  let issuer: string;
  let municipalityId: number;

  before(async () => {
    const Provider = ((await import(providerModule)) as { default: ProviderClass }).default;
    const reserved = await reservePort();
    const appPort = reserved.port;
    appUrl = `http://127.0.0.1:${appPort}`;

    idp = http.createServer();
    await new Promise<void>((resolve) => idp.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(idp.address() as net.AddressInfo).port}`;
    const provider = new Provider(issuer, {
      clients: [{
        client_id: 'hromada',
        client_secret: 'a-long-enough-client-secret-for-the-test',
        redirect_uris: [`${appUrl}/auth/oidc/${PROVIDER_ID}/callback`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      }],
      async findAccount(_ctx: unknown, sub: string) {
        const person = PEOPLE[sub];
        return person && { accountId: sub, claims: async () => ({ sub, ...person }) };
      },
      // The residence code is in no scope, as with real gateways: the client asks for it by name.
      claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'given_name', 'family_name', 'birthdate'], residence_code: null },
      features: { devInteractions: { enabled: true }, claimsParameter: { enabled: true } },
      cookies: { keys: ['test-cookie-key'] },
      ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
    });
    idp.on('request', provider.callback());

    db = await createTestDatabase();
    const row = await db.db.insertInto('municipalities').values({
      slug: 'zhovkva', names: JSON.stringify({ uk: 'Жовква', en: 'Zhovkva' }), official_code: RESIDENCE_CODE,
      population: 12_500, center_lat: 50.056, center_lng: 23.972, default_locale: 'uk', currency: 'UAH',
    }).returning('id').executeTakeFirstOrThrow();
    municipalityId = row.id;

    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hromada-oidc-'));
    const config = loadConfig({
      NODE_ENV: 'test', DATA_DIR: dataDir, BASE_URL: appUrl, RATE_LIMITS: 'false', RUN_WORKER: 'false',
      OIDC_PROVIDERS: JSON.stringify([{
        id: PROVIDER_ID, name: 'Test ID', issuer, clientId: 'hromada', clientSecret: 'a-long-enough-client-secret-for-the-test',
      }]),
    });
    built = await buildApp(config, db);
    await reserved.release();
    await built.app.listen({ port: appPort, host: '127.0.0.1' });
  });

  after(async () => {
    await built?.close();
    await new Promise((resolve) => (idp ? idp.close(resolve) : resolve(undefined)));
    idp?.closeAllConnections();
    await db?.cleanup();
  });

  const isCallback = (u: URL) => u.origin === appUrl && u.pathname === `/auth/oidc/${PROVIDER_ID}/callback`;

  /** Starts at Hromada, signs in and consents at the provider, and stops before returning to the callback. */
  async function throughProvider(browser: Browser, login: string, start = `/en/auth/oidc/${PROVIDER_ID}`): Promise<URL> {
    let step = await browser.follow(`${appUrl}${start}`, {}, isCallback);
    for (let i = 0; !isCallback(new URL(step.url)); i++) {
      assert.ok(i < 5, `stuck at ${step.url}`);
      assert.ok(step.url.startsWith(issuer), `expected the provider, got ${step.url} (${step.res.status})`);
      const action = /<form[^>]*action="([^"]+)"/.exec(step.body)?.[1];
      const prompt = /name="prompt" value="(\w+)"/.exec(step.body)?.[1];
      assert.ok(action && prompt, `no interaction form at ${step.url}`);
      const form: Record<string, string> = prompt === 'login' ? { prompt, login, password: 'anything' } : { prompt };
      step = await browser.follow(new URL(action.replace(/&amp;/g, '&'), step.url).href, {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString(),
      }, isCallback);
    }
    return new URL(step.url);
  }

  const users = () => db.db.selectFrom('users')
    .select(['id', 'email', 'full_name', 'password_hash', 'email_verified_at', 'identity_verified_at', 'identity_provider', 'identity_subject', 'residence_municipality_id', 'birth_date', 'birth_date_source'])
    .orderBy('id').execute();

  test('a tampered state is refused and creates no one', async () => {
    const browser = new Browser();
    const callback = await throughProvider(browser, 'olena');
    const genuineState = callback.searchParams.get('state')!;
    assert.ok(callback.searchParams.get('code') && genuineState, 'the provider returned a code and the state');
    callback.searchParams.set('state', 'forged-state');
    const res = await browser.fetch(callback.href);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/en/account/sign-in');
    assert.equal((await users()).length, 0);
    // The flow is spent: the genuine callback afterwards is refused too (in the default locale, the flow being gone).
    callback.searchParams.set('state', genuineState);
    const again = await browser.fetch(callback.href);
    assert.equal(again.headers.get('location'), '/uk/account/sign-in');
    assert.equal((await users()).length, 0);
  });

  test('an error from the provider and an unknown provider are handled', async () => {
    const browser = new Browser();
    const res = await browser.fetch(`${appUrl}/auth/oidc/${PROVIDER_ID}/callback?error=access_denied&state=x`);
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/uk/account/sign-in');
    assert.equal((await browser.fetch(`${appUrl}/en/auth/oidc/nobody`)).status, 404);
    assert.equal((await browser.fetch(`${appUrl}/auth/oidc/nobody/callback?code=x`)).status, 404);
  });

  test('signs a new person in, verified, with their residence; a second sign-in reuses the account', async () => {
    const browser = new Browser();
    const callback = await throughProvider(browser, 'olena');
    const done = await browser.follow(callback.href);
    assert.equal(done.res.status, 200);
    assert.equal(done.url, `${appUrl}/en/account`);
    assert.match(done.body, /Олена Коваленко/);

    const [user, ...others] = await users();
    assert.equal(others.length, 0);
    assert.equal(user!.email, 'olena@example.org');
    assert.equal(user!.full_name, 'Олена Коваленко');
    assert.equal(user!.password_hash, null);
    assert.ok(user!.email_verified_at);
    assert.ok(user!.identity_verified_at);
    assert.equal(user!.identity_provider, PROVIDER_ID);
    assert.equal(user!.identity_subject, 'olena');
    assert.equal(user!.residence_municipality_id, municipalityId);
    assert.equal(user!.birth_date, '1984-02-29', 'the standard birthdate claim');
    assert.equal(user!.birth_date_source, 'identity');

    // Another browser, another session, the same person: the same account.
    const second = new Browser();
    const page = await second.follow((await throughProvider(second, 'olena', `/en/auth/oidc/${PROVIDER_ID}?next=%2Fen%2Fzhovkva`)).href);
    assert.equal(new URL(page.url).pathname, '/en/zhovkva');
    const account = await second.follow(`${appUrl}/en/account`);
    assert.equal(account.res.status, 200);
    assert.match(account.body, /Олена Коваленко/);
    const after = await users();
    assert.equal(after.length, 1);
    assert.ok(new Date(after[0]!.identity_verified_at!) >= new Date(user!.identity_verified_at!));
  });

  test('links to an account whose address both sides verified, and never to an unverified one', async () => {
    const verified = await db.db.insertInto('users').values({
      email: 'taras@example.org', password_hash: null, full_name: 'Taras M.', locale: 'en', email_verified_at: new Date(),
      identity_verified_at: null, identity_provider: null, identity_subject: null, residence_municipality_id: null, platform_role: null, deleted_at: null,
    }).returning('id').executeTakeFirstOrThrow();
    const squatter = await db.db.insertInto('users').values({
      email: 'squatted@example.org', password_hash: 'x', full_name: 'Squatter', locale: 'en', email_verified_at: null,
      identity_verified_at: null, identity_provider: null, identity_subject: null, residence_municipality_id: null, platform_role: null, deleted_at: null,
    }).returning('id').executeTakeFirstOrThrow();

    const a = new Browser();
    await a.follow((await throughProvider(a, 'taras')).href);
    const b = new Browser();
    await b.follow((await throughProvider(b, 'squatted')).href);

    const rows = await users();
    const taras = rows.find((u) => u.id === verified.id)!;
    assert.equal(taras.identity_subject, 'taras');
    assert.equal(taras.full_name, 'Taras M.', 'a chosen name is kept');
    assert.equal(taras.birth_date, null, 'a year alone is no birth date');
    const squatted = rows.find((u) => u.id === squatter.id)!;
    assert.equal(squatted.identity_provider, null, 'an unverified registration is not linked');
    const owner = rows.find((u) => u.identity_subject === 'squatted')!;
    assert.notEqual(owner.id, squatter.id);
    assert.equal(owner.email, null, 'the address stays with its registration; the new account has none');
    assert.equal(owner.residence_municipality_id, municipalityId);
  });

  test('a signed-in person links the identity to their account; one holding another identity is refused', async () => {
    const insert = (email: string, identity: string | null) => db.db.insertInto('users').values({
      email, password_hash: 'x', full_name: email, locale: 'en', email_verified_at: null,
      identity_verified_at: identity ? new Date() : null, identity_provider: identity ? 'other-id' : null, identity_subject: identity,
      residence_municipality_id: null, platform_role: null, deleted_at: null,
    }).returning('id').executeTakeFirstOrThrow();
    const plain = await insert('marta.personal@example.org', null);
    await db.db.updateTable('users').set({ birth_date: '1991-03-15', birth_date_source: 'declared' }).where('id', '=', plain.id).execute();
    const holder = await insert('holder@example.org', 'someone-else');

    const a = new Browser();
    a.set(appUrl, SESSION_COOKIE, await createSession(db.db, plain.id, null, null));
    const done = await a.follow((await throughProvider(a, 'marta')).href);
    assert.equal(done.url, `${appUrl}/en/account`);
    const linked = await db.db.selectFrom('users').selectAll().where('id', '=', plain.id).executeTakeFirstOrThrow();
    assert.equal(linked.identity_subject, 'marta');
    assert.ok(linked.identity_verified_at);
    assert.equal(linked.residence_municipality_id, null, 'an unknown residence code changes nothing');
    assert.equal(linked.email_verified_at, null, 'the provider verified another address');
    assert.deepEqual([linked.birth_date, linked.birth_date_source], ['1991-03-15', 'declared'], 'a hidden year replaces nothing');

    const b = new Browser();
    b.set(appUrl, SESSION_COOKIE, await createSession(db.db, holder.id, null, null));
    const refused = await b.follow((await throughProvider(b, 'petro')).href);
    assert.equal(refused.url, `${appUrl}/en/account`);
    assert.match(refused.body, /holder@example\.org/, 'still signed in as themselves');
    const unchanged = await db.db.selectFrom('users').selectAll().where('id', '=', holder.id).executeTakeFirstOrThrow();
    assert.equal(unchanged.identity_subject, 'someone-else');
    assert.equal((await db.db.selectFrom('users').select('id').where('identity_subject', '=', 'petro').execute()).length, 0);
  });
});
