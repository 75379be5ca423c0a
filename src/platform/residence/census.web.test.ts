import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Municipality } from '../../db/schema.ts';
import { multipartForm, startTestApp, type TestApp, type TestClient } from '../testing/http.ts';
import { municipalityWith, rowCount, signedInPeople } from './letters.testing.ts';

let t: TestApp;
let a: Municipality;
let b: Municipality;
let off: Municipality;
const users: Record<string, TestClient> = {};

before(async () => {
  t = await startTestApp();
  a = await municipalityWith(t.db, 'zhovkva');
  b = await municipalityWith(t.db, 'vlasotince');
  off = await municipalityWith(t.db, 'bez-spysku', ['identity']);
  Object.assign(users, await signedInPeople(t, [
    ['admin-a', [{ municipalityId: a.id, role: 'admin' }]], ['admin-b', [{ municipalityId: b.id, role: 'admin' }]],
    ['official-b', [{ municipalityId: b.id, role: 'official' }]], ['moderator-a', [{ municipalityId: a.id, role: 'moderator' }]],
    ['resident', []], ['other', []],
  ]));
});
after(() => t.close());

const adminUrl = (m: Municipality) => `/en/${m.slug}/admin/residents/census`;
const claimUrl = (m: Municipality) => `/en/${m.slug}/residence/census`;

/** Posts a CSV file as the census form does (the CSRF token is a field before the file). */
async function upload(c: TestClient, m: Municipality, data: string) {
  const form = multipartForm({ _csrf: await c.csrf(adminUrl(m)) }, { field: 'file', name: 'census.csv', data: Buffer.from(data) });
  return c.request('POST', `${adminUrl(m)}/file`, form);
}

describe('census lists over HTTP', () => {
  test('the admin uploads a CSV file and is shown the bad rows by number and reason', async () => {
    const page = await users['admin-a']!.get(adminUrl(a));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /enctype="multipart\/form-data"/);
    const res = await upload(users['admin-a']!, a, 'document,address,email\nAB 123,"вул. Шевченка, 5",\n,,\nXY 9,,\n,,nope\n');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /4 rows read: 1 entry stored, 0 accounts confirmed, 3 bad rows skipped/);
    assert.match(res.body, /<td[^>]*>3<\/td><td>Neither an e-mail address nor a document number/);
    assert.match(res.body, /A document number without an address/);
    assert.match(res.body, /The e-mail address is not in the right format/);
    assert.doesNotMatch(res.body, /AB 123/, 'the number is not shown back');
  });

  test('a file without the columns, no file and a broken file are refused, naming the field', async () => {
    const before = await rowCount(t.db, 'census_entries');
    const noCols = await upload(users['admin-a']!, a, 'name,phone\nx,y');
    assert.equal(noCols.statusCode, 400);
    assert.match(noCols.body, /must name an email or a document column/);
    assert.match(noCols.body, /href="#f-file"/);
    const c = users['admin-a']!;
    const none = await c.request('POST', `${adminUrl(a)}/file`, multipartForm({ _csrf: await c.csrf(adminUrl(a)) }, { field: 'file', name: '', data: Buffer.alloc(0) }));
    assert.equal(none.statusCode, 400);
    assert.match(none.body, /Choose a CSV file/);
    const broken = await upload(c, a, `document,address\nA1,x y z\nB2,"open\n${'C3,вул. Садова\n'.repeat(400)}`);
    assert.equal(broken.statusCode, 400);
    assert.match(broken.body, /nothing was imported/);
    assert.equal(await rowCount(t.db, 'census_entries'), before);
  });

  test('importing is refused to another municipality’s admin and official, moderators, residents and guests', async () => {
    const before = [await rowCount(t.db, 'census_entries'), await rowCount(t.db, 'audit_log')];
    for (const who of ['admin-b', 'official-b', 'moderator-a', 'resident']) {
      assert.equal((await upload(users[who]!, a, 'email\nx@example.org')).statusCode, 403, who);
      assert.equal((await users[who]!.post(adminUrl(a), { census: 'x@example.org' })).statusCode, 403, who);
    }
    assert.equal((await t.client('en').post(adminUrl(a), { census: 'x@example.org' })).statusCode, 303);
    assert.deepEqual([await rowCount(t.db, 'census_entries'), await rowCount(t.db, 'audit_log')], before);
  });

  test('a resident on the list confirms themselves; the same document for another account is refused and audited', async () => {
    await upload(users['admin-a']!, a, 'document;address\nPL-55 66;Ulica Długa 1/2\n');
    const next = encodeURIComponent(`/en/${a.slug}/petitions`);
    const form = await users.resident!.get(`${claimUrl(a)}?next=${next}`);
    assert.equal(form.statusCode, 200);
    const wrong = await users.resident!.post(`${claimUrl(a)}?next=${next}`, { document: 'PL5566', address: 'Ulica Krótka 1' });
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /No entry on the census list matches/);
    const empty = await users.resident!.post(claimUrl(a), { document: '', address: '' });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /Enter document number/);
    const right = await users.resident!.post(`${claimUrl(a)}?next=${next}`, { document: 'pl 5566', address: 'ulica długa 1 2' });
    assert.equal(right.statusCode, 303);
    assert.equal(right.headers.location, `/en/${a.slug}/petitions`);
    const twice = await users.resident!.post(`${claimUrl(a)}?next=${next}`, { document: 'pl 5566', address: 'ulica długa 1 2' });
    assert.equal(twice.statusCode, 303, 'a second submit only says they are confirmed');
    assert.equal((await t.db.selectFrom('resident_verifications').select('method').where('municipality_id', '=', a.id).execute()).length, 1);
    const used = await users.other!.post(claimUrl(a), { document: 'PL-5566', address: 'Ulica Długa 1/2' });
    assert.equal(used.statusCode, 409);
    assert.match(used.body, /already confirmed another account/);
    assert.equal((await t.db.selectFrom('audit_log').select('id').where('action', '=', 'residence.census.document_used').execute()).length, 1);
  });

  test('a municipality that does not offer the census way refuses with a page and an audit entry; guests sign in first', async () => {
    const get = await users.other!.get(claimUrl(off));
    assert.equal(get.statusCode, 403);
    const before = await rowCount(t.db, 'resident_verifications');
    assert.equal((await users.other!.post(claimUrl(off), { document: 'PL-5566', address: 'Ulica Długa 1/2' })).statusCode, 403);
    assert.equal(await rowCount(t.db, 'resident_verifications'), before);
    assert.equal((await t.db.selectFrom('audit_log').select('id').where('action', '=', 'residence.way.refused').where('municipality_id', '=', off.id).execute()).length, 1);
    assert.equal((await t.client('en').post(claimUrl(a), { document: 'PL-5566', address: 'x' })).statusCode, 303);
  });
});
