import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { enqueue } from '../jobs/queue.ts';
import { createMunicipality, startTestApp, type TestApp } from '../testing/http.ts';

const PAGE_BUDGET_BYTES = 100 * 1024;

describe('operations endpoints and cross-cutting HTTP behaviour', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
    await createMunicipality(t.db, { slug: 'lviv', names: { uk: 'Львів', en: 'Lviv', pl: 'Lwów' } });
  });
  after(() => t?.close());

  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

  test('/healthz answers without touching anything', async () => {
    const res = await get('/healthz');
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json(), { status: 'ok' });
  });

  test('/readyz checks the database and names it', async () => {
    const res = await get('/readyz');
    assert.equal(res.statusCode, 200);
    const expected = (process.env.TEST_DB ?? 'pglite') === 'postgres' ? 'postgres' : 'pglite';
    assert.deepEqual(res.json(), { status: 'ready', database: expected });
  });

  test('/metrics is Prometheus text with request durations and jobs by state', async () => {
    await enqueue(t.db, 'test.metrics', {});
    await enqueue(t.db, 'test.metrics', {});
    await enqueue(t.db, 'test.metrics-dead', {}, { maxAttempts: 1 });
    await t.built.worker.tick(); // no handlers for these kinds: the first two are retried later, the last dies
    await get('/healthz');
    const res = await get('/metrics');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    const text = res.body;
    assert.match(text, /^# TYPE hromada_http_request_duration_seconds histogram$/m);
    assert.match(text, /^hromada_http_request_duration_seconds_bucket\{le="0\.005",method="GET",route="\/healthz",status="200"\} \d+$/m);
    assert.match(text, /^hromada_http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} [1-9]\d*$/m);
    assert.match(text, /^# TYPE hromada_jobs gauge$/m);
    assert.match(text, /^hromada_jobs\{state="queued"\} 2$/m);
    assert.match(text, /^hromada_jobs\{state="dead"\} 1$/m);
    assert.match(text, /^process_cpu_seconds_total /m, 'default process metrics too');
  });

  test('/api/openapi.json is OpenAPI 3.1 with the JSON API (and Open311) and no HTML routes', async () => {
    const res = await get('/api/openapi.json');
    assert.equal(res.statusCode, 200);
    const doc = res.json() as { openapi: string; info: { title: string }; paths: Record<string, Record<string, unknown>> };
    assert.equal(doc.openapi, '3.1.0');
    assert.ok(doc.info.title);
    assert.ok(doc.paths['/api/v1/municipalities']?.get, 'GET /api/v1/municipalities is documented');
    const paths = Object.keys(doc.paths);
    assert.deepEqual(paths.filter((p) => !p.startsWith('/api/v1/') && !p.startsWith('/open311/v2/') && p !== '/.well-known/hromada-ledger-keys.json'), [], 'nothing but /api/v1, Open311 and the ledger keys');
    assert.ok(!paths.some((p) => p.includes('{locale}')));
  });

  test('/api/docs answers with the API documentation', async () => {
    let res = await get('/api/docs');
    for (let hops = 0; hops < 3 && res.statusCode >= 300 && res.statusCode < 400; hops++) {
      res = await get(new URL(String(res.headers.location), 'http://localhost/api/docs').pathname);
    }
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/html/);
    assert.match(res.body, /swagger/i);
  });

  test('an unknown /api/v1 path answers a JSON 404', async () => {
    for (const url of ['/api/v1/no-such-thing', '/api/v1/municipalities/lviv/nothing']) {
      const res = await get(url);
      assert.equal(res.statusCode, 404, url);
      assert.match(String(res.headers['content-type']), /^application\/json/);
      const body = res.json() as { error: { code: string; message: string } };
      assert.equal(body.error.code, 'not_found');
      assert.equal(typeof body.error.message, 'string');
      assert.ok(body.error.message.length > 0);
    }
  });

  test('an unknown HTML page answers a 404 page in the path\u2019s language', async () => {
    const expected: Record<string, RegExp> = {
      uk: /<h1>Сторінку не знайдено<\/h1>/,
      en: /<h1>Page not found<\/h1>/,
      pl: /<h1>Nie znaleziono strony<\/h1>/,
      'sr-Cyrl': /<h1>[\u0400-\u04ff][^<]*<\/h1>/,
      'sr-Latn': /<h1>[A-Za-zčćšžđČĆŠŽĐ][^<]*<\/h1>/,
    };
    for (const [locale, heading] of Object.entries(expected)) {
      const res = await get(`/${locale}/no/such/page`);
      assert.equal(res.statusCode, 404, locale);
      assert.match(String(res.headers['content-type']), /^text\/html/);
      assert.match(res.body, new RegExp(`<html lang="${locale}"`));
      assert.match(res.body, heading, locale);
      assert.match(res.body, new RegExp(`href="/${locale}/"`), 'with a link home');
    }
    const sr = await get('/sr-Latn/no/such/page');
    assert.doesNotMatch(sr.body.replace(/<[^>]*lang="sr-Cyrl"[^>]*>[^<]*</g, ''), /<h1>[^<]*[\u0400-\u04ff]/, 'Latin Serbian stays Latin');
  });

  test('a municipality that does not exist is 404, one that does is 200', async () => {
    const missing = await get('/uk/zhovkva/');
    assert.equal(missing.statusCode, 404);
    assert.match(missing.body, /Сторінку не знайдено/);
    const present = await get('/uk/lviv/');
    assert.equal(present.statusCode, 200);
    assert.match(present.body, /<h1>Львів<\/h1>/);
    assert.equal((await get('/xx/lviv/')).statusCode, 404, 'an unknown locale is 404 too');
  });

  /** The bytes of a page together with the stylesheet and script it loads. */
  async function pageWeight(url: string): Promise<{ total: number; parts: Record<string, number> }> {
    const page = await get(url);
    assert.equal(page.statusCode, 200, url);
    const css = /<link rel="stylesheet" href="([^"]+)"/.exec(page.body)?.[1];
    const js = /<script[^>]* src="([^"]+)"/.exec(page.body)?.[1];
    assert.ok(css && js, `${url} links its CSS and JS`);
    const parts: Record<string, number> = { [url]: page.rawPayload.length };
    for (const asset of [css, js]) {
      const res = await get(asset);
      assert.equal(res.statusCode, 200, asset);
      assert.ok(res.rawPayload.length > 0, `${asset} is not empty`);
      parts[asset] = res.rawPayload.length;
    }
    return { total: Object.values(parts).reduce((a, b) => a + b, 0), parts };
  }

  test('the home and sign-in pages weigh under 100 KB with their CSS and JS', async () => {
    for (const url of ['/uk/', '/uk/account/sign-in']) {
      const { total, parts } = await pageWeight(url);
      assert.ok(total < PAGE_BUDGET_BYTES, `${url}: ${total} bytes (${JSON.stringify(parts)})`);
    }
  });

  const isHtml = (res: LightMyRequestResponse) => String(res.headers['content-type'] ?? '').startsWith('text/html');

  test('every HTML page sets Content-Security-Policy and X-Content-Type-Options', async () => {
    const urls = [
      '/uk/', '/en/', '/sr-Cyrl/', '/uk/lviv/', '/uk/account/sign-in', '/uk/account/register', '/uk/account/reset',
      '/uk/no/such/page', '/uk/zhovkva/', '/api/docs', '/uk/admin', // the last is a redirect to sign in, not a page
    ];
    let html = 0;
    for (const url of urls) {
      const res = await get(url);
      if (!isHtml(res)) continue;
      html++;
      const csp = String(res.headers['content-security-policy'] ?? '');
      assert.match(csp, /default-src 'self'/, `${url} has a CSP`);
      assert.match(csp, /img-src 'self' data: https:\/\/tile\.openstreetmap\.org/, `${url} allows the map tiles`);
      assert.doesNotMatch(csp, /script-src[^;]*'unsafe-inline'/, `${url} forbids inline scripts`);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
    }
    assert.equal(html, urls.length - 1, 'every URL but the redirect is an HTML page');
    // JSON and assets are covered as well.
    assert.equal((await get('/api/v1/municipalities')).headers['x-content-type-options'], 'nosniff');
  });
});
