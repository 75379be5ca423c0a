import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TSchema } from 'typebox';
import type { Municipality } from '../../../db/schema.ts';
import { randomToken, tokenHash } from '../../../platform/auth/tokens.ts';
import { startTestApp, type TestApp, type TestClient } from '../../../platform/testing/http.ts';
import { TEST_PASSWORD } from '../../../platform/testing/people.ts';
import { reportCategory, reportTown, resident, ZHOVKVA } from '../testing.ts';
import { insertKey } from './open311.repo.ts';
import { Discovery, Open311Errors, PostedRequests, ServiceDefinition, ServiceRequests, Services, TokenRequests } from './open311.schemas.ts';
import { jsonSchemaProblems, readOpen311Xml, xmlForm } from './testing.ts';

// GeoReport v2 as the specification states it: limits, errors, dates, discovery, languages, and every
// answer held to the specification's schemas in JSON and in XML.
let t: TestApp;
let town: Municipality;
let api: TestClient;
let key = '';
const BASE = 'https://hromada.example';
const spec = { problems: (schema: TSchema | object, value: unknown) => jsonSchemaProblems(schema, value) };
const count = async () => Number((await t.db.selectFrom('reports').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
const body = (res: { body: string }) => JSON.parse(res.body) as Record<string, unknown>[];
const post = (fields: Record<string, string>) => api.post('/open311/v2/requests.json', { jurisdiction_id: 'zhovkva', ...fields }, { noCsrf: true });
const good = () => ({ api_key: key, service_code: 'potholes', lat: String(ZHOVKVA.lat), long: String(ZHOVKVA.lng), description: 'A deep pothole in the left lane.', 'attribute[depth]': '12' });

/** Asserts a 400 in the specification's error shape whose description names `field`, and that nothing was filed. */
async function refused(res: { statusCode: number; body: string }, field: RegExp, before: number) {
  assert.equal(res.statusCode, 400, res.body);
  assert.equal(spec.problems(Open311Errors, JSON.parse(res.body)), '');
  assert.match(String(body(res)[0]!.description), field);
  assert.equal(await count(), before);
}

/** Fetches one resource as JSON and as XML and holds both to `schema`; returns the JSON. */
async function conforming(path: string, schema: TSchema, root: string, headers: Record<string, string> = {}) {
  const [json, xml] = await Promise.all(['json', 'xml'].map((f) => api.get(path.replace('{format}', f), headers)));
  assert.equal(json!.statusCode, 200, `${path} ${json!.body}`);
  assert.match(String(json!.headers['content-type']), /^application\/json; charset=utf-8/);
  assert.match(String(xml!.headers['content-type']), /^text\/xml; charset=utf-8/);
  const value = JSON.parse(json!.body) as unknown;
  assert.equal(spec.problems(schema, value), '', `${path} (JSON)`);
  const read = readOpen311Xml(xml!.body);
  assert.equal(read.root, root, `${path} (XML root)`);
  assert.equal(spec.problems(xmlForm(schema) as object, read.value), '', `${path} (XML)`);
  return value;
}

before(async () => {
  t = await startTestApp({ BASE_URL: BASE });
  town = await reportTown(t.db, 'zhovkva');
  const potholes = await reportCategory(t.db, town, 'potholes', { questions: [
    { key: 'depth', kind: 'number', required: true, labels: { uk: 'Глибина, см', en: 'Depth (cm)', pl: 'Głębokość (cm)' } },
    { key: 'hazards', kind: 'multiple', required: false, labels: { uk: 'Небезпеки', en: 'Hazards' }, options: [{ value: '1', labels: { uk: 'Авто', en: 'Cars' } }] },
  ] });
  await t.db.updateTable('report_categories').set({ names: JSON.stringify({ uk: 'Вибоїни', en: 'Potholes', pl: 'Dziury' }) }).where('id', '=', potholes.id).execute();
  const admin = await resident(t.db, 'admin@example.org', town, { role: 'admin' });
  key = randomToken();
  await insertKey(t.db, town.id, 'Call centre', tokenHash(key), admin.id);
  api = t.client('en');
});
after(() => t.close());

describe('descriptions are held to the specification\'s 4,000 characters', () => {
  test('POST takes 4,000 and refuses 4,001 in the error shape; the HTML form the same, naming the field', async () => {
    let before = await count();
    assert.equal((await post({ ...good(), description: 'я'.repeat(4000) })).statusCode, 201);
    before += 1;
    await refused(await post({ ...good(), description: 'я'.repeat(4001) }), /description.*4000/, before);
    await resident(t.db, 'olena@example.org', town);
    const web = t.client('en');
    await web.signIn('olena@example.org', TEST_PASSWORD);
    const form = { category: 'potholes', title: 'Pothole on Lvivska', lat: String(ZHOVKVA.lat), lng: String(ZHOVKVA.lng), q_depth: '10', confirmNew: 'yes' };
    const long = await web.post('/en/zhovkva/reports/new', { ...form, description: 'x'.repeat(4001) });
    assert.equal(long.statusCode, 400);
    assert.match(long.body, /Description[^<]*4,000 characters or fewer/);
    assert.match(long.body, /maxlength="4000"/);
    assert.equal(await count(), before);
    assert.equal((await web.post('/en/zhovkva/reports/new', { ...form, description: 'x'.repeat(4000) })).statusCode, 303);
  });

  test('an older report with a longer description is published cut to 4,000, and its lists conform', async () => {
    const created = body(await post(good()))[0]!.service_request_id as string;
    await t.db.updateTable('reports').set({ description: 'ж'.repeat(5000) }).where('number', '=', Number(created)).execute();
    const one = await conforming(`/open311/v2/requests/${created}.{format}?jurisdiction_id=zhovkva`, ServiceRequests, 'service_requests') as { description: string }[];
    assert.equal(Array.from(one[0]!.description).length, 4000);
    assert.ok(one[0]!.description.endsWith('…'));
    await conforming('/open311/v2/requests.{format}?jurisdiction_id=zhovkva', ServiceRequests, 'service_requests');
  });
});

describe('errors, dates and filters', () => {
  test('an unknown or missing format answers the specification\'s error shape', async () => {
    for (const path of ['/open311/v2/services.html?jurisdiction_id=zhovkva', '/open311/v2/requests?jurisdiction_id=zhovkva', '/open311/v2/discovery.txt', '/open311/v2/services/potholes.yaml?jurisdiction_id=zhovkva', '/open311/v2/requests/1.csv?jurisdiction_id=zhovkva']) {
      const res = await api.get(path);
      assert.equal(res.statusCode, 404, path);
      assert.equal(spec.problems(Open311Errors, JSON.parse(res.body)), '', path);
      assert.equal(body(res)[0]!.code, 404);
    }
  });

  test('dates that are not W3C date-times with a time zone (or days) are refused; good ones filter', async () => {
    for (const bad of ['1', 'yesterday', 'March 7', '2026-02-31', '2026-12-02T10:00:00', '2026-12-02T25:00Z', '02.12.2026']) {
      for (const param of ['start_date', 'end_date']) {
        const res = await api.get(`/open311/v2/requests.xml?jurisdiction_id=zhovkva&${param}=${encodeURIComponent(bad)}`);
        assert.equal(res.statusCode, 400, `${param}=${bad}`);
        assert.match(res.body, /<errors><error><code>400<\/code><description>start_date and end_date must be W3C/);
      }
    }
    const today = new Date().toISOString().slice(0, 10);
    const listed = (q: string) => api.get(`/open311/v2/requests.json?jurisdiction_id=zhovkva&${q}`).then((r) => body(r).length);
    assert.ok(await listed(`start_date=${today}&end_date=${today}`) > 0, 'a day as the end includes that day');
    assert.ok(await listed(`start_date=${encodeURIComponent('2020-01-01T00:00:00+02:00')}`) > 0);
    assert.equal(await listed('end_date=2020-01-01T00:00:00Z'), 0);
  });

  test('an unknown service_code in the filter answers 400, a known one filters', async () => {
    const res = await api.get('/open311/v2/requests.json?jurisdiction_id=zhovkva&service_code=unicorns');
    assert.equal(res.statusCode, 400);
    assert.match(String(body(res)[0]!.description), /service_code/);
    assert.ok(body(await api.get('/open311/v2/requests.json?jurisdiction_id=zhovkva&service_code=potholes')).length > 0);
  });

  test('contact fields are limited and the e-mail checked, in the error shape; nothing is filed', async () => {
    const before = await count();
    for (const [field, value, pattern] of [
      ['first_name', 'O'.repeat(100_000), /first_name.*100/], ['last_name', 'K'.repeat(101), /last_name.*100/],
      ['phone', '1'.repeat(100_000), /phone.*40/], ['email', 'not-an-address', /email/], ['email', `${'a'.repeat(250)}@example.org`, /email.*254/],
      ['device_id', 'd'.repeat(201), /device_id/], ['account_id', 'a'.repeat(201), /account_id/],
    ] as const) {
      await refused(await post({ ...good(), [field]: value }), pattern, before);
    }
    const ok = await post({ ...good(), first_name: 'Olena', last_name: 'Koval', phone: '+380 67 123 45 67', email: 'olena@example.org' });
    assert.equal(ok.statusCode, 201);
    const row = await t.db.selectFrom('reports').select('contact').where('number', '=', Number(body(ok)[0]!.service_request_id)).executeTakeFirstOrThrow();
    assert.deepEqual(row.contact, { email: 'olena@example.org', first_name: 'Olena', last_name: 'Koval', phone: '+380 67 123 45 67' });
  });
});

describe('discovery and languages', () => {
  test('key_service is the absolute address of the page where the municipality issues keys', async () => {
    const d = await conforming('/open311/v2/discovery.{format}?jurisdiction_id=zhovkva&locale=en', Discovery, 'discovery') as { key_service: string };
    assert.equal(d.key_service, `${BASE}/en/zhovkva/reports/staff/keys`);
    const admin = t.client('en');
    await admin.signIn('admin@example.org', TEST_PASSWORD);
    assert.equal((await admin.get(new URL(d.key_service).pathname)).statusCode, 200, 'the page exists and issues keys');
    const own = body(await api.get('/open311/v2/discovery.json')) as unknown as { key_service: string };
    assert.equal(own.key_service, `${BASE}/uk/zhovkva/reports/staff/keys`, 'the only municipality, in its own language');
    assert.equal((await api.get('/open311/v2/discovery.json?jurisdiction_id=atlantis')).statusCode, 404);
  });

  test('names come in the language asked for by locale, lang or Accept-Language, else the municipality\'s', async () => {
    const names = async (path: string, headers: Record<string, string> = {}) => {
      const services = await conforming(`/open311/v2/services.{format}?jurisdiction_id=zhovkva${path}`, Services, 'services', headers) as { service_name: string }[];
      const def = await conforming(`/open311/v2/services/potholes.{format}?jurisdiction_id=zhovkva${path}`, ServiceDefinition, 'service_definition', headers) as { attributes: { description: string }[] };
      const requests = await conforming(`/open311/v2/requests.{format}?jurisdiction_id=zhovkva${path}`, ServiceRequests, 'service_requests', headers) as { service_name: string }[];
      return [services[0]!.service_name, def.attributes[0]!.description, requests[0]!.service_name];
    };
    assert.deepEqual(await names(''), ['Вибоїни', 'Глибина, см', 'Вибоїни']);
    assert.deepEqual(await names('&locale=en'), ['Potholes', 'Depth (cm)', 'Potholes']);
    assert.deepEqual(await names('&lang=pl-PL'), ['Dziury', 'Głębokość (cm)', 'Dziury']);
    assert.deepEqual(await names('', { 'accept-language': 'en-GB,en;q=0.8' }), ['Potholes', 'Depth (cm)', 'Potholes']);
    assert.deepEqual(await names('&locale=xx', { 'accept-language': 'de' }), ['Вибоїни', 'Глибина, см', 'Вибоїни'], 'unknown languages fall back to the municipality\'s');
  });

  test('POST answers and tokens conform in both formats', async () => {
    for (const format of ['json', 'xml'] as const) {
      const res = await api.post(`/open311/v2/requests.${format}`, { jurisdiction_id: 'zhovkva', ...good() }, { noCsrf: true });
      assert.equal(res.statusCode, 201);
      const value = format === 'json' ? JSON.parse(res.body) as unknown : readOpen311Xml(res.body).value;
      assert.equal(spec.problems(format === 'json' ? PostedRequests : xmlForm(PostedRequests) as object, value), '', format);
      const token = (value as { token: string }[])[0]!.token;
      await conforming(`/open311/v2/tokens/${token}.{format}?jurisdiction_id=zhovkva`, TokenRequests, 'service_requests');
    }
    const refusedXml = await api.post('/open311/v2/requests.xml', { jurisdiction_id: 'zhovkva', ...good(), api_key: 'wrong' }, { noCsrf: true });
    const read = readOpen311Xml(refusedXml.body);
    assert.equal(read.root, 'errors');
    assert.equal(spec.problems(xmlForm(Open311Errors) as object, read.value), '');
  });
});
