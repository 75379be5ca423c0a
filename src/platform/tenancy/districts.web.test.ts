import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Municipality } from '../../db/schema.ts';
import { createMunicipality, createUser, multipartForm, startTestApp, type TestApp, type TestClient } from '../testing/http.ts';
import { parseDistricts } from './districts.parse.ts';
import { districtAt } from './districts.repo.ts';

let t: TestApp;
let a: Municipality;
let b: Municipality;
const c: Record<string, TestClient> = {};

/** A square district around (lng, lat), `d` degrees wide. */
const square = (name: Record<string, string>, lng: number, lat: number, d = 0.01) => ({
  type: 'Feature', properties: name,
  geometry: { type: 'Polygon', coordinates: [[[lng, lat], [lng + d, lat], [lng + d, lat + d], [lng, lat + d], [lng, lat]]] },
});
const collection = (...features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });
const upload = (client: TestClient, slug: string, text: string, csrf?: string) =>
  client.request('POST', `/en/${slug}/admin/districts`, multipartForm({ _csrf: csrf ?? client.csrfToken ?? '' }, { field: 'file', name: 'districts.geojson', data: Buffer.from(text) }));
const count = async (table: 'districts' | 'district_parts' | 'audit_log') => Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

before(async () => {
  t = await startTestApp();
  a = await createMunicipality(t.db, { slug: 'zhovkva' });
  b = await createMunicipality(t.db, { slug: 'vlasotince' });
  await createUser(t.db, { email: 'admin-a@example.org', password: 'admin a password', roles: [{ municipalityId: a.id, role: 'admin' }] });
  await createUser(t.db, { email: 'official-a@example.org', password: 'official password', roles: [{ municipalityId: a.id, role: 'official' }] });
  for (const [who, email, password] of [['admin', 'admin-a@example.org', 'admin a password'], ['official', 'official-a@example.org', 'official password']] as const) {
    c[who] = t.client('en');
    await c[who]!.signIn(email, password);
  }
});
after(() => t.close());

describe('reading districts from GeoJSON', () => {
  test('names come from OpenStreetMap tags, slugs from slug/ref or the name; holes are left out', () => {
    const r = parseDistricts(collection(
      square({ name: 'Центральний район', 'name:en': 'Central' } as never, 24, 50),
      { ...square({ name: 'Село Мацошин', ref: 'MATSOSHYN' } as never, 24.1, 50), geometry: { type: 'MultiPolygon', coordinates: [square({}, 24.1, 50).geometry.coordinates, square({}, 24.2, 50).geometry.coordinates] } },
    ), 'uk');
    assert.ok(r.ok);
    assert.deepEqual(r.districts.map((d) => d.slug), ['central', 'matsoshyn']);
    assert.deepEqual(r.districts[0]!.names, { uk: 'Центральний район', en: 'Central' });
    assert.equal(r.districts[1]!.rings.length, 2);
  });

  test('each fault is named, with the district it is in', () => {
    const problem = (text: string) => { const r = parseDistricts(text, 'uk'); return r.ok ? null : r; };
    assert.deepEqual(problem('{not json'), { ok: false, problem: 'json' });
    assert.deepEqual(problem('{"type":"Feature"}'), { ok: false, problem: 'collection' });
    assert.deepEqual(problem(collection()), { ok: false, problem: 'empty' });
    assert.deepEqual(problem(collection(square({ name: 'A' }, 24, 50), { ...square({ name: 'B' }, 24, 50), geometry: { type: 'Point', coordinates: [24, 50] } })), { ok: false, problem: 'geometry', feature: 2 });
    assert.deepEqual(problem(collection(square({}, 24, 50))), { ok: false, problem: 'name', feature: 1 });
    assert.deepEqual(problem(collection({ ...square({ name: 'A' }, 24, 50), geometry: { type: 'Polygon', coordinates: [[[24, 50], [240, 50], [24, 51], [24, 50]]] } })), { ok: false, problem: 'ring', feature: 1 });
    assert.deepEqual(problem(collection(square({ name: 'Same' }, 24, 50), square({ name: 'Same' }, 25, 50))), { ok: false, problem: 'duplicate', feature: 2 });
  });
});

describe('the districts page', () => {
  test('an admin imports districts; a place is found in its district; importing again redraws by slug', async () => {
    await c.admin!.get('/en/zhovkva/admin/districts');
    const res = await upload(c.admin!, 'zhovkva', collection(square({ name: 'Центр', 'name:en': 'Centre' }, 23.97, 50.05), square({ name: 'Мацошин', 'name:en': 'Matsoshyn' }, 24.0, 50.1)));
    assert.equal(res.statusCode, 303);
    const page = await c.admin!.follow(res);
    assert.match(page.body, /2 added, 0 redrawn/);
    assert.match(page.body, /Matsoshyn/);
    assert.equal((await districtAt(t.db, a.id, { lat: 50.055, lng: 23.975 }))?.names.en, 'Centre');
    assert.equal(await districtAt(t.db, a.id, { lat: 50.2, lng: 23.975 }), undefined);
    assert.equal(await districtAt(t.db, b.id, { lat: 50.055, lng: 23.975 }), undefined, 'districts belong to their municipality');
    await c.admin!.get('/en/zhovkva/admin/districts');
    const again = await upload(c.admin!, 'zhovkva', collection(square({ name: 'Центр', 'name:en': 'Centre' }, 23.90, 50.05)));
    assert.match((await c.admin!.follow(again)).body, /0 added, 1 redrawn/);
    assert.equal(await districtAt(t.db, a.id, { lat: 50.055, lng: 23.975 }), undefined, 'the old shape is gone');
    assert.equal(await count('districts'), 2, 'a district the file leaves out stays');
    const audit = await t.db.selectFrom('audit_log').select('action').where('action', 'like', 'district.%').execute();
    assert.equal(audit.length, 2);
  });

  test('a bad file is named on the form, in the reader’s language, and changes nothing', async () => {
    const before = await Promise.all([count('districts'), count('district_parts')]);
    const uk = t.client('uk');
    await uk.signIn('admin-a@example.org', 'admin a password');
    await uk.get('/uk/zhovkva/admin/districts');
    const res = await uk.request('POST', '/uk/zhovkva/admin/districts', multipartForm({ _csrf: uk.csrfToken! }, { field: 'file', name: 'x.geojson', data: Buffer.from(collection(square({}, 24, 50))) }));
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /href="#f-file"/);
    assert.match(res.body, /Район 1 у файлі не має назви/);
    const empty = await uk.request('POST', '/uk/zhovkva/admin/districts', multipartForm({ _csrf: uk.csrfToken! }, { field: 'file', name: '', data: Buffer.alloc(0) }));
    assert.equal(empty.statusCode, 400);
    assert.deepEqual(await Promise.all([count('districts'), count('district_parts')]), before);
  });

  test('officials, other municipalities’ admins, visitors and forged forms change nothing', async () => {
    const before = await Promise.all([count('districts'), count('audit_log')]);
    await c.official!.get('/en/zhovkva/reports');
    assert.equal((await upload(c.official!, 'zhovkva', collection(square({ name: 'X' }, 24, 50)))).statusCode, 403);
    assert.equal((await upload(c.admin!, 'vlasotince', collection(square({ name: 'X' }, 24, 50)))).statusCode, 403);
    assert.equal((await upload(c.admin!, 'zhovkva', collection(square({ name: 'X' }, 24, 50)), 'forged')).statusCode, 403);
    const visitor = t.client('en');
    await visitor.get('/en/account/sign-in');
    assert.equal((await upload(visitor, 'zhovkva', collection(square({ name: 'X' }, 24, 50)))).statusCode, 303);
    const id = (await t.db.selectFrom('districts').select('id').where('municipality_id', '=', a.id).executeTakeFirstOrThrow()).id;
    assert.equal((await c.official!.post(`/en/zhovkva/admin/districts/${id}/delete`)).statusCode, 403);
    assert.equal((await c.admin!.post(`/en/vlasotince/admin/districts/${id}/delete`)).statusCode, 403);
    assert.deepEqual(await Promise.all([count('districts'), count('audit_log')]), before);
    assert.equal((await c.official!.get('/en/zhovkva/admin/districts')).statusCode, 403);
  });

  test('an admin deletes a district; an unknown one is said so', async () => {
    const id = (await t.db.selectFrom('districts').select('id').where('municipality_id', '=', a.id).orderBy('slug').executeTakeFirstOrThrow()).id;
    const res = await c.admin!.post(`/en/zhovkva/admin/districts/${id}/delete`);
    assert.match((await c.admin!.follow(res)).body, /The district was deleted/);
    assert.match((await c.admin!.follow(await c.admin!.post(`/en/zhovkva/admin/districts/${id}/delete`))).body, /There is no such district/);
    assert.equal(await count('districts'), 1);
  });
});
