import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildApp, type BuiltApp } from '../../../app.ts';
import { loadConfig } from '../../../config.ts';
import { Browser, type Step } from '../../testing/browser.ts';
import { createTestDatabase, type TestDatabase } from '../../testing/db.ts';
import { reservePort } from '../../testing/ports.ts';
import { createSession, SESSION_COOKIE } from '../sessions.ts';
import { demoPeopleOf } from './demo-people.ts';
import { idpPeople, localProviderEntry, spKeys } from './saml.demo.ts';
import { startLocalIdp, type LocalIdp, type ResponseTweaks } from './saml.idp.ts';

const IDENTIFIER_KEY = 'a-test-identifier-key-of-at-least-32-characters';
const PL = 'test-pl';
const RS = 'test-rs';
const [AGNIESZKA] = demoPeopleOf('pl');
const [MILICA] = demoPeopleOf('rs');
const keyedHash = (kind: string, value: string) => crypto.createHmac('sha256', IDENTIFIER_KEY).update(`${kind}\n${value}`).digest('base64url');
const DATE_OF_BIRTH = 'http://eidas.europa.eu/attributes/naturalperson/DateOfBirth';
const decode = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');
const encode = (xml: string) => Buffer.from(xml, 'utf8').toString('base64');

describe('SAML 2.0 sign-in against a local identity provider', () => {
  let db: TestDatabase;
  let built: BuiltApp;
  let appUrl: string;
  // login.gov.pl-like: HTTP-Redirect binding, encrypted assertions. eID.gov.rs-like: HTTP-POST binding, plain signed assertions.
  let pl: LocalIdp;
  let rs: LocalIdp;
  let klodzko: number;

  before(async () => {
    const reserved = await reservePort();
    appUrl = `http://127.0.0.1:${reserved.port}`;
    const spPl = spKeys('test pl');
    const spRs = spKeys('test rs');
    const sp = (id: string, keys: typeof spPl) => ({ entityId: `${appUrl}/auth/saml/${id}/metadata.xml`, acsUrl: `${appUrl}/auth/saml/${id}/acs`, signingCert: keys.signing.cert, encryptionCert: keys.encryption.cert });
    pl = await startLocalIdp({ label: 'login.gov.pl', locale: 'pl', people: idpPeople(demoPeopleOf('pl')), sp: sp(PL, spPl) });
    // An xs:date may carry a time zone: Milica's does.
    const rsPeople = idpPeople(demoPeopleOf('rs')).map((p, i) => (i ? p : { ...p, attributes: { ...p.attributes, [DATE_OF_BIRTH]: `${MILICA!.birthDate}+01:00` } }));
    rs = await startLocalIdp({ label: 'eID.gov.rs', locale: 'sr-Latn', people: rsPeople, sp: sp(RS, spRs), encrypt: false });

    db = await createTestDatabase();
    const row = await db.db.insertInto('municipalities').values({
      slug: 'klodzko', names: JSON.stringify({ pl: 'Kłodzko', en: 'Kłodzko' }), official_code: AGNIESZKA!.residenceCode,
      population: 26_000, center_lat: 50.43, center_lng: 16.65, default_locale: 'pl', currency: 'PLN',
    }).returning('id').executeTakeFirstOrThrow();
    klodzko = row.id;
    const config = loadConfig({
      NODE_ENV: 'test', DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'hromada-saml-')), BASE_URL: appUrl, RATE_LIMITS: 'false', RUN_WORKER: 'false',
      IDENTIFIER_KEY,
      IDENTITY_PROVIDERS: JSON.stringify([
        localProviderEntry(PL, 'login.gov.pl', 'login.gov.pl', pl, spPl, 'redirect'),
        localProviderEntry(RS, 'eID.gov.rs', 'eid.gov.rs', rs, spRs, 'post'),
      ]),
    });
    built = await buildApp(config, db);
    await reserved.release();
    await built.app.listen({ port: reserved.port, host: '127.0.0.1' });
  });

  after(async () => {
    await built?.close();
    await pl?.stop();
    await rs?.stop();
    await db?.cleanup();
  });

  /** Starts at Hromada and arrives at the provider's page of people (through the POST page for eID.gov.rs). */
  async function toProvider(browser: Browser, provider: string, start = `/en/auth/with/${provider}`): Promise<Step> {
    const idp = provider === PL ? pl : rs;
    let step = await browser.follow(`${appUrl}${start}`, {}, (u) => u.origin === idp.url);
    if (step.url.startsWith(appUrl)) {
      // HTTP-POST binding: Hromada's page holds a form that posts the signed AuthnRequest to the provider.
      const action = /<form method="post" action="([^"]+)"/.exec(step.body)?.[1];
      assert.equal(action, idp.ssoUrl, 'the page posts to the provider');
      const fields = Object.fromEntries([...step.body.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
      assert.match(decode(fields.SAMLRequest!), /<(ds:)?Signature\b/, 'the POSTed request is signed');
      return browser.follow(idp.ssoUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
    }
    assert.match(step.url, /[?&]Signature=/, 'the redirected request is signed');
    return browser.follow(step.url);
  }

  /** Picks a person (or cancels) at the provider; returns the SAMLResponse its page would post to the ACS. */
  async function answer(browser: Browser, provider: string, person: number | 'cancel' = 0, tweaks: ResponseTweaks = {}): Promise<string> {
    const idp = provider === PL ? pl : rs;
    const page = await toProvider(browser, provider);
    assert.equal(page.res.status, 200, page.body);
    const request = /name="request" value="([^"]+)"/.exec(page.body)?.[1];
    assert.ok(request, 'the provider shows its people');
    idp.tweaks = tweaks;
    const done = await browser.follow(`${idp.url}/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ request, person: String(person) }).toString() });
    const samlResponse = /name="SAMLResponse" value="([^"]+)"/.exec(done.body)?.[1];
    assert.ok(samlResponse, 'the provider answers with a form to the ACS');
    return samlResponse;
  }

  const acs = (browser: Browser, provider: string, samlResponse: string) => browser.follow(`${appUrl}/auth/saml/${provider}/acs`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ SAMLResponse: samlResponse }).toString(),
  });
  const users = () => db.db.selectFrom('users').selectAll().orderBy('id').execute();
  const refusals = () => db.db.selectFrom('audit_log').selectAll().where('action', '=', 'auth.identity.refused').orderBy('id', 'desc').execute();

  /** Posts an answer that must be refused: the sign-in page with the message, nothing linked, the refusal audited. */
  async function refused(provider: string, samlResponse: string, reason: string, why: RegExp, browser = new Browser()) {
    const before = await users();
    const auditsBefore = (await refusals()).length;
    const step = await acs(browser, provider, samlResponse);
    assert.match(new URL(step.url).pathname, /\/account\/sign-in$/);
    assert.equal(step.res.status, 200);
    assert.deepEqual(await users(), before, 'nothing linked or created');
    const [audit, ...older] = await refusals();
    assert.equal(older.length, auditsBefore, 'one refusal audited');
    const detail = audit!.after as Record<string, unknown>;
    assert.equal(detail.reason, reason);
    assert.match(JSON.stringify(detail), why);
    assert.ok(!JSON.stringify(detail).includes(AGNIESZKA!.nationalId) && !JSON.stringify(detail).includes(MILICA!.nationalId), 'no national id in the audit');
    return step;
  }

  let firstAnswer = '';

  test('a resident signs in: verified, their residence matched, the PESEL kept only as a keyed hash; again: the same account', async () => {
    const browser = new Browser();
    firstAnswer = await answer(browser, PL);
    assert.match(decode(firstAnswer), /EncryptedAssertion/, 'the assertion came encrypted');
    const done = await acs(browser, PL, firstAnswer);
    assert.equal(done.url, `${appUrl}/en/account`);
    assert.match(done.body, /You are signed in with login\.gov\.pl/);
    assert.match(done.body, /Agnieszka Wójcik/);
    const [user, ...others] = await users();
    assert.equal(others.length, 0);
    assert.equal(user!.identity_provider, PL);
    assert.ok(user!.identity_verified_at);
    assert.equal(user!.residence_municipality_id, klodzko, 'a verified resident of Kłodzko');
    assert.equal(user!.national_id_hash, keyedHash('pesel', AGNIESZKA!.nationalId));
    assert.equal(user!.identity_subject, keyedHash('pesel', AGNIESZKA!.nationalId), 'the subject is the PersonIdentifier, hashed');
    assert.equal(user!.email_verified_at, null, 'a national node does not vouch for an e-mail address');
    assert.deepEqual([user!.birth_date, user!.birth_date_source], [AGNIESZKA!.birthDate, 'identity'], 'the eIDAS DateOfBirth');
    for (const table of ['users', 'audit_log', 'saml_requests', 'saml_assertions', 'sessions'] as const) {
      const rows = await db.db.selectFrom(table).selectAll().execute();
      assert.ok(!JSON.stringify(rows).includes(AGNIESZKA!.nationalId), `no PESEL in ${table}`);
    }

    const again = new Browser();
    const back = await acs(again, PL, await answer(again, PL));
    assert.equal(back.url, `${appUrl}/en/account`);
    assert.equal((await users()).length, 1, 'the same account');
  });

  test('the same answer posted again is refused', async () => {
    await refused(PL, firstAnswer, 'invalid', /already answered/);
  });

  test('an assertion already accepted is refused in a new sign-in', async () => {
    const first = new Browser();
    await acs(first, RS, await answer(first, RS, 0, { assertionId: '_fixed-assertion' }));
    const milica = await db.db.selectFrom('users').select(['birth_date']).where('national_id_hash', '=', keyedHash('jmbg', MILICA!.nationalId)).executeTakeFirstOrThrow();
    assert.equal(milica.birth_date, MILICA!.birthDate, 'the date of an xs:date with a time zone');
    const second = new Browser();
    await refused(RS, await answer(second, RS, 0, { assertionId: '_fixed-assertion' }), 'invalid', /assertion replayed/, second);
  });

  test('expired, wrong audience, wrong issuer, unsigned, too weak: refused as untrusted', async () => {
    const cases: [ResponseTweaks, RegExp][] = [
      [{ shiftMinutes: -30 }, /expired|subject confirmation/],
      [{ audience: 'https://another-service.example/sp' }, /audience/],
      [{ issuer: 'https://another-idp.example' }, /wrong issuer/],
      [{ unsignedAssertion: true }, /Invalid signature/],
      [{ authnContext: 'http://eidas.europa.eu/LoA/low' }, /level of assurance/],
    ];
    for (const [tweaks, why] of cases) {
      const browser = new Browser();
      const step = await refused(PL, await answer(browser, PL, 0, tweaks), 'invalid', why, browser);
      assert.match(step.body, /could not be trusted/);
    }
  });

  test('a tampered or stripped signature and an unknown InResponseTo are refused', async () => {
    const tampered = decode(await answer(new Browser(), RS)).replace('Milica', 'Mallory');
    await refused(RS, encode(tampered), 'invalid', /Invalid signature/);
    const stripped = decode(await answer(new Browser(), RS)).replace(/<ds:Signature[\s\S]*?<\/ds:Signature>/g, '');
    await refused(RS, encode(stripped), 'invalid', /signature/i);
    const forged = decode(await answer(new Browser(), RS)).replace(/InResponseTo="[^"]+"/g, 'InResponseTo="_never-sent"');
    await refused(RS, encode(forged), 'invalid', /InResponseTo unknown/);
    const unsolicited = decode(await answer(new Browser(), RS)).replace(/ InResponseTo="[^"]+"/g, '');
    await refused(RS, encode(unsolicited), 'invalid', /unsolicited/);
  });

  test('a person who cancels at the provider is told so', async () => {
    const browser = new Browser();
    const step = await refused(PL, await answer(browser, PL, 'cancel'), 'cancelled', /AuthnFailed/, browser);
    assert.match(step.body, /was cancelled/);
  });

  test('an identity already linked to another account is refused for whoever started the sign-in, even without their cookie', async () => {
    const holder = await db.db.insertInto('users').values({
      email: 'holder@example.org', password_hash: 'x', full_name: 'Holder', locale: 'en', email_verified_at: new Date(), identity_verified_at: new Date(),
      identity_provider: 'other-id', identity_subject: 'someone-else', residence_municipality_id: null, platform_role: null, deleted_at: null,
    }).returning('id').executeTakeFirstOrThrow();
    const browser = new Browser();
    browser.set(appUrl, SESSION_COOKIE, await createSession(db.db, holder.id, null, null));
    const samlResponse = await answer(browser, PL);
    // As a browser does: the cross-site POST from the provider carries no SameSite=Lax cookie.
    const res = await fetch(`${appUrl}/auth/saml/${PL}/acs`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ SAMLResponse: samlResponse }).toString() });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/en/account', 'back to the account of whoever started');
    const [audit] = await refusals();
    assert.equal((audit!.after as { reason: string }).reason, 'conflict');
    assert.equal(audit!.actor_id, holder.id);
    const unchanged = await db.db.selectFrom('users').selectAll().where('id', '=', holder.id).executeTakeFirstOrThrow();
    assert.equal(unchanged.identity_subject, 'someone-else');
    assert.equal(unchanged.national_id_hash, null);
  });

  test('the metadata names the entity, the ACS and both certificates; unknown providers are not found', async () => {
    const samlify = await import('samlify');
    const res = await fetch(`${appUrl}/auth/saml/${PL}/metadata.xml`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /samlmetadata\+xml/);
    const xml = await res.text();
    const meta = samlify.SPMetadata(xml);
    assert.equal(meta.getEntityID(), `${appUrl}/auth/saml/${PL}/metadata.xml`);
    assert.equal(meta.getAssertionConsumerService('post'), `${appUrl}/auth/saml/${PL}/acs`);
    const body = (pem: string) => pem.replace(/-----[^-]+-----|\s/g, '');
    const { signing, encryption } = spKeysOf(PL);
    assert.equal(body(String(meta.getX509Certificate('signing'))), body(signing));
    assert.equal(body(String(meta.getX509Certificate('encryption'))), body(encryption));
    assert.match(xml, /AuthnRequestsSigned="true"/);
    assert.match(xml, /WantAssertionsSigned="true"/);
    assert.equal((await fetch(`${appUrl}/auth/saml/nobody/metadata.xml`)).status, 404);
    assert.equal((await fetch(`${appUrl}/auth/saml/nobody/acs`, { method: 'POST', body: 'SAMLResponse=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status, 404);
  });

  const spKeysOf = (id: string) => {
    const p = built.deps.config.identityProviders.find((x) => x.id === id) as unknown as { signingCert: string; decryptionCert: string };
    return { signing: p.signingCert, encryption: p.decryptionCert };
  };
});
