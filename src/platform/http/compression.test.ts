import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp } from '../testing/http.ts';
import { petitionTown } from '../../modules/petitions/testing.ts';
import { assetUrls } from './assets.ts';
import { negotiateCoding } from './encoding.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
  await petitionTown(t.db, 'zhovkva');
});
after(() => t.close());

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });
const decode = (body: Buffer, coding: unknown) =>
  coding === 'br' ? zlib.brotliDecompressSync(body) : coding === 'gzip' ? zlib.gunzipSync(body) : body;

describe('Accept-Encoding negotiation', () => {
  test('the acceptable coding with the highest q-value, brotli first on a tie, identity when none is', () => {
    assert.equal(negotiateCoding('gzip, deflate, br, zstd'), 'br');
    assert.equal(negotiateCoding('gzip'), 'gzip');
    assert.equal(negotiateCoding('br;q=0.5, gzip;q=0.8'), 'gzip');
    assert.equal(negotiateCoding('br;q=0, *'), 'gzip');
    assert.equal(negotiateCoding('*;q=0.1'), 'br');
    assert.equal(negotiateCoding('identity'), null);
    assert.equal(negotiateCoding('deflate'), null);
    assert.equal(negotiateCoding('gzip;q=0, br;q=0'), null);
    assert.equal(negotiateCoding(undefined), null);
    assert.equal(negotiateCoding('br;q=nonsense, gzip'), 'gzip');
  });
});

describe('dynamic answers are compressed per Accept-Encoding', () => {
  for (const [accept, coding] of [['gzip, deflate, br', 'br'], ['gzip', 'gzip'], ['br;q=0.2, gzip', 'gzip']] as const) {
    test(`an HTML page asked for with "${accept}" comes as ${coding}, decoding to the page`, async () => {
      const plain = await get('/uk/account/sign-in');
      const res = await get('/uk/account/sign-in', { 'accept-encoding': accept });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers['content-encoding'], coding);
      assert.match(String(res.headers.vary), /accept-encoding/i);
      assert.equal(Number(res.headers['content-length']), res.rawPayload.length, 'the length is that of the bytes sent');
      const html = decode(res.rawPayload, coding).toString('utf8');
      assert.match(html, /^<!doctype html>/);
      assert.ok(res.rawPayload.length < plain.rawPayload.length / 2, `${res.rawPayload.length} bytes sent for ${plain.rawPayload.length}`);
    });
  }

  test('without Accept-Encoding, or with only codings the platform does not send, the page goes as it is', async () => {
    for (const headers of [{}, { 'accept-encoding': 'identity' }, { 'accept-encoding': 'deflate' }] as Record<string, string>[]) {
      const res = await get('/uk/account/sign-in', headers);
      assert.equal(res.headers['content-encoding'], undefined);
      assert.match(res.body, /^<!doctype html>/);
    }
  });

  test('JSON is compressed too; a tiny body is not', async () => {
    const big = await get('/api/docs/json', { 'accept-encoding': 'br' });
    assert.equal(big.statusCode, 200);
    assert.equal(big.headers['content-encoding'], 'br');
    assert.ok(JSON.parse(decode(big.rawPayload, 'br').toString('utf8')).openapi);
    const tiny = await get('/healthz', { 'accept-encoding': 'br' });
    assert.equal(tiny.headers['content-encoding'], undefined);
    assert.deepEqual(tiny.json(), { status: 'ok' });
  });
});

describe('static assets are precompressed at build time', () => {
  test('each bundle is served as brotli 11 or gzip 9 made at build, with an ETag per coding and Vary', async () => {
    const url = assetUrls().mapJs;
    const plain = await get(url);
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.headers['cache-control'], 'public, max-age=31536000, immutable');
    const identity = plain.rawPayload;
    const br = await get(url, { 'accept-encoding': 'gzip, deflate, br' });
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(br.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.match(String(br.headers.vary), /accept-encoding/i);
    // The highest quality, which no request could afford: these are the bytes made when the assets were built.
    assert.deepEqual(br.rawPayload, zlib.brotliCompressSync(identity, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: identity.length } }));
    assert.ok(br.rawPayload.length < identity.length / 3, `${br.rawPayload.length} of ${identity.length} bytes`);
    const gz = await get(url, { 'accept-encoding': 'gzip' });
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.deepEqual(zlib.gunzipSync(gz.rawPayload), identity);
    assert.deepEqual(gz.rawPayload, zlib.gzipSync(identity, { level: 9 }));
    const tags = new Set([plain.headers.etag, br.headers.etag, gz.headers.etag]);
    assert.equal(tags.size, 3, `one strong ETag per representation: ${[...tags].join(' ')}`);
  });

  test('a matching If-None-Match is answered 304 without a body, keeping the caching headers', async () => {
    const url = assetUrls().css;
    const first = await get(url, { 'accept-encoding': 'br' });
    const again = await get(url, { 'accept-encoding': 'br', 'if-none-match': String(first.headers.etag) });
    assert.equal(again.statusCode, 304);
    assert.equal(again.rawPayload.length, 0);
    assert.equal(again.headers.etag, first.headers.etag);
    assert.match(String(again.headers['cache-control']), /immutable/);
    // The gzip copy's tag does not validate the brotli one.
    const other = await get(url, { 'accept-encoding': 'gzip', 'if-none-match': String(first.headers.etag) });
    assert.equal(other.statusCode, 200);
    assert.equal(other.headers['content-encoding'], 'gzip');
  });

  test('the other files of public/ are served precompressed too, cached a day', async () => {
    const res = await get('/assets/icon.svg', { 'accept-encoding': 'br' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-encoding'], 'br');
    assert.equal(res.headers['content-type'], 'image/svg+xml');
    assert.equal(res.headers['cache-control'], 'public, max-age=86400');
    assert.match(decode(res.rawPayload, 'br').toString('utf8'), /<svg/);
    assert.equal((await get('/assets/nothing-here.js')).statusCode, 404);
  });
});
