import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import Fastify from 'fastify';
import type { App } from './deps.ts';
import { registerInputRules } from './input.ts';
import { createMunicipality, startTestApp, type TestApp } from '../testing/http.ts';

/** Bad query, path and body input answered in each route's own shape (docs/ARCHITECTURE.md, "Bad input"). */
let t: TestApp;
before(async () => {
  t = await startTestApp();
  await createMunicipality(t.db, { slug: 'zhovkva', enabledModules: ['petitions', 'reports'] });
});
after(() => t?.close());

test('a repeated query parameter is refused on an HTML page that names it, in the visitor\'s language', async () => {
  const res = await t.client().get('/uk/zhovkva/petitions?q=a&q=b');
  assert.equal(res.statusCode, 400);
  assert.match(res.body, /Поле «q» передано кілька разів/);
  const en = await t.client().get('/en/zhovkva/reports?page=1e309');
  assert.equal(en.statusCode, 400);
  assert.match(en.body, /page must be 100000 or less/);
});

test('the JSON API answers { error: { code, message, fields } }', async () => {
  const res = await t.client().get('/api/v1/zhovkva/petitions/1/ledger.json?afterSeq=99999999999999999999999');
  assert.equal(res.statusCode, 400);
  const body = res.json() as { error: { code: string; fields: Record<string, string> } };
  assert.equal(body.error.code, 'invalid_input');
  assert.ok(body.error.fields.afterSeq);
  const bbox = await t.client().get('/api/v1/zhovkva/reports.geojson?bbox=1,2,3,4&bbox=5,6,7,8');
  assert.equal(bbox.statusCode, 400);
  assert.ok((bbox.json() as { error: { fields: Record<string, string> } }).error.fields.bbox);
});

test('Open311 answers its own error list, in JSON or XML as asked', async () => {
  const json = await t.client().get('/open311/v2/requests.json?jurisdiction_id=zhovkva&service_request_id=99999999999999999999');
  assert.equal(json.statusCode, 400);
  const list = json.json() as { code: number; description: string }[];
  assert.equal(list[0]!.code, 400);
  assert.match(list[0]!.description, /service_request_id/);
  const xml = await t.client().get('/open311/v2/requests.xml?jurisdiction_id=zhovkva&status=open&status=closed');
  assert.equal(xml.statusCode, 400);
  assert.match(xml.body, /<errors><error><code>400<\/code><description>&quot;status&quot; was given more than once/);
  const path = await t.client().get('/open311/v2/requests/99999999999999999999.json?jurisdiction_id=zhovkva');
  assert.equal(path.statusCode, 404);
  assert.equal((path.json() as { code: number }[])[0]!.code, 404);
});

test('NUL and other control characters are refused in the path (404), the query and form fields (400)', async () => {
  const c = t.client();
  assert.equal((await c.get('/uk/zhovkva/petitions/1%00')).statusCode, 404);
  assert.equal((await c.get('/files/%00')).statusCode, 404);
  const query = await c.get('/uk/account/sign-in?next=/x%0Aevil');
  assert.equal(query.statusCode, 400);
  assert.match(query.body, /«next»|Return address|Адреса повернення|керівні символи/);
  const form = await c.post('/uk/account/register', { fullName: 'A\u0000B', email: 'a@example.org', password: '0123456789ab' });
  assert.equal(form.statusCode, 400);
  assert.match(form.body, /керівні символи/);
  assert.equal(await t.db.selectFrom('users').select('id').where('email', '=', 'a@example.org').executeTakeFirst(), undefined);
  // A newline in a form's `next` is a field error, not a broken Location header.
  const next = await c.post('/uk/account/sign-in', { email: 'a@example.org', password: 'x', next: '/uk/\r\nSet-Cookie: a=b' });
  assert.equal(next.statusCode, 400);
});

test('every path parameter has a schema: a route without one fails at start', async () => {
  const route = t.built.routes.find((r) => r.url === '/:locale/:municipality/petitions/:number');
  assert.ok((route?.schema?.params as { properties?: Record<string, unknown> } | undefined)?.properties?.number);
  const bare = Fastify() as unknown as App;
  registerInputRules(bare);
  await assert.rejects(async () => {
    bare.get('/x/:undeclared', async () => 'never');
    await bare.ready();
  }, /undeclared need a params schema/);
  await bare.close();
});
