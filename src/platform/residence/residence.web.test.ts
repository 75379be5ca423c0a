import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Municipality } from '../../db/schema.ts';
import { tinyPdf, tinyPng } from '../files/testing.ts';
import { forgetMunicipality } from '../http/request-context.ts';
import { postAtOnce, storedFiles } from '../idempotency/testing.ts';
import { createMunicipality, multipartForm, startTestApp, type TestApp, type TestClient } from '../testing/http.ts';
import { resident } from '../testing/people.ts';
import { ONCE_FIELD } from '../idempotency/once.ts';

let t: TestApp;
let a: Municipality;
let b: Municipality;
const c: Record<string, TestClient> = {};

before(async () => {
  t = await startTestApp();
  a = await createMunicipality(t.db, { slug: 'zhovkva', names: { uk: 'Жовква', en: 'Zhovkva' } });
  b = await createMunicipality(t.db, { slug: 'sombor' });
  const people: [string, Municipality | null, Parameters<typeof resident>[3]][] = [
    ['admin', a, { role: 'admin' }], ['registrar', a, { role: 'registrar' }], ['registrar-b', b, { role: 'registrar' }],
    ['moderator', a, { role: 'moderator' }], ['official', a, { role: 'official' }], ['resident', a, {}],
    ['asker', null, {}], ['asker2', null, {}], ['unconfirmed', null, { emailVerified: false }],
  ];
  for (const [who, m, opts] of people) {
    await resident(t.db, `${who}@example.org`, m, opts);
    c[who] = await t.signedIn(`${who}@example.org`, 'en');
  }
});
after(() => t.close());

const count = async (table: 'audit_log' | 'resident_verifications' | 'residence_requests' | 'files') =>
  Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
const state = () => Promise.all([count('resident_verifications'), count('residence_requests'), count('files')]);
const requestOf = (email: string) => t.db.selectFrom('residence_requests').innerJoin('users', 'users.id', 'residence_requests.user_id')
  .selectAll('residence_requests').where('users.email', '=', email).orderBy('residence_requests.id', 'desc').executeTakeFirst();
const setWays = async (ways: string[]) => {
  await t.db.updateTable('municipalities').set({ resident_ways: JSON.stringify(ways) }).where('id', '=', a.id).execute();
  forgetMunicipality(a.slug);
};
/** A resident's request as their browser sends it (multipart, the form's key and page to return to). */
async function sendRequest(client: TestClient, fields: Record<string, string>, file?: { name: string; data: Buffer }) {
  const page = `/en/${a.slug}/residence/request?next=${encodeURIComponent(`/en/${a.slug}/petitions/1`)}`;
  const html = (await client.get(page)).body;
  const once = new RegExp(`name="${ONCE_FIELD}" value="([^"]+)"`).exec(html)?.[1] ?? '';
  const form = multipartForm({ _csrf: await client.csrf(page), [ONCE_FIELD]: once, next: `/en/${a.slug}/petitions/1`, ...fields }, { field: 'scan', name: file?.name ?? '', data: file?.data ?? Buffer.alloc(0) });
  return client.request('POST', `/en/${a.slug}/residence/request`, form);
}

describe('the registrar role', () => {
  test('the staff page offers it, translated; the admin sections list the registrar’s pages to a registrar', async () => {
    const staff = await c.admin!.get(`/en/${a.slug}/admin/staff`);
    assert.match(staff.body, /<option value="registrar"[^>]*>Registrar<\/option>/);
    assert.equal((await c.admin!.post(`/en/${a.slug}/admin/staff`, { email: 'asker2@example.org', role: 'registrar' })).statusCode, 303);
    const home = await c.registrar!.get('/en/admin');
    assert.match(home.body, new RegExp(`href="/en/${a.slug}/residence/confirm"`));
    await t.db.deleteFrom('memberships').where('role', '=', 'registrar').where('municipality_id', '=', a.id)
      .where('user_id', '=', (await t.db.selectFrom('users').select('id').where('email', '=', 'asker2@example.org').executeTakeFirstOrThrow()).id).execute();
  });
});

describe('the ways a municipality offers', () => {
  test('the admin chooses them (audited); the steps list exactly those, and refuse the rest', async () => {
    const form = await c.admin!.get(`/en/${a.slug}/admin/residence`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /name="ways" value="in_person" checked/);
    const audits = await count('audit_log');
    assert.equal((await c.admin!.post(`/en/${a.slug}/admin/residence`, { ways: ['in_person'] })).statusCode, 303);
    assert.equal(await count('audit_log'), audits + 1);
    forgetMunicipality(a.slug);
    const bad = await c.admin!.post(`/en/${a.slug}/admin/residence`, { ways: ['in_person', 'telepathy'] });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Ways offered/);
    for (const who of ['registrar', 'moderator', 'official', 'resident']) {
      assert.equal((await c[who]!.post(`/en/${a.slug}/admin/residence`, { ways: ['request'] })).statusCode, 403, who);
    }
    const before = await state();
    const refused = await sendRequest(c.asker!, { address: 'Main Street 1' });
    assert.equal(refused.statusCode, 403);
    assert.match(refused.body, /This way is not offered here/);
    assert.deepEqual(await state(), before, 'nothing written');
    const row = await t.db.selectFrom('audit_log').select(['action', 'after']).orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.equal(row.action, 'residence.way_refused');
    await setWays(['identity', 'in_person', 'request']);
  });
});

describe('in person', () => {
  const url = () => `/en/${a.slug}/residence/confirm`;
  test('every write is refused to those who are not registrars or admins of the municipality', async () => {
    const before = await state();
    for (const who of ['registrar-b', 'moderator', 'official', 'resident']) {
      assert.equal((await c[who]!.post(url(), { email: 'asker@example.org', documentType: 'passport', documentNumber: 'AA1' })).statusCode, 403, who);
    }
    assert.equal((await t.client('en').post(url(), { email: 'asker@example.org', documentType: 'passport', documentNumber: 'AA1' })).statusCode, 303, 'a guest signs in first');
    assert.deepEqual(await state(), before);
  });

  test('a registrar confirms with a document; its reuse, hostile input and a second confirmation are refused; a double submit writes once', async () => {
    const bad = await c.registrar!.post(url(), { email: 'not an address', documentType: 'crown', documentNumber: '' });
    assert.equal(bad.statusCode, 400);
    for (const message of ['Email address is not in the right format', 'Choose one of the options for document', 'Enter document number']) {
      assert.match(bad.body, new RegExp(`<a href="#f-[a-zA-Z]+">${message}</a>`), 'each field named by its label');
    }
    const results = await postAtOnce(c.registrar!, url(), url(), { email: 'asker@example.org', documentType: 'passport', documentNumber: 'КВ 123456' }, 5);
    assert.ok(results.every((r) => r.statusCode === 303), results.map((r) => r.statusCode).join());
    assert.equal((await t.db.selectFrom('resident_verifications').select('method').where('method', '=', 'in_person').execute()).length, 1);
    const audits = await count('audit_log');
    const reused = await c.admin!.post(url(), { email: 'asker2@example.org', documentType: 'passport', documentNumber: 'кв123456' });
    assert.equal(reused.statusCode, 400);
    assert.match(reused.body, /This document already confirmed another account/);
    assert.equal(await count('audit_log'), audits + 1, 'the attempt is audited');
    const again = await c.registrar!.post(url(), { email: 'asker@example.org', documentType: 'id_card', documentNumber: 'Z9' });
    assert.match(again.body, /already a confirmed resident/);
    await t.db.deleteFrom('resident_verifications').where('method', '=', 'in_person').execute();
  });
});

describe('requests', () => {
  test('a resident asks (a scan, the page to return to); registrars of the municipality see the queue and the scan; approving confirms and deletes it', async () => {
    const missing = await sendRequest(c.asker!, { address: '' });
    assert.equal(missing.statusCode, 400);
    assert.match(missing.body, /Your address/);
    const badScan = await sendRequest(c.asker!, { address: 'Main Street 1' }, { name: 'scan.pdf', data: Buffer.from('<html>not a pdf</html>') });
    assert.equal(badScan.statusCode, 400);
    assert.match(badScan.body, /Scan of a document/);
    assert.equal(await count('residence_requests'), 0);
    const sent = await sendRequest(c.asker!, { address: 'Main Street 1' }, { name: 'scan.png', data: tinyPng() });
    assert.equal(sent.statusCode, 303);
    assert.equal((await sendRequest(c.asker!, { address: 'Main Street 2' })).statusCode, 409, 'one pending request');
    const row = (await requestOf('asker@example.org'))!;
    assert.equal(row.next_path, `/en/${a.slug}/petitions/1`);
    const mine = await c.asker!.get(`/en/${a.slug}/residence/request`);
    assert.match(mine.body, /Your request is with the registrars/);

    const queue = await c.registrar!.get(`/en/${a.slug}/residence/requests`);
    assert.match(queue.body, /Main Street 1/);
    const scan = `/en/${a.slug}/residence/requests/${row.id}/scan`;
    for (const who of ['registrar-b', 'moderator', 'official', 'resident', 'asker']) assert.equal((await c[who]!.get(scan)).statusCode, 403, who);
    const ok = await c.registrar!.get(scan);
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.headers['cache-control'], 'private, no-store');
    for (const who of ['registrar-b', 'moderator', 'official', 'resident', 'asker']) {
      assert.equal((await c[who]!.post(`/en/${a.slug}/residence/requests/${row.id}/approve`)).statusCode, 403, who);
      assert.equal((await c[who]!.post(`/en/${a.slug}/residence/requests/${row.id}/refuse`, { reason: 'no' })).statusCode, 403, who);
    }
    assert.equal((await t.client('en').post(`/en/${a.slug}/residence/requests/${row.id}/approve`)).statusCode, 303, 'a guest signs in first');
    assert.equal((await requestOf('asker@example.org'))!.status, 'pending');
    const files = storedFiles(t.dataDir);
    assert.equal((await c.registrar!.post(`/en/${a.slug}/residence/requests/${row.id}/approve`)).statusCode, 303);
    assert.equal((await requestOf('asker@example.org'))!.status, 'approved');
    assert.equal(storedFiles(t.dataDir), files - 1, 'the scan is deleted');
    assert.equal((await c.registrar!.get(scan)).statusCode, 404);
    const back = await c.asker!.get(`/en/${a.slug}/residence/request`);
    assert.match(back.body, /You are a confirmed resident of Zhovkva/);
  });

  test('refusing needs a reason; the admin may decide; the resident may withdraw', async () => {
    assert.equal((await sendRequest(c.asker2!, { address: 'Side Street 3' }, { name: 'scan.pdf', data: tinyPdf() })).statusCode, 303);
    const row = (await requestOf('asker2@example.org'))!;
    const noReason = await c.admin!.post(`/en/${a.slug}/residence/requests/${row.id}/refuse`, { reason: '' });
    assert.equal(noReason.statusCode, 400);
    assert.match(noReason.body, /Reason/);
    assert.equal((await c.admin!.post(`/en/${a.slug}/residence/requests/${row.id}/refuse`, { reason: 'The address is outside the municipality.' })).statusCode, 303);
    const refused = await c.asker2!.get(`/en/${a.slug}/residence/request`);
    assert.match(refused.body, /Your last request was refused/);
    assert.match(refused.body, /outside the municipality/);
    assert.equal((await sendRequest(c.asker2!, { address: 'Side Street 4' })).statusCode, 303);
    const again = (await requestOf('asker2@example.org'))!;
    assert.equal((await c.asker!.post(`/en/${a.slug}/residence/request/withdraw`, { id: again.id })).statusCode, 303);
    assert.equal((await requestOf('asker2@example.org'))!.status, 'pending', 'not someone else’s');
    assert.equal((await c.asker2!.post(`/en/${a.slug}/residence/request/withdraw`, { id: again.id })).statusCode, 303);
    assert.equal((await requestOf('asker2@example.org'))!.status, 'withdrawn');
  });

  test('a double submit of a request with a scan makes one request and keeps one file', async () => {
    await resident(t.db, 'twice@example.org', null);
    const twice = await t.signedIn('twice@example.org', 'en');
    const page = `/en/${a.slug}/residence/request`;
    const html = (await twice.get(page)).body;
    const once = new RegExp(`name="${ONCE_FIELD}" value="([^"]+)"`).exec(html)![1]!;
    const form = multipartForm({ _csrf: await twice.csrf(page), [ONCE_FIELD]: once, address: 'Twice Street 2' }, { field: 'scan', name: 'scan.pdf', data: tinyPdf() });
    const files = storedFiles(t.dataDir);
    const answers = await Promise.all(Array.from({ length: 10 }, () => twice.request('POST', page, form)));
    assert.deepEqual([...new Set(answers.map((r) => r.statusCode))], [303]);
    assert.equal((await t.db.selectFrom('residence_requests').innerJoin('users', 'users.id', 'residence_requests.user_id').select('residence_requests.id')
      .where('users.email', '=', 'twice@example.org').execute()).length, 1);
    assert.equal(storedFiles(t.dataDir), files + 1);
  });

  test('an unconfirmed e-mail cannot ask; a guest is sent to sign in', async () => {
    const r = await sendRequest(c.unconfirmed!, { address: 'Main Street 9' });
    assert.equal(r.statusCode, 400);
    assert.match(r.body, /Confirm your e-mail address first/);
    assert.equal((await t.client('en').get(`/en/${a.slug}/residence/request`)).statusCode, 303);
  });
});
