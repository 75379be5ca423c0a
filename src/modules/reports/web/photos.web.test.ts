import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import type { Municipality } from '../../../db/schema.ts';
import { PHOTO_MAX_SIDE } from '../../../platform/files/images.ts';
import { postFileAtOnce, storedFiles } from '../../../platform/idempotency/testing.ts';
import { multipartForm, startTestApp, type TestApp, type TestClient } from '../../../platform/testing/http.ts';
import { TEST_PASSWORD } from '../../../platform/testing/people.ts';
import { findReport, listPhotos } from '../report.repo.ts';
import { createReport } from '../report.service.ts';
import { MAX_PHOTOS } from '../report.photos.ts';
import { reportCategory, reportTown, resident, serviceDeps, ZHOVKVA } from '../testing.ts';

let t: TestApp;
let town: Municipality;
const c: Record<string, TestClient> = {};
let number = 0;
let big: Buffer;

const upload = async (who: string, data: Buffer, name = 'photo.jpg', csrf = true) => {
  const client = c[who] ?? t.client('en');
  const fields: Record<string, string> = csrf ? { _csrf: await client.csrf(`/en/zhovkva/reports/${number}`) } : {};
  return client.request('POST', `/en/zhovkva/reports/${number}/photos`, multipartForm(fields, { field: 'photo', name, data }));
};
const photos = async () => listPhotos(t.db, (await findReport(t.db, town.id, number))!);

before(async () => {
  t = await startTestApp();
  town = await reportTown(t.db, 'zhovkva');
  await reportCategory(t.db, town, 'lamps');
  const reporter = await resident(t.db, 'reporter@example.org', town);
  await resident(t.db, 'neighbour@example.org', town);
  await resident(t.db, 'official@example.org', town, { role: 'official' });
  for (const who of ['reporter', 'neighbour', 'official']) {
    c[who] = t.client('en');
    await c[who]!.signIn(`${who}@example.org`, TEST_PASSWORD);
  }
  const r = await createReport(serviceDeps(t.db), reporter.current, town, { category: 'lamps', title: 'Ліхтар розбитий', description: '', at: ZHOVKVA, address: null, showName: false, answers: {} });
  number = (r as { number: number }).number;
  // A camera photo: large, with EXIF (a GPS-revealing camera tag stands in for all of it) and an orientation.
  big = await sharp({ create: { width: 3000, height: 2000, channels: 3, background: '#336699' } })
    .withExif({ IFD0: { Make: 'SpyCam', Artist: 'Olena Petrenko' } }).jpeg().toBuffer();
});
after(() => t.close());

test('the reporter adds a photo: stored upright, at most 1600 px, as JPEG without metadata', async () => {
  const res = await upload('reporter', big);
  assert.equal(res.statusCode, 303);
  const [p] = await photos();
  assert.equal(p!.kind, 'report');
  const file = await t.client('en').get(`/files/${p!.file_id}`);
  assert.equal(file.headers['content-type'], 'image/jpeg');
  const meta = await sharp(file.rawPayload).metadata();
  assert.deepEqual([meta.width, meta.height], [PHOTO_MAX_SIDE, Math.round((2000 / 3000) * PHOTO_MAX_SIDE)]);
  assert.equal(meta.exif, undefined, 'no EXIF left');
  assert.match((await t.client('en').get(`/en/zhovkva/reports/${number}`)).body, /<img src="\/files\/[^"]+" alt="Photo 1 of the problem in report No\. \d+"/);
});

test('the same photo sent 20 times at once adds one photo and keeps one copy', async () => {
  const [before, bytes] = [(await photos()).length, storedFiles(t.dataDir)];
  const page = `/en/zhovkva/reports/${number}`;
  const answers = await postFileAtOnce(c.reporter!, page, `${page}/photos`, { field: 'photo', name: 'yard.jpg', data: big });
  assert.deepEqual([...new Set(answers.map((a) => a.statusCode))], [303]);
  assert.equal((await photos()).length, before + 1);
  assert.equal(storedFiles(t.dataDir), bytes + 1, 'the repeats\' bytes removed again');
  await t.db.deleteFrom('report_photos').where('file_id', '=', (await photos()).at(-1)!.file_id).execute();
});

test('refused: not an image, no token, a guest, a neighbour; an official adds a photo of the fix; at most five', async () => {
  const before = (await photos()).length;
  const fake = await upload('reporter', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'photo.jpg');
  assert.equal(fake.statusCode, 303);
  assert.match(String(fake.headers['set-cookie']), /flash/);
  assert.equal((await upload('reporter', big, 'x.jpg', false)).statusCode, 403);
  assert.match(String((await upload('guest', big)).headers.location), /sign-in/);
  assert.equal((await upload('neighbour', big)).statusCode, 403);
  assert.equal((await photos()).length, before);
  assert.equal((await upload('official', big)).statusCode, 303);
  assert.deepEqual((await photos()).map((p) => p.kind), ['report', 'fix']);
  for (let i = 1; i < MAX_PHOTOS; i++) await upload('reporter', big);
  assert.equal((await photos()).filter((p) => p.kind === 'report').length, MAX_PHOTOS);
  await upload('reporter', big);
  assert.equal((await photos()).filter((p) => p.kind === 'report').length, MAX_PHOTOS, 'the sixth is refused');
  const list = await t.client('en').get('/en/zhovkva/reports?status=all&photos=yes');
  assert.match(list.body, /Ліхтар розбитий/);
});
