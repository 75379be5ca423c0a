import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Municipality } from '../../../db/schema.ts';
import { bombPng, tinyPdf } from '../../../platform/files/testing.ts';
import { multipartForm, startTestApp, type TestApp, type TestClient } from '../../../platform/testing/http.ts';
import { postFileAtOnce, storedFiles } from '../../../platform/idempotency/testing.ts';
import { findPetition } from '../petition.repo.ts';
import { sealPending } from '../signature.service.ts';
import { openPetition, petitionTown, resident, serviceDeps } from '../testing.ts';

let t: TestApp;
let town: Municipality;
let other: Municipality;
let author: Awaited<ReturnType<typeof resident>>;
let moderator: Awaited<ReturnType<typeof resident>>;
const clients: Record<string, TestClient> = {};

const signedIn = (email: string, locale?: string) => t.signedIn(email, locale);
const count = async (table: 'petitions' | 'petition_signatures') => Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

before(async () => {
  t = await startTestApp();
  town = await petitionTown(t.db, 'zhovkva', { threshold: 2, supportersNeeded: 0 });
  other = await petitionTown(t.db, 'sombor');
  author = await resident(t.db, 'author@example.org', town, { fullName: 'Олена Петренко' });
  moderator = await resident(t.db, 'moderator@example.org', town, { role: 'moderator' });
  await resident(t.db, 'signer@example.org', town, { fullName: 'Іван Франко' });
  await resident(t.db, 'outsider@example.org', other);
  await resident(t.db, 'unverified@example.org', null);
  clients.author = await signedIn('author@example.org');
  clients.signer = await signedIn('signer@example.org', 'uk');
  clients.outsider = await signedIn('outsider@example.org');
  clients.unverified = await signedIn('unverified@example.org');
});
after(() => t.close());

describe('drafting', () => {
  test('a guest is sent to sign in to start a petition', async () => {
    const res = await t.client('en').get('/en/zhovkva/petitions/new');
    assert.equal(res.statusCode, 303);
    assert.match(String(res.headers.location), /sign-in\?next=/);
  });

  test('bad input shows translated field errors, keeps the text and writes nothing', async () => {
    const before = await count('petitions');
    const res = await clients.author!.post('/en/zhovkva/petitions/new', { title: 'Hi', body: 'x'.repeat(10_001) });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /error-summary/);
    assert.match(res.body, /href="#f-title"/);
    assert.match(res.body, /href="#f-body"/);
    assert.match(res.body, /«Title»|“Title”|Title/);
    assert.doesNotMatch(res.body, /field\.(title|body)/, 'field names are translated');
    assert.equal(await count('petitions'), before);
    const uk = await clients.signer!.post('/uk/zhovkva/petitions/new', { title: '', body: 'Досить довгий текст петиції для перевірки.' });
    assert.equal(uk.statusCode, 400);
    assert.match(uk.body, /Досить довгий текст петиції/);
  });

  test('a draft is private until submitted; the author previews and submits it', async () => {
    const res = await clients.author!.post('/en/zhovkva/petitions/new', { title: 'Lights on Shevchenko Street', body: 'Please install street lights along the whole street.' });
    assert.equal(res.statusCode, 303);
    const path = String(res.headers.location);
    assert.match(path, /^\/en\/zhovkva\/petitions\/\d+$/);
    assert.equal((await clients.author!.get(path)).statusCode, 200);
    assert.equal((await clients.signer!.get(path.replace('/en/', '/uk/'))).statusCode, 404);
    assert.equal((await t.client('en').get(path)).statusCode, 404);
    assert.equal((await clients.signer!.post(`${path.replace('/en/', '/uk/')}/submit`)).statusCode, 404);
    const edit = await clients.author!.post(`${path}/edit`, { title: 'Street lights on Shevchenko Street', body: 'Please install street lights along the whole street, both sides.' });
    assert.equal(edit.statusCode, 303);
    const preview = await clients.author!.get(`${path}/submit`);
    assert.match(preview.body, /Street lights on Shevchenko Street/);
    assert.equal((await clients.author!.post(`${path}/submit`)).statusCode, 303);
    const number = Number(path.split('/').pop());
    assert.equal((await findPetition(t.db, town.id, number))!.status, 'moderation');
    assert.equal((await clients.author!.post(`${path}/edit`, { title: 'Changed after submit', body: 'This must not change the submitted petition.' })).statusCode, 404);
    assert.equal((await findPetition(t.db, town.id, number))!.title, 'Street lights on Shevchenko Street');
  });

  test('a tampered form (no CSRF token) is refused and writes nothing', async () => {
    const before = await count('petitions');
    const res = await clients.author!.post('/en/zhovkva/petitions/new', { _csrf: 'forged', title: 'Forged petition title', body: 'A forged request must not create anything.' });
    assert.equal(res.statusCode, 403);
    assert.equal(await count('petitions'), before);
  });
});

describe('signing', () => {
  test('one click signs once; repeating it is the same signature; the receipt shows the ledger entry once sealed', async () => {
    const p = await openPetition(t.db, town, author.current, moderator.id, 'Більше лавок у парку');
    const path = `/uk/zhovkva/petitions/${p.number}`;
    const page = await clients.signer!.get(path);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Підписати петицію/);
    const first = await clients.signer!.post(`${path}/sign`);
    assert.equal(first.statusCode, 303);
    assert.equal(first.headers.location, `${path}/receipt?signed=new`);
    assert.match((await clients.signer!.follow(first)).body, /Дякуємо|підпис/i);
    const again = await clients.signer!.post(`${path}/sign`);
    assert.equal(again.statusCode, 303);
    assert.equal(again.headers.location, `${path}/receipt?signed=again`);
    assert.equal(await count('petition_signatures'), 1);
    const pending = await clients.signer!.get(`${path}/receipt`);
    assert.match(pending.body, /петиція|Квитанція/i);
    await sealPending(serviceDeps(t.db));
    const sealed = await clients.signer!.get(`${path}/receipt`);
    assert.match(sealed.body, /class="hash">[0-9a-f]{64}</);
    assert.equal((await clients.author!.get(`/en/zhovkva/petitions/${p.number}/receipt`)).statusCode, 404);
    const list = await t.client('en').get(`/en/zhovkva/petitions/${p.number}/signatures`);
    assert.match(list.body, /Іван Франко/);
  });

  test('who may not sign is told what is missing, and nothing is written', async () => {
    const p = await openPetition(t.db, town, author.current, moderator.id, 'Пішохідний перехід біля школи');
    const path = `/en/zhovkva/petitions/${p.number}`;
    const before = await count('petition_signatures');
    const guest = await t.client('en').post(`${path}/sign`, {});
    assert.equal(guest.statusCode, 303);
    assert.match(String(guest.headers.location), /sign-in/);
    for (const who of ['outsider', 'unverified'] as const) {
      const res = await clients[who]!.post(`${path}/sign`);
      assert.equal(res.headers.location, `${path}/sign`, who);
      const explain = await clients[who]!.get(`${path}/sign`);
      assert.match(explain.body, /resident of Zhovkva/, who);
    }
    assert.equal(await count('petition_signatures'), before);
  });

  test('a petition that is not collecting cannot be signed', async () => {
    const p = await openPetition(t.db, town, author.current, moderator.id, 'Закрита петиція');
    await t.db.updateTable('petitions').set({ status: 'closed' }).where('id', '=', p.id).execute();
    const before = await count('petition_signatures');
    const res = await clients.signer!.post(`/uk/zhovkva/petitions/${p.number}/sign`);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, `/uk/zhovkva/petitions/${p.number}`);
    assert.equal(await count('petition_signatures'), before);
  });
});

describe('browsing', () => {
  test('the list searches, filters and sorts; unknown numbers are 404', async () => {
    const list = await t.client('en').get('/en/zhovkva/petitions?q=лавок');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /Більше лавок у парку/);
    assert.doesNotMatch(list.body, /Пішохідний перехід/);
    const open = await t.client('en').get('/en/zhovkva/petitions?status=open&sort=newest');
    assert.match(open.body, /Пішохідний перехід/);
    assert.doesNotMatch(open.body, /Street lights on Shevchenko/);
    assert.equal((await t.client('en').get('/en/zhovkva/petitions/999')).statusCode, 404);
    assert.equal((await t.client('en').get('/en/zhovkva/petitions/abc')).statusCode, 404);
    assert.equal((await t.client('en').get('/en/sombor/petitions/1')).statusCode, 404);
    const mine = await clients.author!.get('/en/zhovkva/petitions/mine');
    assert.match(mine.body, /Street lights on Shevchenko/);
  });

  test('the progress piece the page refreshes is the exact count, cacheable for a moment, and only for shown petitions', async () => {
    const p = await openPetition(t.db, town, author.current, moderator.id, 'Живий лічильник підписів');
    const path = `/uk/zhovkva/petitions/${p.number}`;
    const page = await t.client('uk').get(path);
    assert.match(page.body, new RegExp(`data-module="live-count" data-src="${path}/progress"`));
    await clients.signer!.post(`${path}/sign`);
    const piece = await t.client('uk').get(`${path}/progress`);
    assert.equal(piece.statusCode, 200);
    // A second: with the shared cache's second before it, the count a browser shows is never 2 s behind.
    assert.equal(piece.headers['cache-control'], 'public, max-age=1');
    assert.doesNotMatch(piece.body, /<html|_csrf/);
    assert.match(piece.body, /aria-valuenow="1"/);
    assert.match(piece.body, /1 з 2|1 \/ 2|1.*2/);
    const unpublished = await t.db.selectFrom('petitions').select('number').where('status', 'in', ['draft', 'moderation']).where('municipality_id', '=', town.id).executeTakeFirstOrThrow();
    assert.equal((await clients.author!.get(`/uk/zhovkva/petitions/${unpublished.number}/progress`)).statusCode, 404, 'not even for its author');
    assert.equal((await t.client('uk').get('/uk/zhovkva/petitions/999/progress')).statusCode, 404);
    await t.db.updateTable('petitions').set({ status: 'closed' }).where('id', '=', p.id).execute();
    assert.doesNotMatch((await t.client('uk').get(`${path}/progress`)).body, /live-count/, 'a closed petition stops the refresh');
  });
});

describe('attachments', () => {
  test('an image bomb and a fake PDF are refused with a translated message naming the field; a real PDF is attached', async () => {
    const res = await clients.signer!.post('/uk/zhovkva/petitions/new', { title: 'Освітлення вулиці Шевченка', body: 'Просимо встановити ліхтарі вздовж усієї вулиці.' });
    const path = String(res.headers.location);
    const attach = (name: string, data: Buffer) =>
      clients.signer!.request('POST', `${path}/attachments`, multipartForm({ _csrf: clients.signer!.csrfToken! }, { field: 'file', name, data }));
    const files = async () => (await t.db.selectFrom('files').select('id').execute()).length;
    const before = await files();
    for (const [name, data, message] of [
      ['plan.png', bombPng(), /Додаток: зображення має 20\s000 × 20\s000 пікселів/],
      ['rishennia.pdf', Buffer.from('<!doctype html><html><script>alert(1)</script></html>'), /Додаток: файл має бути зображенням JPEG, PNG, WebP чи GIF або документом PDF/],
      ['rishennia.pdf', Buffer.from('%PDF-1.4\n<html><script>alert(1)</script>\n%%EOF\n'), /Додаток: файл має бути/],
    ] as const) {
      await clients.signer!.get(`${path}/edit`);
      const sent = await attach(name, data);
      assert.equal(sent.statusCode, 303, name);
      assert.match((await clients.signer!.follow(sent)).body, message, name);
    }
    assert.equal(await files(), before, 'nothing stored');
    await clients.signer!.get(`${path}/edit`);
    const ok = await attach('rishennia.pdf', tinyPdf());
    assert.match((await clients.signer!.follow(ok)).body, /rishennia\.pdf/);
    assert.equal(await files(), before + 1);
  });

  test('the same upload sent 20 times at once (a double click, a resending browser) attaches one file and keeps one copy', async () => {
    const res = await clients.signer!.post('/uk/zhovkva/petitions/new', { title: 'Лавки в парку Франка', body: 'Просимо поставити лавки вздовж алеї.' });
    const path = String(res.headers.location);
    const files = async () => (await t.db.selectFrom('files').select('id').execute()).length;
    const [rowsBefore, bytesBefore] = [await files(), storedFiles(t.dataDir)];
    const answers = await postFileAtOnce(clients.signer!, `${path}/edit`, `${path}/attachments`, { field: 'file', name: 'plan.pdf', data: tinyPdf() });
    assert.deepEqual([...new Set(answers.map((a) => a.statusCode))], [303]);
    const number = Number(path.split('/').pop());
    const p = await t.db.selectFrom('petitions').select('id').where('number', '=', number).where('municipality_id', '=', town.id).executeTakeFirstOrThrow();
    assert.equal((await t.db.selectFrom('petition_files').select('file_id').where('petition_id', '=', p.id).execute()).length, 1);
    assert.equal(await files(), rowsBefore + 1, 'one file row');
    assert.equal(storedFiles(t.dataDir), bytesBefore + 1, 'the repeats\' bytes removed again');
  });
});
