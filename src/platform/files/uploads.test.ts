import assert from 'node:assert/strict';
import { TEST_IDENTIFIERS } from '../testing/people.ts';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import Fastify from 'fastify';
import multipart from '@fastify/multipart';
import type { Config } from '../../config.ts';
import type { App, Deps } from '../http/deps.ts';
import { createTestDatabase, type TestDatabase } from '../testing/db.ts';
import { contentDisposition, readMultipartFile, registerFileRoutes } from './files.web.ts';
import sharp from 'sharp';
import { diskStorage } from './storage.ts';
import { tinyPdf, tinyPng } from './testing.ts';
import { cleanFilename, downloadName, readUpload, saveUpload } from './uploads.ts';

const MAX = 4096;

/** Every file under a folder, relative to it. */
function listFiles(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return (fs.readdirSync(root, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(root, f)).isFile()).sort();
}

function multipartBody(parts: { name: string; value: string | Buffer; filename?: string }[]) {
  const boundary = `----hromada${crypto.randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ''}`;
    const type = p.filename !== undefined ? 'Content-Type: application/octet-stream\r\n' : '';
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`), Buffer.from(p.value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe(`uploads (${process.env.TEST_DB ?? 'pglite'})`, () => {
  let t: TestDatabase;
  let deps: Deps;
  let root: string;
  let app: App;
  let municipalityId: number;

  before(async () => {
    t = await createTestDatabase();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'hromada-files-'));
    deps = { config: { uploadMaxBytes: MAX } as Config, db: t.db, dialect: t.dialect, mailer: undefined as never, storage: diskStorage(root), identifiers: TEST_IDENTIFIERS };
    ({ id: municipalityId } = await t.db.insertInto('municipalities').values({
      slug: 'zhovkva', names: JSON.stringify({ uk: 'Жовква' }), official_code: 'UA1', center_lat: 50, center_lng: 24, default_locale: 'uk', currency: 'UAH',
    }).returning('id').executeTakeFirstOrThrow());

    app = Fastify().withTypeProvider() as unknown as App;
    await app.register(multipart, { limits: { fileSize: MAX, files: 1 } });
    registerFileRoutes(app, deps);
    // CSRF is the app's concern (tested over HTTP); here every token passes.
    app.decorate('csrfProtection', (_req: unknown, _reply: unknown, done: () => void) => done());
    app.post('/upload', async (req, reply) => {
      const read = await readMultipartFile(app, req, reply);
      if (!read) return reply.code(400).send({ outcome: 'no_file' });
      if (read.kind === 'too_large') return reply.code(413).send({ outcome: 'too_large' });
      const saved = await saveUpload(deps, { municipalityId, ownerId: null, filename: read.filename, data: read.data, allowed: 'image' });
      return reply.send({ outcome: saved.kind, id: saved.kind === 'saved' ? saved.file.id : null, fields: read.fields });
    });
  });
  after(async () => {
    await app?.close();
    await t?.cleanup();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const fileRows = async () => (await t.db.selectFrom('files').select('id').execute()).length;

  test('a real PNG and a real PDF are accepted and stored by their content', async () => {
    const png = tinyPng();
    const saved = await saveUpload(deps, { municipalityId, ownerId: null, filename: 'C:\\Users\\olena\\фото двору.png', data: png, allowed: 'image' });
    assert.equal(saved.kind, 'saved');
    assert.ok(saved.kind === 'saved');
    const read = await readUpload(deps, saved.file.id);
    assert.ok(read);
    // Stored as the platform encoded it, not as uploaded: the same pixels in a PNG of its own.
    assert.deepEqual({ ...saved.file, id: '' }, { id: '', mime: 'image/png', size: read.body.length, sha256: crypto.createHash('sha256').update(read.body).digest('hex') });
    const pixels = (b: Buffer) => sharp(b).raw().toBuffer();
    assert.deepEqual(await pixels(read.body), await pixels(png));
    assert.equal(read.row.original_name, 'фото двору.png');
    assert.match(read.row.storage_key, new RegExp(`^${municipalityId}/\\d{4}/\\d{2}/${saved.file.id}\\.png$`));

    const pdf = await saveUpload(deps, { municipalityId: null, ownerId: null, filename: 'rishennia.pdf', data: tinyPdf(), allowed: 'image-or-document' });
    assert.ok(pdf.kind === 'saved');
    assert.equal(pdf.file.mime, 'application/pdf');
    assert.match((await readUpload(deps, pdf.file.id))!.row.storage_key, /^platform\/\d{4}\/\d{2}\/[0-9a-f-]{36}\.pdf$/);
  });

  test('refusals write nothing: no row, no file', async () => {
    const rows = await fileRows();
    const files = listFiles(root);
    const cases: [string, Buffer, 'image' | 'document' | 'image-or-document', string][] = [
      ['notes.png', Buffer.from('just some text, not a picture\n'), 'image', 'bad_type'],
      ['pic.svg', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), 'image-or-document', 'bad_type'],
      ['page.pdf', Buffer.from('<!doctype html><script>alert(1)</script>'), 'document', 'bad_type'],
      ['scan.pdf', tinyPng(), 'document', 'bad_type'],
      ['photo.png', tinyPdf(), 'image', 'bad_type'],
      ['big.png', Buffer.concat([tinyPng(), Buffer.alloc(MAX)]), 'image', 'too_large'],
      ['empty.png', Buffer.alloc(0), 'image', 'empty'],
    ];
    for (const [filename, data, allowed, expected] of cases) {
      const result = await saveUpload(deps, { municipalityId, ownerId: null, filename, data, allowed });
      assert.equal(result.kind, expected, filename);
    }
    assert.equal(await fileRows(), rows);
    assert.deepEqual(listFiles(root), files);
  });

  test('a failed row write takes its bytes back with it', async () => {
    const files = listFiles(root);
    await assert.rejects(saveUpload(deps, { municipalityId: 999_999, ownerId: null, filename: 'x.png', data: tinyPng(), allowed: 'image' }));
    assert.deepEqual(listFiles(root), files);
  });

  test('GET /files/:id serves the bytes with safe headers, and 404 for unknown ids', async () => {
    const png = tinyPng();
    const saved = await saveUpload(deps, { municipalityId, ownerId: null, filename: 'фото "двору".jpg', data: png, allowed: 'image' });
    assert.ok(saved.kind === 'saved');

    const res = await app.inject({ method: 'GET', url: `/files/${saved.file.id}` });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.rawPayload, (await readUpload(deps, saved.file.id))!.body);
    assert.equal(res.headers['content-type'], 'image/png');
    assert.equal(res.headers['content-length'], String(saved.file.size));
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.match(String(res.headers['cache-control']), /max-age=31536000.*immutable/);
    // The name keeps its words but gets the extension of what the file really is.
    assert.equal(res.headers['content-disposition'], `inline; filename="file.png"; filename*=UTF-8''${encodeURIComponent('фото "двору".png')}`);

    const again = await app.inject({ method: 'GET', url: `/files/${saved.file.id}`, headers: { 'if-none-match': String(res.headers.etag) } });
    assert.equal(again.statusCode, 304);
    assert.equal(again.rawPayload.length, 0);

    for (const url of [`/files/${crypto.randomUUID()}`, '/files/abc', '/files/..%2F..%2Fetc%2Fpasswd', "/files/1'%20OR%201=1"]) {
      assert.equal((await app.inject({ method: 'GET', url })).statusCode, 404, url);
    }
  });

  test('readMultipartFile reads the file and the fields before it, and maps the size limit to too_large', async () => {
    const ok = await app.inject({ method: 'POST', url: '/upload', ...multipartBody([{ name: '_csrf', value: 'token' }, { name: 'photo', value: tinyPng(), filename: 'a.png' }]) });
    assert.equal(ok.statusCode, 200);
    const body = ok.json() as { outcome: string; id: string; fields: Record<string, string> };
    assert.equal(body.outcome, 'saved');
    assert.deepEqual(body.fields, { _csrf: 'token' });
    assert.equal((await app.inject({ method: 'GET', url: `/files/${body.id}` })).statusCode, 200);

    const rows = await fileRows();
    const big = await app.inject({ method: 'POST', url: '/upload', ...multipartBody([{ name: 'photo', value: Buffer.concat([tinyPng(), Buffer.alloc(MAX)]), filename: 'big.png' }]) });
    assert.equal(big.statusCode, 413);
    const text = await app.inject({ method: 'POST', url: '/upload', ...multipartBody([{ name: 'photo', value: 'hello', filename: 'hello.png' }]) });
    assert.equal(text.json().outcome, 'bad_type');
    const none = await app.inject({ method: 'POST', url: '/upload', ...multipartBody([{ name: 'photo', value: '', filename: '' }]) });
    assert.equal(none.statusCode, 400);
    const control = await app.inject({ method: 'POST', url: '/upload', ...multipartBody([{ name: 'caption', value: 'a\u0000b' }, { name: 'photo', value: tinyPng(), filename: 'a.png' }]) });
    assert.equal(control.statusCode, 400);
    assert.match(control.body, /caption/);
    const lines = await app.inject({ method: 'POST', url: '/upload', ...multipartBody([{ name: 'caption', value: 'two\r\nlines\tand a tab' }, { name: 'photo', value: 'hello', filename: 'x.png' }]) });
    assert.equal(lines.json().outcome, 'bad_type');
    const notMultipart = await app.inject({ method: 'POST', url: '/upload', payload: { a: 1 } });
    assert.equal(notMultipart.statusCode, 400);
    assert.equal(await fileRows(), rows);
  });

  test('names are cleaned and download names follow the real type', () => {
    assert.equal(contentDisposition('Łódź č.pdf'), `inline; filename="odz c.pdf"; filename*=UTF-8''${encodeURIComponent('Łódź č.pdf')}`);
    assert.equal(contentDisposition("it's (1)*.gif"), `inline; filename="it's (1)*.gif"; filename*=UTF-8''it%27s%20%281%29%2A.gif`);
    assert.equal(cleanFilename('../../etc/passwd'), 'passwd');
    assert.equal(cleanFilename('photo\u202Egnp.exe'), 'photognp.exe');
    assert.equal(cleanFilename('  \u0000 '), 'file');
    assert.equal(Array.from(cleanFilename('ї'.repeat(500))).length, 200);
    assert.equal(downloadName('scan.JPEG', 'image/jpeg'), 'scan.JPEG');
    assert.equal(downloadName('scan.png', 'image/jpeg'), 'scan.jpg');
    assert.equal(downloadName('рішення', 'application/pdf'), 'рішення.pdf');
  });
});
