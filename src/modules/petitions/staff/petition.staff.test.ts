import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Municipality } from '../../../db/schema.ts';
import { startTestApp, type TestApp, type TestClient } from '../../../platform/testing/http.ts';
import { findPetition, type PetitionRow } from '../petition.repo.ts';
import { sealPending, signPetition } from '../signature.service.ts';
import { openPetition, petitionTown, resident, serviceDeps } from '../testing.ts';

let t: TestApp;
let town: Municipality;
let other: Municipality;
let author: Awaited<ReturnType<typeof resident>>;
let moderator: Awaited<ReturnType<typeof resident>>;
const c: Record<string, TestClient> = {};

const signedIn = (email: string, locale?: string) => t.signedIn(email, locale);
const rows = async (table: 'audit_log' | 'notifications' | 'petition_categories' | 'petition_blocked_domains' | 'petition_invalidations') =>
  Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
const status = async (p: PetitionRow) => (await findPetition(t.db, town.id, p.number))!.status;

before(async () => {
  t = await startTestApp();
  town = await petitionTown(t.db, 'zhovkva', { threshold: 2 });
  other = await petitionTown(t.db, 'sombor');
  author = await resident(t.db, 'author@example.org', town, { fullName: 'Олена Петренко' });
  moderator = await resident(t.db, 'moderator@example.org', town, { role: 'moderator' });
  await resident(t.db, 'official@example.org', town, { role: 'official' });
  await resident(t.db, 'admin@example.org', town, { role: 'admin' });
  await resident(t.db, 'other-admin@example.org', other, { role: 'admin' });
  await resident(t.db, 'neighbour@example.org', town);
  for (const who of ['author', 'moderator', 'official', 'admin', 'other-admin', 'neighbour']) c[who] = await signedIn(`${who}@example.org`);
  c.guest = t.client('en');
});
after(() => t.close());

/** A petition waiting for moderation. */
async function inModeration(title: string) {
  const res = await c.author!.post('/en/zhovkva/petitions/new', { title, body: 'Просимо раду розглянути це питання якнайшвидше.' });
  const path = String(res.headers.location);
  await c.author!.post(`${path}/submit`);
  return (await findPetition(t.db, town.id, Number(path.split('/').pop())))!;
}

/** A petition that reached its threshold of 2. */
async function awaitingResponse(title: string) {
  const p = await openPetition(t.db, town, author.current, moderator.id, title);
  for (const email of ['s1', 's2']) {
    const s = await resident(t.db, `${email}-${p.number}@example.org`, town);
    await signPetition(serviceDeps(t.db), s.current, town, p, '198.51.100.7');
  }
  await sealPending(serviceDeps(t.db));
  assert.equal(await status(p), 'awaiting_response');
  return (await findPetition(t.db, town.id, p.number))!;
}

describe('who may act', () => {
  test('every staff write refuses guests, residents and staff of another municipality, and writes nothing', async () => {
    const p = await inModeration('Петиція для перевірки прав');
    const base = `/en/zhovkva/petitions/${p.number}`;
    const writes: [string, Record<string, string>][] = [
      [`${base}/moderate/publish`, {}],
      [`${base}/moderate/reject`, { reason: 'Порушує правила розміщення петицій.' }],
      [`${base}/respond`, { outcome: 'supported', text: 'Рада підтримує петицію і виконає її до кінця року.' }],
      [`${base}/close`, { reason: 'Питання вирішено іншим рішенням ради.' }],
      [`${base}/invalidate`, { emailDomain: 'example.org', reason: 'Підозріла активність з одного домену.' }],
      ['/en/zhovkva/petitions/staff/domains', { domain: 'spam.example', action: 'block' }],
      ['/en/zhovkva/petitions/staff/categories', { slug: 'roads', nameEn: 'Roads' }],
    ];
    const before = await Promise.all([rows('audit_log'), rows('petition_categories'), rows('petition_blocked_domains'), rows('petition_invalidations')]);
    for (const [url, body] of writes) {
      const guest = await c.guest!.post(url, body);
      assert.ok([303, 403].includes(guest.statusCode), `guest ${url}: ${guest.statusCode}`);
      if (guest.statusCode === 303) assert.match(String(guest.headers.location), /sign-in/);
      assert.equal((await c.neighbour!.post(url, body)).statusCode, 403, `resident ${url}`);
      assert.equal((await c['other-admin']!.post(url, body)).statusCode, 403, `admin of another municipality ${url}`);
    }
    assert.equal((await c.author!.post(`${base}/moderate/publish`)).statusCode, 403, 'authors do not moderate their own petitions');
    assert.deepEqual(await Promise.all([rows('audit_log'), rows('petition_categories'), rows('petition_blocked_domains'), rows('petition_invalidations')]), before);
    assert.equal(await status(p), 'moderation');
    for (const url of ['/en/zhovkva/petitions/staff', '/en/zhovkva/petitions/staff/moderation', '/en/zhovkva/petitions/staff/stats', '/en/zhovkva/petitions/staff/signers']) {
      assert.equal((await c.neighbour!.get(url)).statusCode, 403, url);
      assert.equal((await c['other-admin']!.get(url)).statusCode, 403, url);
    }
  });
});

describe('moderation', () => {
  test('a moderator publishes; the author is notified; publishing twice changes nothing', async () => {
    const p = await inModeration('Облаштувати велодоріжку');
    const queue = await c.moderator!.get('/en/zhovkva/petitions/staff/moderation');
    assert.match(queue.body, /Облаштувати велодоріжку/);
    const notes = await rows('notifications');
    const res = await c.moderator!.post(`/en/zhovkva/petitions/${p.number}/moderate/publish`);
    assert.equal(res.statusCode, 303);
    assert.equal(await status(p), 'open');
    assert.equal(await rows('notifications'), notes + 1);
    const audits = await rows('audit_log');
    const again = await c.moderator!.post(`/en/zhovkva/petitions/${p.number}/moderate/publish`);
    assert.equal(again.statusCode, 303);
    assert.match(decodeURIComponent(String(again.headers['set-cookie'])), /Nothing was changed|flash/);
    assert.equal(await rows('audit_log'), audits);
  });

  test('rejecting needs a reason; the reason reaches the author and the public page', async () => {
    const p = await inModeration('Заборонити все');
    const bad = await c.moderator!.post(`/en/zhovkva/petitions/${p.number}/moderate/reject`, { reason: 'no' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /href="#f-reason"/);
    assert.equal(await status(p), 'moderation');
    const ok = await c.moderator!.post(`/en/zhovkva/petitions/${p.number}/moderate/reject`, { reason: 'Петиція не стосується повноважень ради.' });
    assert.equal(ok.statusCode, 303);
    assert.equal(await status(p), 'rejected');
    const page = await c.guest!.get(`/en/zhovkva/petitions/${p.number}`);
    assert.match(page.body, /не стосується повноважень ради/);
  });
});

describe('responses and closing', () => {
  test('an official answers a petition awaiting response; signers and author are notified; bad input writes nothing', async () => {
    const p = await awaitingResponse('Відкрити бібліотеку у вихідні');
    const dashboard = await c.official!.get('/en/zhovkva/petitions/staff');
    assert.match(dashboard.body, /Відкрити бібліотеку у вихідні/);
    const bad = await c.official!.post(`/en/zhovkva/petitions/${p.number}/respond`, { outcome: 'maybe', text: 'short' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /href="#f-outcome"/);
    assert.match(bad.body, /href="#f-text"/);
    assert.doesNotMatch(bad.body, /field\.(outcome|text)/, 'field names are translated');
    assert.equal(await status(p), 'awaiting_response');
    const ok = await c.official!.post(`/en/zhovkva/petitions/${p.number}/respond`, { outcome: 'partly_supported', text: 'Бібліотека працюватиме в суботу з наступного місяця.', document: '' });
    assert.equal(ok.statusCode, 303);
    assert.equal(await status(p), 'answered');
    const notes = await rows('notifications');
    await t.built.worker.tick();
    assert.equal(await rows('notifications'), notes + 2, 'both signers are told');
    const page = await c.guest!.get(`/en/zhovkva/petitions/${p.number}`);
    assert.match(page.body, /Partly supported/);
    const stats = await c.official!.get('/en/zhovkva/petitions/staff/stats');
    assert.equal(stats.statusCode, 200);
    assert.match(stats.body, /100\s?%/);
    assert.equal((await c.official!.post(`/en/zhovkva/petitions/${p.number}/close`, { reason: 'Виконано частково, питання закрито.' })).statusCode, 303);
    assert.equal(await status(p), 'closed');
  });
});

describe('anti-fraud', () => {
  test('trending signers, bulk invalidation with a public reason, and the domain block list', async () => {
    const p = await awaitingResponse('Нові ліхтарі на площі');
    const signers = await c.moderator!.get('/en/zhovkva/petitions/staff/signers');
    assert.match(signers.body, /198\.51\.100\.0\/24/);
    const preview = await c.moderator!.get(`/en/zhovkva/petitions/${p.number}/invalidate?ipPrefix=198.51.100.0%2F24`);
    assert.match(preview.body, /2 valid signatures match/);
    const empty = await c.moderator!.post(`/en/zhovkva/petitions/${p.number}/invalidate`, { reason: 'Підозріла активність з однієї мережі.' });
    assert.equal(empty.statusCode, 400);
    const ok = await c.moderator!.post(`/en/zhovkva/petitions/${p.number}/invalidate`, { ipPrefix: '198.51.100.0/24', reason: 'Підозріла активність з однієї мережі.' });
    assert.equal(ok.statusCode, 303);
    const page = await c.guest!.get(`/en/zhovkva/petitions/${p.number}`);
    assert.match(page.body, /Підозріла активність з однієї мережі/);
    const bad = await c.moderator!.post('/en/zhovkva/petitions/staff/domains', { domain: 'not a domain', action: 'block' });
    assert.equal(bad.statusCode, 400);
    assert.equal((await c.moderator!.post('/en/zhovkva/petitions/staff/domains', { domain: 'Spam.Example', action: 'block' })).statusCode, 303);
    const list = await c.moderator!.get('/en/zhovkva/petitions/staff/domains');
    assert.match(list.body, /spam\.example/);
  });

  test('an administrator adds categories; a taken slug is refused', async () => {
    assert.equal((await c.admin!.post('/en/zhovkva/petitions/staff/categories', { slug: 'roads', nameEn: 'Roads', nameUk: 'Дороги' })).statusCode, 303);
    const taken = await c.admin!.post('/en/zhovkva/petitions/staff/categories', { slug: 'roads', nameEn: 'Roads again' });
    assert.equal(taken.statusCode, 400);
    assert.match(taken.body, /already uses/);
  });
});
