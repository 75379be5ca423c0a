import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Municipality } from '../../../db/schema.ts';
import { createMunicipality, startTestApp, type TestApp } from '../../../platform/testing/http.ts';
import type { PublishedEntry } from '../../../platform/ledger/ledger.ts';
import type { PetitionRow } from '../petition.repo.ts';
import { respondToPetition } from '../petition.service.ts';
import { sealPending, signPetition } from '../signature.service.ts';
import { openPetition, petitionTown, resident, serviceDeps } from '../testing.ts';
import { LEDGER_PAGE } from './ledger.web.tsx';
import { nextLink } from '../../../platform/ledger/verify/source.ts';
import { verifyLedger } from './verify-ledger.ts';

let t: TestApp;
let town: Municipality;
let signed: PetitionRow;
let answered: PetitionRow;
let draftNumber: number;
let signers: Awaited<ReturnType<typeof resident>>[];

const json = <T>(body: string) => JSON.parse(body) as T;

before(async () => {
  t = await startTestApp();
  town = await petitionTown(t.db, 'zhovkva', { threshold: 3 });
  await createMunicipality(t.db, { slug: 'sombor' });
  const deps = serviceDeps(t.db);
  const author = await resident(t.db, 'author@example.org', town, { fullName: 'Олена Петренко' });
  const moderator = await resident(t.db, 'moderator@example.org', town, { role: 'moderator' });
  signed = await openPetition(t.db, town, author.current, moderator.id, 'Велодоріжка вздовж річки');
  answered = await openPetition(t.db, town, author.current, moderator.id, '=HYPERLINK("http://evil") лавки');
  signers = await Promise.all([0, 1, 2, 3, 4].map((i) => resident(t.db, `s${i}@example.org`, town)));
  for (const s of signers) await signPetition(deps, s.current, town, signed, `203.0.113.${signers.indexOf(s)}`);
  await sealPending(deps);
  await t.db.updateTable('petitions').set({ status: 'awaiting_response' }).where('id', '=', answered.id).execute();
  await respondToPetition(deps, { id: moderator.id, ip: null }, town, { ...answered, status: 'awaiting_response' }, { outcome: 'supported', text: 'Рада підтримує.' });
  const row = await t.db.insertInto('petitions').values({ municipality_id: town.id, number: 99, author_id: author.id, title: 'Чернетка', body: 'Текст чернетки петиції.', supporters_needed: 0 })
    .returning('number').executeTakeFirstOrThrow();
  await t.db.insertInto('petition_tallies').values({ petition_id: (await t.db.selectFrom('petitions').select('id').where('number', '=', 99).executeTakeFirstOrThrow()).id, municipality_id: town.id }).execute();
  draftNumber = row.number;
});
after(() => t.close());

describe('JSON API', () => {
  test('lists public petitions with filters and paging, in the OpenAPI document', async () => {
    const c = t.client();
    const all = json<{ data: { number: number; title: string; signatures: number }[]; total: number }>((await c.get('/api/v1/zhovkva/petitions')).body);
    assert.equal(all.total, 2);
    assert.ok(!all.data.some((p) => p.number === draftNumber), 'drafts are not published');
    assert.equal(all.data.find((p) => p.number === signed.number)!.signatures, 5);
    const answeredOnly = json<{ data: { number: number; outcome: string }[] }>((await c.get('/api/v1/zhovkva/petitions?status=answered')).body);
    assert.deepEqual(answeredOnly.data.map((p) => [p.number, p.outcome]), [[answered.number, 'supported']]);
    const found = json<{ data: { number: number }[] }>((await c.get(`/api/v1/zhovkva/petitions?q=${encodeURIComponent('велодоріжки')}`)).body);
    assert.deepEqual(found.data.map((p) => p.number), [signed.number]);
    const paged = json<{ data: unknown[]; page: number; perPage: number; total: number }>((await c.get('/api/v1/zhovkva/petitions?perPage=1&page=2')).body);
    assert.equal(paged.data.length, 1);
    assert.equal(paged.total, 2);
    assert.equal(json<{ total: number }>((await c.get('/api/v1/zhovkva/petitions?category=none')).body).total, 0);
    const doc = json<{ paths: Record<string, unknown> }>((await c.get('/api/openapi.json')).body);
    assert.ok(doc.paths['/api/v1/{municipality}/petitions/{number}/ledger.json']);
  });

  test('bad queries answer 400 naming the field; unknown places answer 404', async () => {
    const c = t.client();
    const bad = await c.get('/api/v1/zhovkva/petitions?perPage=500&status=draft');
    assert.equal(bad.statusCode, 400);
    const err = json<{ error: { code: string; fields: Record<string, string> } }>(bad.body).error;
    assert.equal(err.code, 'invalid_input');
    assert.ok(err.fields.perPage || err.fields.status, JSON.stringify(err.fields));
    for (const url of ['/api/v1/nowhere/petitions', '/api/v1/sombor/petitions', `/api/v1/zhovkva/petitions/${draftNumber}`, '/api/v1/zhovkva/petitions/12345/count']) {
      const res = await c.get(url);
      assert.equal(res.statusCode, 404, url);
      assert.equal(json<{ error: { code: string } }>(res.body).error.code, 'not_found', url);
    }
  });

  test('one petition, with its response, and its live count', async () => {
    const c = t.client();
    const one = json<{ status: string; response: { outcome: string; text: string }; ledger: { json: string }; timeline: { kind: string }[] }>((await c.get(`/api/v1/zhovkva/petitions/${answered.number}`)).body);
    assert.equal(one.status, 'answered');
    assert.deepEqual([one.response.outcome, one.response.text], ['supported', 'Рада підтримує.']);
    assert.ok(one.timeline.some((e) => e.kind === 'answered'));
    assert.match(one.ledger.json, /\/ledger\.json$/);
    const count = await c.get(`/api/v1/zhovkva/petitions/${signed.number}/count`);
    assert.deepEqual(json(count.body), { number: signed.number, status: 'awaiting_response', signatures: 5, sealed: 5, threshold: 3 });
    assert.match(String(count.headers['cache-control']), /max-age=1/);
  });
});

describe('ledger', () => {
  test('the chain is published in pages, as JSON and CSV, and re-checks', async () => {
    const c = t.client();
    const first = await c.get(`/api/v1/zhovkva/petitions/${signed.number}/ledger.json?limit=2`);
    assert.equal(first.statusCode, 200);
    const entries = json<PublishedEntry[]>(first.body);
    assert.deepEqual(entries.map((e) => e.seq), [1, 2]);
    assert.equal(entries[0]!.kind, 'signature');
    assert.equal(String(first.headers.link), `</api/v1/zhovkva/petitions/${signed.number}/ledger.json?afterSeq=2&limit=2>; rel="next"`);
    const rest = json<PublishedEntry[]>((await c.get(`/api/v1/zhovkva/petitions/${signed.number}/ledger.json?afterSeq=2`)).body);
    assert.deepEqual(rest.map((e) => e.seq), [3, 4, 5]);
    const csv = await c.get(`/api/v1/zhovkva/petitions/${signed.number}/ledger.csv`);
    assert.match(String(csv.headers['content-type']), /text\/csv/);
    assert.equal(csv.body.trim().split('\r\n').length, 6);
    assert.match(csv.body, /^chain,seq,kind,payload,prev,hash,createdAt\r\npetition:\d+,1,signature,"\{""at"":/);
    assert.equal((await c.get(`/api/v1/zhovkva/petitions/${signed.number}/ledger.json?limit=0`)).statusCode, 400);
  });

  test('hromada verify-ledger follows the pages over HTTP and finds a tampered entry in a saved file', async () => {
    assert.equal(nextLink('<?afterSeq=2>; rel="next"', 'http://h/x/ledger.json?limit=2'), 'http://h/x/ledger.json?afterSeq=2');
    assert.equal(nextLink(null, 'http://h/'), null);
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { result, text } = await verifyLedger(`${address}/api/v1/zhovkva/petitions/${signed.number}/ledger.json?limit=2`);
    assert.deepEqual({ ok: result.ok, count: result.ok && result.count }, { ok: true, count: 5 });
    assert.match(text, /^chain: ok, 5 entries of petition:\d+ in 3 pages, head [0-9a-f]{64}$/m);
    assert.match(text, /^checkpoint: ok, the latest, localhost:3000\/zhovkva\/petition:\d+ of 5 entries, .*signed by key 1$/m);
    assert.match(text, /\nok: 5 entries, head [0-9a-f]{64}, root [A-Za-z0-9+/]{43}=, count 5$/);
    const csv = await verifyLedger(`${address}/api/v1/zhovkva/petitions/${signed.number}/ledger.csv?limit=2`);
    assert.equal(csv.text, text, 'the CSV pages prove the same');
    const entries = json<PublishedEntry[]>((await t.client().get(`/api/v1/zhovkva/petitions/${signed.number}/ledger.json`)).body);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-'));
    try {
      const file = path.join(dir, 'chain.json');
      fs.writeFileSync(file, JSON.stringify(entries.map((e) => (e.seq === 3 ? { ...e, payload: { ...e.payload, at: '2020-01-01T00:00:00Z' } } : e))));
      assert.deepEqual((await verifyLedger(file)).result, { ok: false, check: 'chain', brokenAt: 3, reason: 'broken at seq 3: hash (its hash does not match its fields)' });
      fs.writeFileSync(file, JSON.stringify(entries.slice(1)));
      assert.equal((await verifyLedger(file)).text, 'failed: chain: broken at seq 2: seq (its seq does not follow the entry before: an entry is missing, added or moved)');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the ledger page re-counts the chain, finds a signer, and shows where a tampered chain breaks', async () => {
    const c = t.client('en');
    const page = await c.get(`/en/zhovkva/petitions/${signed.number}/ledger`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /The chain checks out/);
    assert.match(page.body, /5 entries re-hashed from the first; they prove 5 valid signatures/);
    const entries = json<PublishedEntry[]>((await c.get(`/api/v1/zhovkva/petitions/${signed.number}/ledger.json`)).body);
    const mine = String(entries[1]!.payload.signer);
    assert.match((await c.get(`/en/zhovkva/petitions/${signed.number}/ledger?signer=${mine}`)).body, /Found in the chain[\s\S]*Entry 2: signature/);
    assert.match((await c.get(`/uk/zhovkva/petitions/${signed.number}/ledger?signer=${'0'.repeat(64)}`)).body, /Поки немає в ланцюжку/);
    assert.match((await c.get(`/en/zhovkva/petitions/${signed.number}/ledger?signer=nonsense`)).body, /64 characters/);
    assert.equal((await c.get(`/en/zhovkva/petitions/${draftNumber}/ledger`)).statusCode, 404);
    LEDGER_PAGE.checkLimit = 3;
    try {
      const long = await c.get(`/en/zhovkva/petitions/${signed.number}/ledger?signer=${mine}`);
      assert.match(long.body, /This chain has 5 entries: too many to re-check on this page/);
      assert.doesNotMatch(long.body, /Found in the chain/);
      assert.match(long.body, new RegExp(`<code class="hash">${entries[4]!.hash}</code>`));
    } finally {
      LEDGER_PAGE.checkLimit = 50_000;
    }
    await t.db.updateTable('ledger_entries').set({ payload: JSON.stringify({ signer: mine, at: '2020-01-01T00:00:00Z' }) })
      .where('municipality_id', '=', town.id).where('chain', '=', `petition:${signed.number}`).where('seq', '=', 2).execute();
    const broken = await c.get(`/en/zhovkva/petitions/${signed.number}/ledger`);
    assert.match(broken.body, /The chain breaks at entry 2/);
    assert.match(broken.body, /changed after it was sealed/);
  });
});

describe('exports and feeds', () => {
  test('petitions.csv has translated headers, a byte order mark and no live formulas', async () => {
    const res = await t.client('uk').get('/uk/zhovkva/petitions.csv');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /text\/csv; charset=utf-8/);
    assert.ok(res.body.startsWith('\uFEFFНомер,Назва,Статус'));
    assert.match(res.body, /"'=HYPERLINK\(""http:\/\/evil""\) лавки"/);
    assert.match(res.body, /,Велодоріжка вздовж річки,Очікує відповіді,,[^,]+,[^,]+,5,3,,,http/);
    assert.doesNotMatch(res.body, /Чернетка/);
    assert.equal((await t.client('uk').get('/uk/sombor/petitions.csv')).statusCode, 404);
  });

  test('Atom feeds of new petitions, responses and one petition', async () => {
    const c = t.client('en');
    const fresh = await c.get('/en/zhovkva/petitions/feed.atom');
    assert.match(String(fresh.headers['content-type']), /application\/atom\+xml/);
    assert.match(fresh.body, /<title>New petitions: /);
    assert.match(fresh.body, /Велодоріжка вздовж річки/);
    assert.doesNotMatch(fresh.body, /Чернетка/);
    const responses = await c.get('/en/zhovkva/petitions/responses.atom');
    assert.match(responses.body, /<entry>[\s\S]*Рада підтримує\./);
    assert.doesNotMatch(responses.body, /Велодоріжка/);
    const one = await c.get(`/en/zhovkva/petitions/${answered.number}/feed.atom`);
    assert.match(one.body, /<entry>/);
    assert.equal((await c.get(`/en/zhovkva/petitions/${draftNumber}/feed.atom`)).statusCode, 404);
  });
});
