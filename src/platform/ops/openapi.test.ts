import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { randomToken, tokenHash } from '../auth/tokens.ts';
import { startTestApp, type TestApp } from '../testing/http.ts';
import { openPetition, petitionTown, resident, serviceDeps } from '../../modules/petitions/testing.ts';
import { sealPending, signPetition } from '../../modules/petitions/signature.service.ts';
import { reportCategory, reportTown, ZHOVKVA } from '../../modules/reports/testing.ts';
import { insertKey } from '../../modules/reports/open311/open311.repo.ts';
import { witnessCases, witnessEnv } from '../ledger/witness/openapi.testing.ts';
import { pbCases, seedPbApi } from '../../modules/participatory-budget/openapi.testing.ts';
import { answerProblems, openApiProblems, operationFor, operations, type OpenApiDoc } from './openapi.testing.ts';

// The OpenAPI document as a client generator reads it, and real answers, success and error, of every
// operation it documents, held to what it says of them.
let t: TestApp;
let doc: OpenApiDoc;
let petition = 0;
let key = '';
let pbCycle = 0;

before(async () => {
  t = await startTestApp(witnessEnv);
  const lviv = await petitionTown(t.db, 'lviv');
  const author = await resident(t.db, 'author@example.org', lviv);
  const moderator = await resident(t.db, 'moderator@example.org', lviv, { role: 'moderator' });
  const p = await openPetition(t.db, lviv, author.current, moderator.id);
  petition = p.number;
  const deps = serviceDeps(t.db);
  for (const i of [1, 2]) await signPetition(deps, (await resident(t.db, `s${i}@example.org`, lviv)).current, lviv, p, `203.0.113.${i}`);
  await sealPending(deps);
  // Two municipalities serve reports, so Open311 needs jurisdiction_id (and a request without one is a 400).
  const zhovkva = await reportTown(t.db, 'zhovkva');
  await reportTown(t.db, 'sombor', {}, { lat: 45.77, lng: 19.11 });
  await reportCategory(t.db, zhovkva, 'potholes');
  key = randomToken();
  await insertKey(t.db, zhovkva.id, 'Tests', tokenHash(key), author.id);
  pbCycle = await seedPbApi(t.db, 'klodzko');
  doc = JSON.parse((await t.client('en').get('/api/openapi.json')).body) as OpenApiDoc;
});
after(() => t.close());

type Case = { method?: 'GET' | 'POST'; url: string | (() => string); form?: Record<string, string>; text?: () => Promise<string>; status: number };
const j = 'jurisdiction_id=zhovkva';
const filing = () => ({ jurisdiction_id: 'zhovkva', api_key: key, service_code: 'potholes', lat: String(ZHOVKVA.lat), long: String(ZHOVKVA.lng), description: 'A pothole.' });
let token = '';
let filed = '';

/** At least one real request for every status every operation documents (5XX aside). */
const cases = (): Case[] => [
  { url: '/api/v1/municipalities', status: 200 },
  { url: '/api/v1/lviv/petitions?perPage=1', status: 200 }, { url: '/api/v1/lviv/petitions?perPage=500', status: 400 }, { url: '/api/v1/nowhere/petitions', status: 404 },
  { url: `/api/v1/lviv/petitions/${petition}`, status: 200 }, { url: '/api/v1/lviv/petitions/abc', status: 404 }, { url: '/api/v1/lviv/petitions/9999', status: 404 },
  { url: `/api/v1/lviv/petitions/${petition}/count`, status: 200 }, { url: '/api/v1/lviv/petitions/0/count', status: 404 }, { url: '/api/v1/lviv/petitions/9999/count', status: 404 },
  { url: `/api/v1/lviv/petitions/${petition}/ledger.json?limit=1`, status: 200 }, { url: `/api/v1/lviv/petitions/${petition}/ledger.json?limit=0`, status: 400 }, { url: '/api/v1/zhovkva/petitions/1/ledger.json', status: 404 },
  { url: `/api/v1/lviv/petitions/${petition}/ledger.csv`, status: 200 }, { url: `/api/v1/lviv/petitions/${petition}/ledger.csv?afterSeq=-1`, status: 400 }, { url: '/api/v1/lviv/petitions/9999/ledger.csv', status: 404 },
  ...ledgerCases(),
  ...witnessCases(t, `/api/v1/lviv/ledger/petition:${petition}`),
  ...pbCases('klodzko', pbCycle, 'lviv'),
  { url: '/api/v1/zhovkva/reports.geojson', status: 200 }, { url: '/api/v1/zhovkva/reports.geojson?bbox=1,2', status: 400 }, { url: '/api/v1/lviv/reports.geojson', status: 404 },
  { url: `/open311/v2/discovery.json?${j}`, status: 200 }, { url: '/open311/v2/discovery.xml', status: 200 }, { url: '/open311/v2/discovery.json?jurisdiction_id=atlantis', status: 404 },
  { url: `/open311/v2/services.json?${j}`, status: 200 }, { url: `/open311/v2/services.xml?${j}`, status: 200 }, { url: '/open311/v2/services.json', status: 400 }, { url: `/open311/v2/services.html?${j}`, status: 404 },
  { url: `/open311/v2/services/potholes.json?${j}`, status: 200 }, { url: '/open311/v2/services/potholes.xml', status: 400 }, { url: `/open311/v2/services/unicorns.json?${j}`, status: 404 },
  { method: 'POST', url: '/open311/v2/requests.json', form: filing(), status: 201 }, { method: 'POST', url: '/open311/v2/requests.xml', form: filing(), status: 201 },
  { method: 'POST', url: '/open311/v2/requests.json', form: { ...filing(), email: 'nope' }, status: 400 }, { method: 'POST', url: '/open311/v2/requests.json', form: { ...filing(), api_key: 'wrong' }, status: 403 },
  { method: 'POST', url: '/open311/v2/requests.json', form: { ...filing(), jurisdiction_id: 'atlantis' }, status: 404 },
  { url: `/open311/v2/requests.json?${j}&status=open`, status: 200 }, { url: `/open311/v2/requests.json?${j}&start_date=yesterday`, status: 400 }, { url: '/open311/v2/requests.json?jurisdiction_id=atlantis', status: 404 },
  { url: () => `/open311/v2/requests/${filed}.json?${j}`, status: 200 }, { url: () => `/open311/v2/requests/${filed}.json`, status: 400 }, { url: `/open311/v2/requests/9999.json?${j}`, status: 404 },
  { url: () => `/open311/v2/tokens/${token}.json?${j}`, status: 200 }, { url: () => `/open311/v2/tokens/${token}.xml`, status: 400 }, { url: `/open311/v2/tokens/nope.json?${j}`, status: 404 },
];

/** The platform's ledger routes, on the petition's chain (two entries, one checkpoint). */
function ledgerCases(): Case[] {
  const b = `/api/v1/lviv/ledger/petition:${petition}`;
  return [
    ...['json', 'csv'].flatMap((ext) => [
      { url: `${b}/entries.${ext}`, status: 200 }, { url: `${b}/entries.${ext}?limit=0`, status: 400 }, { url: `/api/v1/lviv/ledger/petition:9999/entries.${ext}`, status: 404 },
    ]),
    { url: `${b}/checkpoint`, status: 200 }, { url: '/api/v1/lviv/ledger/budget:2027/checkpoint', status: 404 },
    { url: `${b}/checkpoints/2`, status: 200 }, { url: `${b}/checkpoints/3`, status: 404 },
    { url: `${b}/checkpoints`, status: 200 }, { url: `${b}/checkpoints?limit=1000`, status: 400 }, { url: '/api/v1/lviv/ledger/petition:9999/checkpoints', status: 404 },
    { url: `${b}/checkpoints.atom`, status: 200 }, { url: `${b}/checkpoints.atom?beforeSize=0`, status: 400 }, { url: '/api/v1/lviv/ledger/petition:9999/checkpoints.atom', status: 404 },
    { url: `${b}/proof/inclusion?seq=1`, status: 200 }, { url: `${b}/proof/inclusion?seq=3`, status: 400 }, { url: `${b}/proof/inclusion?seq=1&size=3`, status: 404 },
    { url: `${b}/proof/consistency?from=1`, status: 200 }, { url: `${b}/proof/consistency?from=x`, status: 400 }, { url: `${b}/proof/consistency?from=1&to=3`, status: 404 },
    { url: '/.well-known/hromada-ledger-keys.json', status: 200 },
    { url: '/api/v1/ledger/heads', status: 200 }, { url: '/api/v1/ledger/heads?after=nonsense', status: 400 },
  ];
}

describe('the OpenAPI document', () => {
  test('is a well-formed OpenAPI 3.1 document whose schemas are JSON Schema 2020-12', () => {
    assert.deepEqual(openApiProblems(doc), []);
  });

  test('marks no parameter with a default as required, and every operation documents its errors in its own shape', () => {
    const perPage = doc.paths['/api/v1/{municipality}/petitions']!.get!.parameters!.find((p) => p.name === 'perPage')!;
    assert.equal(perPage.required, false);
    assert.equal(perPage.schema.default, 20);
    for (const [method, path, op] of operations(doc)) {
      const errors = Object.entries(op.responses).filter(([s]) => /^4/.test(s));
      if (path === '/api/v1/municipalities' || path.startsWith('/.well-known/')) continue;
      assert.ok(errors.length > 0, `${method} ${path}`);
      for (const [status, r] of errors) {
        const shape = JSON.stringify(r.content?.['application/json']?.schema);
        assert.match(shape, path.startsWith('/open311/') ? /"description"/ : /"error".*"code".*"message".*"fields"/, `${method} ${path} ${status}`);
      }
    }
    assert.ok(doc.paths['/api/v1/{municipality}/petitions/{number}/ledger.csv']!.get!.responses['200']!.content!['text/csv']);
    assert.ok(doc.paths['/api/v1/{municipality}/reports.geojson']!.get!.responses['200']!.content!['application/geo+json']);
  });

  test('real answers of every documented operation, success and error, match what it documents', async () => {
    const c = t.client('en');
    const met = new Set<string>();
    const problems: string[] = [];
    for (const k of cases()) {
      const url = typeof k.url === 'function' ? k.url() : k.url;
      const res = k.text ? await c.request('POST', url, { payload: await k.text(), headers: { 'content-type': 'text/plain; charset=utf-8' } })
        : k.method === 'POST' ? await c.post(url, k.form ?? {}, { noCsrf: true }) : await c.get(url);
      assert.equal(res.statusCode, k.status, `${k.method ?? 'GET'} ${url}: ${res.body.slice(0, 300)}`);
      if (res.statusCode === 201 && url.endsWith('.json')) ({ service_request_id: filed, token } = (JSON.parse(res.body) as { service_request_id: string; token: string }[])[0]!);
      const problem = answerProblems(doc, k.method ?? 'GET', url, res);
      if (problem) problems.push(problem);
      const found = operationFor(doc, k.method ?? 'GET', url);
      if (found) met.add(`${k.method ?? 'GET'} ${found.path} ${res.statusCode}`);
    }
    assert.deepEqual(problems, []);
    const documented = operations(doc).flatMap(([m, path, op]) => Object.keys(op.responses).filter((s) => !s.endsWith('XX')).map((s) => `${m.toUpperCase()} ${path} ${s}`));
    assert.deepEqual(documented.filter((d) => !met.has(d)), [], 'every documented answer is met by a real request');
  });
});
