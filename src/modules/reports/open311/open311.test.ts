import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Municipality } from '../../../db/schema.ts';
import { randomToken, tokenHash } from '../../../platform/auth/tokens.ts';
import { startTestApp, type TestApp, type TestClient } from '../../../platform/testing/http.ts';
import { TEST_PASSWORD } from '../../../platform/testing/people.ts';
import { reportCategory, reportTown, resident, ZHOVKVA } from '../testing.ts';
import { insertKey } from './open311.repo.ts';

let t: TestApp;
let town: Municipality;
let api: TestClient;
let key = '';
let revoked = '';
const reports = async () => Number((await t.db.selectFrom('reports').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
const json = (res: { body: string }) => JSON.parse(res.body) as Record<string, unknown>[];
const post = (fields: Record<string, string | string[]>) => api.post('/open311/v2/requests.json', { jurisdiction_id: 'zhovkva', ...fields }, { noCsrf: true });
const good = () => ({ api_key: key, service_code: 'potholes', lat: String(ZHOVKVA.lat), long: String(ZHOVKVA.lng), description: 'Deep pothole in the left lane. Cars swerve around it.', 'attribute[depth]': '12', email: 'caller@example.org', first_name: 'Olena' });

before(async () => {
  t = await startTestApp();
  town = await reportTown(t.db, 'zhovkva');
  await reportTown(t.db, 'sombor', {}, { lat: 45.77, lng: 19.11 });
  await reportCategory(t.db, town, 'potholes', { questions: [
    { key: 'depth', kind: 'number', required: true, labels: { en: 'Depth (cm)', uk: 'Глибина, см' } },
    { key: 'hazards', kind: 'multiple', required: false, labels: { en: 'Hazards' }, options: [{ value: '1', labels: { en: 'Cars' } }, { value: '2', labels: { en: 'Bikes' } }] },
  ] });
  await reportCategory(t.db, town, 'lamps');
  const admin = await resident(t.db, 'admin@example.org', town, { role: 'admin' });
  key = randomToken();
  revoked = randomToken();
  await insertKey(t.db, town.id, 'Call centre', tokenHash(key), admin.id);
  const old = await insertKey(t.db, town.id, 'Old app', tokenHash(revoked), admin.id);
  await t.db.updateTable('open311_keys').set({ revoked_at: new Date() }).where('id', '=', old.id).execute();
  api = t.client('en');
});
after(() => t.close());

describe('discovery and services', () => {
  test('discovery in both formats', async () => {
    const j = JSON.parse((await api.get('/open311/v2/discovery.json')).body) as { endpoints: { specification: string; formats: string[] }[] };
    assert.equal(j.endpoints[0]!.specification, 'http://wiki.open311.org/GeoReport_v2');
    assert.deepEqual(j.endpoints[0]!.formats, ['text/xml', 'application/json']);
    const x = await api.get('/open311/v2/discovery.xml');
    assert.match(String(x.headers['content-type']), /^text\/xml/);
    assert.match(x.body, /<discovery><changeset>[^<]+<\/changeset>.*<endpoints><endpoint><specification>http:\/\/wiki.open311.org\/GeoReport_v2<\/specification>.*<formats><format>text\/xml<\/format><format>application\/json<\/format><\/formats>/s);
  });

  test('services and a service definition, in JSON and XML; jurisdiction_id selects the municipality', async () => {
    const list = json(await api.get('/open311/v2/services.json?jurisdiction_id=zhovkva'));
    assert.deepEqual(list.map((s) => [s.service_code, s.metadata, s.type]), [['potholes', true, 'realtime'], ['lamps', false, 'realtime']]);
    const xml = await api.get('/open311/v2/services.xml?jurisdiction_id=zhovkva');
    assert.match(xml.body, /^<\?xml version="1.0" encoding="utf-8"\?>\n<services><service><service_code>potholes<\/service_code>/);
    const def = JSON.parse((await api.get('/open311/v2/services/potholes.json?jurisdiction_id=zhovkva')).body) as { attributes: Record<string, unknown>[] };
    assert.deepEqual(def.attributes.map((a) => [a.code, a.datatype, a.required, a.order]), [['depth', 'number', true, 1], ['hazards', 'multivaluelist', false, 2]]);
    assert.deepEqual(def.attributes[1]!.values, [{ key: '1', name: 'Cars' }, { key: '2', name: 'Bikes' }]);
    assert.match((await api.get('/open311/v2/services/potholes.xml?jurisdiction_id=zhovkva')).body, /<service_definition><service_code>potholes<\/service_code><attributes><attribute><variable>true<\/variable><code>depth<\/code>/);
    assert.equal(json(await api.get('/open311/v2/services.json?jurisdiction_id=sombor')).length, 0);
  });

  test('errors come in the specification\'s shape and status', async () => {
    const missing = await api.get('/open311/v2/services.json');
    assert.equal(missing.statusCode, 400);
    assert.deepEqual(Object.keys(json(missing)[0]!), ['code', 'description']);
    const unknown = await api.get('/open311/v2/services.xml?jurisdiction_id=atlantis');
    assert.equal(unknown.statusCode, 404);
    assert.match(unknown.body, /<errors><error><code>404<\/code><description>[^<]+<\/description><\/error><\/errors>/);
    assert.equal((await api.get('/open311/v2/services/nope.json?jurisdiction_id=zhovkva')).statusCode, 404);
    assert.equal((await api.get('/open311/v2/services.html?jurisdiction_id=zhovkva')).statusCode, 404);
  });
});

describe('requests', () => {
  test('posting needs a live key of the jurisdiction, a known service, a place inside it and the required attributes; refusals write nothing', async () => {
    const before = await reports();
    for (const [fields, status] of [
      [{ ...good(), api_key: '' }, 403], [{ ...good(), api_key: 'wrong' }, 403], [{ ...good(), api_key: revoked }, 403],
      [{ ...good(), service_code: 'unicorns' }, 400], [{ ...good(), 'attribute[depth]': '' }, 400], [{ ...good(), 'attribute[depth]': 'deep' }, 400],
      [{ ...good(), lat: '45.77', long: '19.11' }, 400], [{ ...good(), lat: 'north' }, 400], [{ ...good(), long: '' }, 400],
    ] as const) {
      const res = await post(fields as Record<string, string>);
      assert.equal(res.statusCode, status, JSON.stringify(fields));
      assert.equal((json(res)[0] as { code: number }).code, status);
    }
    const xml = await api.post('/open311/v2/requests.xml', { ...good(), jurisdiction_id: 'zhovkva', api_key: 'wrong' }, { noCsrf: true });
    assert.match(xml.body, /<errors><error><code>403<\/code>/);
    assert.equal(await reports(), before);
  });

  test('a posted request is created, findable by id, by token and in lists, with its status and notes', async () => {
    const created = await post({ ...good(), 'attribute[hazards][]': ['1', '2'] });
    assert.equal(created.statusCode, 201);
    const { service_request_id: id, token } = (json(created) as { service_request_id: string; token: string }[])[0]!;
    assert.match(id, /^\d+$/);
    const byId = json(await api.get(`/open311/v2/requests/${id}.json?jurisdiction_id=zhovkva`))[0]!;
    assert.equal(byId.status, 'open');
    assert.equal(byId.service_code, 'potholes');
    assert.equal(byId.description, good().description);
    assert.equal(byId.lat, ZHOVKVA.lat);
    assert.ok(byId.expected_datetime);
    const row = await t.db.selectFrom('reports').select(['title', 'answers', 'contact', 'source', 'author_id']).where('number', '=', Number(id)).executeTakeFirstOrThrow();
    assert.deepEqual([row.title, row.answers, row.contact, row.source, row.author_id], ['Deep pothole in the left lane', { depth: 12, hazards: ['1', '2'] }, { first_name: 'Olena', email: 'caller@example.org' }, 'open311', null]);
    assert.match((await api.get(`/open311/v2/requests/${id}.xml?jurisdiction_id=zhovkva`)).body, new RegExp(`<service_requests><request><service_request_id>${id}</service_request_id><status>open</status>`));
    assert.deepEqual(json(await api.get(`/open311/v2/tokens/${token}.json?jurisdiction_id=zhovkva`)), [{ service_request_id: id, token }]);
    assert.equal((await api.get('/open311/v2/tokens/nope.json?jurisdiction_id=zhovkva')).statusCode, 404);
    const address = json(await post({ ...good(), lat: '', long: '', address_string: 'Lvivska 5' }));
    await t.db.updateTable('reports').set({ status: 'fixed' }).where('number', '=', Number((address[0] as { service_request_id: string }).service_request_id)).execute();
    const open = json(await api.get('/open311/v2/requests.json?jurisdiction_id=zhovkva&status=open'));
    assert.ok(open.every((r) => r.status === 'open') && open.some((r) => r.service_request_id === id));
    const closed = json(await api.get('/open311/v2/requests.json?jurisdiction_id=zhovkva&status=closed'));
    assert.deepEqual(closed.map((r) => [r.address, r.lat]), [['Lvivska 5', null]]);
    assert.equal(json(await api.get(`/open311/v2/requests.json?jurisdiction_id=zhovkva&service_request_id=${id},999`)).length, 1);
    assert.equal(json(await api.get('/open311/v2/requests.json?jurisdiction_id=zhovkva&service_code=lamps')).length, 0);
    const future = new Date(Date.now() + 86_400_000).toISOString();
    assert.equal(json(await api.get(`/open311/v2/requests.json?jurisdiction_id=zhovkva&start_date=${future}`)).length, 0);
    assert.equal((await api.get('/open311/v2/requests.json?jurisdiction_id=zhovkva&status=maybe')).statusCode, 400);
    assert.equal((await api.get('/open311/v2/requests.json?jurisdiction_id=zhovkva&start_date=yesterday')).statusCode, 400);
    assert.equal((await api.get('/open311/v2/requests.json?jurisdiction_id=zhovkva&service_request_id=a,b')).statusCode, 400);
    assert.equal((await api.get('/open311/v2/requests/999.xml?jurisdiction_id=zhovkva')).statusCode, 404);
  });
});

describe('GeoJSON', () => {
  test('placed reports as a FeatureCollection, filtered by status and box; bad filters name the field', async () => {
    const all = JSON.parse((await api.get('/api/v1/zhovkva/reports.geojson')).body) as { type: string; features: { geometry: { coordinates: number[] }; properties: { status: string } }[] };
    assert.equal(all.type, 'FeatureCollection');
    assert.ok(all.features.length >= 1);
    assert.deepEqual(all.features[0]!.geometry.coordinates, [ZHOVKVA.lng, ZHOVKVA.lat]);
    const far = JSON.parse((await api.get('/api/v1/zhovkva/reports.geojson?bbox=19,45,19.2,45.9')).body) as { features: unknown[] };
    assert.equal(far.features.length, 0);
    const bad = await api.get('/api/v1/zhovkva/reports.geojson?status=maybe&bbox=1,2,3');
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(Object.keys((JSON.parse(bad.body) as { error: { fields: object } }).error.fields).sort(), ['bbox', 'status']);
    assert.equal((await api.get('/api/v1/atlantis/reports.geojson')).statusCode, 404);
  });
});

describe('keys', () => {
  test('an admin issues a key shown once, which then works, and revokes it; others are refused', async () => {
    const admin = t.client('en');
    await admin.signIn('admin@example.org', TEST_PASSWORD);
    const issued = await admin.post('/en/zhovkva/reports/staff/keys', { name: 'Mobile app' });
    assert.equal(issued.statusCode, 200);
    const fresh = /<code class="hash">([^<]+)<\/code>/.exec(issued.body)![1]!;
    assert.equal((await post({ ...good(), api_key: fresh })).statusCode, 201);
    const row = await t.db.selectFrom('open311_keys').select(['id', 'key_hash']).where('name', '=', 'Mobile app').executeTakeFirstOrThrow();
    assert.notEqual(row.key_hash, fresh, 'only the hash is kept');
    assert.equal((await admin.post('/en/zhovkva/reports/staff/keys', { name: 'x' })).statusCode, 400);
    const official = t.client('en');
    await resident(t.db, 'official@example.org', town, { role: 'official' });
    await official.signIn('official@example.org', TEST_PASSWORD);
    assert.equal((await official.post(`/en/zhovkva/reports/staff/keys/${row.id}/revoke`)).statusCode, 403);
    assert.equal((await official.post('/en/zhovkva/reports/staff/keys', { name: 'Sneaky' })).statusCode, 403);
    assert.match(String((await t.client('en').post('/en/zhovkva/reports/staff/keys', { name: 'Guest' })).headers.location), /sign-in/);
    assert.equal((await admin.post(`/en/zhovkva/reports/staff/keys/${row.id}/revoke`)).statusCode, 303);
    assert.equal((await post({ ...good(), api_key: fresh })).statusCode, 403);
    assert.equal(Number((await t.db.selectFrom('open311_keys').select((eb) => eb.fn.countAll<number>().as('n')).where('name', '=', 'Sneaky').executeTakeFirstOrThrow()).n), 0);
  });
});
