import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Municipality } from '../../db/schema.ts';
import { tinyPng } from '../files/testing.ts';
import { ONCE_FIELD } from '../idempotency/once.ts';
import { createMunicipality, multipartForm, startTestApp, type TestApp, type TestClient } from '../testing/http.ts';
import { resident } from '../testing/people.ts';
import { residenceDistrict } from './residence.repo.ts';

let t: TestApp;
let a: Municipality;
let b: Municipality;
let plain: Municipality;
const d: Record<string, number> = {};
const c: Record<string, TestClient> = {};
const ids: Record<string, number> = {};

before(async () => {
  t = await startTestApp();
  a = await createMunicipality(t.db, { slug: 'zhovkva', names: { uk: 'Жовква', en: 'Zhovkva' } });
  b = await createMunicipality(t.db, { slug: 'sombor' });
  plain = await createMunicipality(t.db, { slug: 'kladovo' });
  const district = async (m: Municipality, slug: string, en: string) =>
    (await t.db.insertInto('districts').values({ municipality_id: m.id, slug, names: JSON.stringify({ uk: en, en }) }).returning('id').executeTakeFirstOrThrow()).id;
  d.centre = await district(a, 'centre', 'Centre');
  d.north = await district(a, 'north', 'North');
  d.foreign = await district(b, 'venac', 'Venac');
  for (const [who, m, role] of [['registrar', a, 'registrar'], ['registrar-plain', plain, 'registrar'], ['visitor', null, undefined],
    ['asker', null, undefined], ['asker2', null, undefined], ['asker3', null, undefined]] as const) {
    ids[who] = (await resident(t.db, `${who}@example.org`, m, role ? { role } : {})).id;
    c[who] = await t.signedIn(`${who}@example.org`, 'en');
  }
});
after(() => t.close());

const count = async (table: 'audit_log' | 'resident_verifications' | 'residence_requests' | 'files') =>
  Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
const state = () => Promise.all([count('audit_log'), count('resident_verifications'), count('residence_requests'), count('files')]);
const confirmation = (who: string) => t.db.selectFrom('resident_verifications').select(['district_id', 'method'])
  .where('municipality_id', '=', a.id).where('user_id', '=', ids[who]!).executeTakeFirst();
const requestOf = (who: string) => t.db.selectFrom('residence_requests').selectAll().where('user_id', '=', ids[who]!).orderBy('id', 'desc').executeTakeFirstOrThrow();

async function sendRequest(client: TestClient, fields: Record<string, string>, scan = false) {
  const page = `/en/${a.slug}/residence/request`;
  const html = (await client.get(page)).body;
  const once = new RegExp(`name="${ONCE_FIELD}" value="([^"]+)"`).exec(html)?.[1] ?? '';
  const form = multipartForm({ _csrf: await client.csrf(page), [ONCE_FIELD]: once, ...fields }, { field: 'scan', name: scan ? 'scan.png' : '', data: scan ? tinyPng() : Buffer.alloc(0) });
  return client.request('POST', page, form);
}

describe(`districts of a residence (${process.env.TEST_DB ?? 'pglite'})`, () => {
  const confirmUrl = '/en/zhovkva/residence/confirm';

  test('the registrar records the district when confirming in person; another municipality’s is a field error and writes nothing', async () => {
    const form = await c.registrar!.get(confirmUrl);
    assert.match(form.body, /<select id="f-districtId" name="districtId"[^>]*><option value selected>Not recorded<\/option><option value="\d+">Centre<\/option><option value="\d+">North<\/option><\/select>/);
    assert.doesNotMatch((await c['registrar-plain']!.get('/en/kladovo/residence/confirm')).body, /districtId/, 'no select where there are no districts');

    const before = await state();
    for (const [districtId, message] of [[String(d.foreign), 'Choose a district of Zhovkva from the list'], ['north', 'District']] as const) {
      const res = await c.registrar!.post(confirmUrl, { email: 'visitor@example.org', documentType: 'passport', documentNumber: 'AB 111', districtId });
      assert.equal(res.statusCode, 400, districtId);
      assert.match(res.body, new RegExp(`<a href="#f-districtId">[^<]*${message}`), districtId);
    }
    assert.deepEqual(await state(), before, 'nothing written');

    const done = await c.registrar!.post(confirmUrl, { email: 'visitor@example.org', documentType: 'passport', documentNumber: 'AB 111', districtId: String(d.north) });
    assert.equal(done.statusCode, 303);
    assert.deepEqual(await confirmation('visitor'), { district_id: d.north, method: 'in_person' });
    assert.equal(await residenceDistrict(t.db, a.id, ids.visitor!), d.north);
    assert.equal(await residenceDistrict(t.db, b.id, ids.visitor!), null, 'not a resident there');
    const audit = await t.db.selectFrom('audit_log').select(['action', 'after']).where('action', '=', 'residence.confirm').orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.equal((audit.after as { districtId: number }).districtId, d.north);
    const status = await c.visitor!.get(`/en/${a.slug}/residence/request`);
    assert.match(status.body, /You are a confirmed resident of Zhovkva\. Your district: North\./, 'the resident sees it');
  });

  test('a resident names a district in the request; approving keeps it; a foreign one is refused with the scan unsaved', async () => {
    const form = await c.asker!.get(`/en/${a.slug}/residence/request`);
    assert.match(form.body, /<option value selected>I do not know, or it is not listed<\/option>/);
    const before = await state();
    const foreign = await sendRequest(c.asker!, { address: 'Main Street 1', districtId: String(d.foreign) }, true);
    assert.equal(foreign.statusCode, 400);
    assert.match(foreign.body, /<a href="#f-districtId">Choose a district of Zhovkva from the list/);
    assert.deepEqual(await state(), before, 'no request, no file');

    assert.equal((await sendRequest(c.asker!, { address: 'Main Street 1', districtId: String(d.centre) })).statusCode, 303);
    const row = await requestOf('asker');
    assert.equal(row.district_id, d.centre);
    assert.match((await c.asker!.get(`/en/${a.slug}/residence/request`)).body, /<dt>District<\/dt><dd>Centre<\/dd>/, 'the pending request shows it');
    const one = await c.registrar!.get(`/en/${a.slug}/residence/requests/${row.id}`);
    assert.match(one.body, /<dt>District<\/dt><dd>Centre<\/dd>/);
    assert.match(one.body, new RegExp(`<option value="${d.centre}" selected>Centre</option>`), 'the approval starts from the district named');
    // As the approval form sends it, the select unchanged.
    assert.equal((await c.registrar!.post(`/en/${a.slug}/residence/requests/${row.id}/approve`, { districtId: String(d.centre) })).statusCode, 303);
    assert.deepEqual(await confirmation('asker'), { district_id: d.centre, method: 'request' });
  });

  test('the registrar corrects the district, or records none; a foreign one leaves the request pending', async () => {
    assert.equal((await sendRequest(c.asker2!, { address: 'Side Street 2', districtId: String(d.centre) })).statusCode, 303);
    const row = await requestOf('asker2');
    const approve = `/en/${a.slug}/residence/requests/${row.id}/approve`;
    const before = await state();
    const refused = await c.registrar!.post(approve, { districtId: String(d.foreign) });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /<a href="#f-districtId">Choose a district of Zhovkva from the list/);
    const tampered = await c.registrar!.post(approve, { districtId: 'x' });
    assert.equal(tampered.statusCode, 400);
    assert.deepEqual(await state(), before);
    assert.equal((await requestOf('asker2')).status, 'pending');
    assert.equal((await c.registrar!.post(approve, { districtId: String(d.north) })).statusCode, 303);
    assert.deepEqual(await confirmation('asker2'), { district_id: d.north, method: 'request' }, 'the registrar’s correction');

    assert.equal((await sendRequest(c.asker3!, { address: 'Far Street 3', districtId: String(d.centre) })).statusCode, 303);
    assert.equal((await c.registrar!.post(`/en/${a.slug}/residence/requests/${(await requestOf('asker3')).id}/approve`, { districtId: '' })).statusCode, 303);
    assert.deepEqual(await confirmation('asker3'), { district_id: null, method: 'request' }, '“not recorded” chosen');
  });

  test('a post without the field keeps the district the resident named (a form of a municipality without districts sends none)', async () => {
    await resident(t.db, 'asker4@example.org', null);
    const asker4 = await t.signedIn('asker4@example.org', 'en');
    ids.asker4 = (await t.db.selectFrom('users').select('id').where('email', '=', 'asker4@example.org').executeTakeFirstOrThrow()).id;
    assert.equal((await sendRequest(asker4, { address: 'Near Street 4', districtId: String(d.north) })).statusCode, 303);
    assert.equal((await c.registrar!.post(`/en/${a.slug}/residence/requests/${(await requestOf('asker4')).id}/approve`)).statusCode, 303);
    assert.equal((await confirmation('asker4'))!.district_id, d.north);
  });
});
