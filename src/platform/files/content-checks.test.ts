import assert from 'node:assert/strict';
import { TEST_IDENTIFIERS } from '../testing/people.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import type { Config } from '../../config.ts';
import type { Deps } from '../http/deps.ts';
import { translator } from '../i18n/i18n.ts';
import { createTestDatabase, type TestDatabase } from '../testing/db.ts';
import { IMAGE_MAX_PIXELS } from './images.ts';
import { isTrustworthyPdf } from './pdf.ts';
import { diskStorage } from './storage.ts';
import { bombPng, tinyPdf, tinyPng } from './testing.ts';
import { readUpload, saveUpload, uploadMessage, type AllowedUpload } from './uploads.ts';

/** A PDF 1.5 whose cross-reference is a compressed stream (what most current writers produce). */
function xrefStreamPdf(): Buffer {
  const objects = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [] /Count 0 >>'];
  let text = '%PDF-1.5\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(text.length);
    text += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = text.length;
  const rows = Buffer.concat([[0, 0, 255], ...offsets.map((o) => [1, o, 0]), [1, xref, 0]].map(([t, o, g]) => Buffer.from([t!, (o! >> 8) & 255, o! & 255, g!])));
  const data = zlib.deflateSync(rows);
  const head = Buffer.from(`${text}3 0 obj\n<< /Type /XRef /Size 4 /W [1 2 1] /Root 1 0 R /Filter /FlateDecode /Length ${data.length} >>\nstream\n`, 'latin1');
  return Buffer.concat([head, data, Buffer.from(`\nendstream\nendobj\nstartxref\n${xref}\n%%EOF\n`, 'latin1')]);
}

describe(`what uploads are, by content (${process.env.TEST_DB ?? 'pglite'})`, () => {
  let t: TestDatabase;
  let deps: Deps;
  let root: string;

  before(async () => {
    t = await createTestDatabase();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'hromada-checks-'));
    deps = { config: { uploadMaxBytes: 1024 * 1024 } as Config, db: t.db, dialect: t.dialect, mailer: undefined as never, storage: diskStorage(root), identifiers: TEST_IDENTIFIERS };
  });
  after(async () => {
    await t?.cleanup();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const save = (data: Buffer, allowed: AllowedUpload, photo = false) => saveUpload(deps, { municipalityId: null, ownerId: null, filename: 'x', data, allowed, photo });
  const stored = async () => (await t.db.selectFrom('files').select('id').execute()).length;

  test('an image bomb (a 50 KB PNG of 20000×20000 pixels) is refused as a logo, an attachment and a photo, before decoding', async () => {
    const bomb = bombPng();
    assert.ok(bomb.length < 64 * 1024, `${bomb.length} bytes`);
    const meta = await sharp(bomb, { limitInputPixels: false }).metadata();
    assert.deepEqual([meta.width, meta.height, meta.format], [20_000, 20_000, 'png'], 'a real, valid PNG');
    const rows = await stored();
    const started = performance.now();
    for (const [allowed, photo] of [['image', false], ['image-or-document', false], ['image', true]] as const) {
      assert.deepEqual(await save(bomb, allowed, photo), { kind: 'too_many_pixels', width: 20_000, height: 20_000 });
    }
    assert.ok(performance.now() - started < 2000, 'refused from its header, not by decoding 400 million pixels');
    assert.equal(await stored(), rows);
    assert.deepEqual(fs.readdirSync(root), []);
    // Just under the limit is still a picture.
    const side = Math.floor(Math.sqrt(IMAGE_MAX_PIXELS));
    assert.equal((await save(bombPng(side), 'image')).kind, 'saved');
  });

  test('every image is decoded and written again: trailing bytes and metadata do not survive', async () => {
    const payload = Buffer.from('<script>alert(1)</script>');
    const withPayload = Buffer.concat([await sharp(tinyPng()).withMetadata({ exif: { IFD0: { Copyright: 'Olena, 50.1N 24.3E' } } }).png().toBuffer(), payload]);
    for (const allowed of ['image', 'image-or-document'] as const) {
      const saved = await save(withPayload, allowed);
      assert.ok(saved.kind === 'saved');
      const { body } = (await readUpload(deps, saved.file.id))!;
      assert.ok(!body.includes(payload), 'nothing after the image is kept');
      assert.ok(!body.includes(Buffer.from('Olena')), 'metadata is dropped');
      assert.equal((await sharp(body).metadata()).format, 'png');
    }
    const gif = await save(await sharp(tinyPng()).gif().toBuffer(), 'image');
    assert.ok(gif.kind === 'saved');
    assert.equal(gif.file.mime, 'image/png', 'a GIF is kept as a PNG of its first frame');
    const jpeg = await save(await sharp(tinyPng()).jpeg().toBuffer(), 'image-or-document');
    assert.ok(jpeg.kind === 'saved' && jpeg.file.mime === 'image/jpeg');
  });

  test('a PDF is checked by its structure: fakes, HTML and polyglots named .pdf are refused', async () => {
    const html = Buffer.from('<!doctype html><html><body><script>fetch("/account")</script></body></html>');
    const refused: [string, Buffer][] = [
      ['HTML named .pdf', html],
      ['a header and nothing else', Buffer.from('%PDF-1.4\n%%EOF\n')],
      ['a header and junk', Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2000, 'x'), Buffer.from('\n%%EOF')])],
      ['startxref pointing nowhere', Buffer.from(tinyPdf().toString('latin1').replace(/startxref\n\d+/, 'startxref\n12'), 'latin1')],
      ['a catalog that is not where the table says', Buffer.from(tinyPdf().toString('latin1').replace('/Type /Catalog', '/Type /Catalo_'), 'latin1')],
      ['HTML before the header (a polyglot)', tinyPdf({ before: '<html><script>alert(1)</script>' })],
      ['HTML in a comment (a polyglot)', tinyPdf({ comment: '<html><body><script>alert(1)</script>' })],
      ['a script action', tinyPdf({ extra: ['<< /Type /Action /S /JavaScript /JS (app.alert(1)) >>'] })],
      ['a script action spelled with escapes', tinyPdf({ extra: ['<< /Type /Action /S /J#61vaScript /J#53 (app.alert(1)) >>'] })],
      ['a launch action', tinyPdf({ extra: ['<< /Type /Action /S /Launch /F (cmd.exe) >>'] })],
      ['cut short', tinyPdf().subarray(0, 200)],
    ];
    const rows = await stored();
    for (const [what, data] of refused) {
      assert.equal(isTrustworthyPdf(data), false, what);
      assert.equal((await save(data, 'document')).kind, 'bad_type', what);
    }
    assert.equal(await stored(), rows);

    for (const [what, data] of [['a classic table', tinyPdf()], ['a cross-reference stream', xrefStreamPdf()]] as const) {
      assert.equal(isTrustworthyPdf(data), true, what);
      assert.equal((await save(data, 'image-or-document')).kind, 'saved', what);
    }
    // Real files written by other programs, where the machine has them.
    for (const file of ['/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf', '/usr/share/doc/libtasn1-doc/libtasn1.pdf']) {
      if (fs.existsSync(file)) assert.equal(isTrustworthyPdf(fs.readFileSync(file)), true, file);
    }
    const big = Buffer.concat([tinyPdf(), Buffer.alloc(deps.config.uploadMaxBytes)]);
    assert.equal((await save(big, 'document')).kind, 'too_large');
  });

  test('the refusal is translated and names the field', () => {
    const uk = translator('uk');
    assert.equal(uploadMessage(uk, deps, 'Логотип', 'image', { kind: 'too_many_pixels', width: 20_000, height: 20_000 }).replace(/\s/g, ' '),
      'Логотип: зображення має 20 000 × 20 000 пікселів; приймаємо щонайбільше 50 мільйонів пікселів');
    assert.equal(uploadMessage(translator('en'), deps, 'Attachment', 'image-or-document', { kind: 'bad_type' }),
      'Attachment: the file must be a JPEG, PNG, WebP or GIF image or a PDF document');
    assert.equal(uploadMessage(translator('pl'), deps, 'Dokument', 'document', { kind: 'too_large' }), 'Dokument: plik jest większy niż 1 MB');
  });
});
