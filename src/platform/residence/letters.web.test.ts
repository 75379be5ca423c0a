import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Municipality } from '../../db/schema.ts';
import { isTrustworthyPdf } from '../files/pdf.ts';
import { postAtOnce } from '../idempotency/testing.ts';
import { startTestApp, type TestApp, type TestClient } from '../testing/http.ts';
import { codeOn, municipalityWith, pdfPages, rowCount, signedInPeople } from './letters.testing.ts';

let t: TestApp;
let a: Municipality;
let b: Municipality;
let off: Municipality;
let registrarA: TestClient;
const users: Record<string, TestClient> = {};

before(async () => {
  t = await startTestApp();
  a = await municipalityWith(t.db, 'zhovkva');
  b = await municipalityWith(t.db, 'vlasotince');
  off = await municipalityWith(t.db, 'bez-lystiv', ['identity']);
  Object.assign(users, await signedInPeople(t, [
    ['registrar-a', [{ municipalityId: a.id, role: 'registrar' }]], ['registrar-b', [{ municipalityId: b.id, role: 'registrar' }]],
    ['admin-b', [{ municipalityId: b.id, role: 'admin' }]], ['moderator-a', [{ municipalityId: a.id, role: 'moderator' }]],
    ['official-a', [{ municipalityId: a.id, role: 'official' }]], ['resident', []], ['other', []], ['unconfirmed', []],
  ], ['unconfirmed']));
  registrarA = users['registrar-a']!;
});
after(() => t.close());

const page = (m: Municipality) => `/en/${m.slug}/residence/letter`;
const printUrl = (m: Municipality) => `/en/${m.slug}/admin/letters/print`;

describe('postal code letters over HTTP', () => {
  test('a resident asks once (double submit = one letter), the registrar prints a PDF, the code confirms and returns them', async () => {
    const resident = users.resident!;
    const next = encodeURIComponent(`/en/${a.slug}/petitions`);
    const form = await resident.get(`${page(a)}?next=${next}`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /name="recipient"[^>]*value="resident"/, 'the name is filled in');
    const asked = await postAtOnce(resident, `${page(a)}?next=${next}`, `${page(a)}?next=${next}`, { recipient: 'Марія Шевчук', address: 'вул. Шевченка, 5\n80300 Жовква' });
    assert.ok(asked.every((r) => r.statusCode === 303), asked.map((r) => r.statusCode).join());
    assert.equal(await rowCount(t.db, 'residence_letters'), 1, 'twenty posts of one form are one letter');
    assert.match((await resident.get(page(a))).body, /waiting to be printed/);

    const staff = await registrarA.get(`/en/${a.slug}/admin/letters`);
    assert.equal(staff.statusCode, 200);
    assert.match(staff.body, /Марія Шевчук/);
    const printed = await postAtOnce(registrarA, `/en/${a.slug}/admin/letters`, printUrl(a), {}, 5);
    assert.ok(printed.every((r) => r.statusCode === 200 && r.headers['content-type'] === 'application/pdf'));
    const pdfs = await Promise.all(printed.map(async (r) => (await pdfPages(r.rawPayload))[0]!));
    const code = codeOn(pdfs[0]!);
    assert.ok(pdfs.every((p) => codeOn(p) === code), 'a repeat of the print form gets the same code');
    assert.ok(isTrustworthyPdf(printed[0]!.rawPayload));
    assert.equal((await t.db.selectFrom('audit_log').select('id').where('action', '=', 'residence.letter.print').execute()).length, 1, 'printed (and audited) once');

    const wrong = await resident.post(`${page(a)}/code?next=${next}`, { code: 'AAAA-AAAA' });
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /This is not the code in your letter\. 4 tries left/);
    assert.match(wrong.body, /href="#f-code"/);
    const right = await resident.post(`${page(a)}/code?next=${next}`, { code });
    assert.equal(right.statusCode, 303);
    assert.equal(right.headers.location, `/en/${a.slug}/petitions`, 'back where they were');
    const row = await t.db.selectFrom('resident_verifications').select('method').where('municipality_id', '=', a.id).executeTakeFirstOrThrow();
    assert.equal(row.method, 'letter');
    const replay = await resident.post(`${page(a)}/code`, { code });
    assert.equal(replay.statusCode, 303, 'a replay only says they are confirmed');
    assert.equal(await rowCount(t.db, 'resident_verifications'), 1);
  });

  test('bad input names the field and writes nothing', async () => {
    const c = users.other!;
    const before = await rowCount(t.db, 'residence_letters');
    const empty = await c.post(page(a), { recipient: '', address: 'x' });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.body, /Enter name on the letter/);
    const long = await c.post(page(a), { recipient: 'Ім’я', address: '1\n2\n3\n4\n5\n6\n7' });
    assert.equal(long.statusCode, 400);
    assert.match(long.body, /Postal address must take at most 6 lines/);
    const nul = await c.post(page(a), { recipient: 'a\u0000b', address: 'вул. Шевченка, 5' });
    assert.equal(nul.statusCode, 400);
    const unconfirmed = await users.unconfirmed!.post(page(a), { recipient: 'Хтось', address: 'вул. Шевченка, 5' });
    assert.equal(unconfirmed.statusCode, 403, 'an unconfirmed e-mail address asks for no letter');
    assert.equal(await rowCount(t.db, 'residence_letters'), before);
    assert.equal((await c.post(`${page(a)}/code`, { code: 'ABCD-2345' })).statusCode, 303, 'no letter: told so');
  });

  test('a municipality that does not offer letters refuses with a page and an audit entry, and writes nothing', async () => {
    const c = users.other!;
    const get = await c.get(page(off));
    assert.equal(get.statusCode, 403);
    assert.match(get.body, /does not confirm residents by a letter/);
    const before = [await rowCount(t.db, 'residence_letters'), await rowCount(t.db, 'resident_verifications')];
    for (const [url, fields] of [[page(off), { recipient: 'Хтось', address: 'вул. Шевченка, 5' }], [`${page(off)}/code`, { code: 'ABCD-2345' }]] as const) {
      const res = await c.post(url, fields);
      assert.equal(res.statusCode, 403);
    }
    assert.deepEqual([await rowCount(t.db, 'residence_letters'), await rowCount(t.db, 'resident_verifications')], before);
    assert.equal((await t.db.selectFrom('audit_log').select('id').where('action', '=', 'residence.way.refused').where('municipality_id', '=', off.id).execute()).length, 2);
  });

  test('printing is refused to another municipality’s registrar and admin, residents, moderators, officials and guests', async () => {
    await users.other!.post(page(b), { recipient: 'Петро', address: 'вул. Лесі Українки, 1' });
    const letter = await t.db.selectFrom('residence_letters').select('id').where('municipality_id', '=', b.id).executeTakeFirstOrThrow();
    for (const url of [printUrl(a), printUrl(b), `/en/${b.slug}/admin/letters/${letter.id}/print`]) {
      const mine = url.includes(b.slug);
      const refused = mine ? ['registrar-a', 'moderator-a', 'official-a', 'resident'] : ['registrar-b', 'admin-b', 'moderator-a', 'official-a', 'resident'];
      for (const who of refused) assert.equal((await users[who]!.post(url, {})).statusCode, 403, `${who} → ${url}`);
      assert.equal((await t.client('en').post(url, {})).statusCode, 303, 'a guest is sent to sign in');
      assert.equal((await users['moderator-a']!.get(url.replace(/\/(\d+\/)?print$/, ''))).statusCode, 403);
    }
    const printedB = await t.db.selectFrom('residence_letters').select('printed_at').where('id', '=', letter.id).executeTakeFirstOrThrow();
    assert.equal(printedB.printed_at, null, 'nothing was printed');
    const byAdmin = await users['admin-b']!.post(printUrl(b), {});
    assert.equal(byAdmin.statusCode, 200, 'the municipality’s own admin prints');
  });
});
