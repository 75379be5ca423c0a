import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Municipality } from '../../../db/schema.ts';
import type { Receipt } from '../../../platform/ledger/receipt.ts';
import { multipartForm, startTestApp, type TestApp, type TestClient } from '../../../platform/testing/http.ts';
import type { PetitionRow } from '../petition.repo.ts';
import { sealPending } from '../signature.service.ts';
import { openPetition, petitionTown, resident, serviceDeps } from '../testing.ts';

let t: TestApp;
let town: Municipality;
let p: PetitionRow;
let signer: TestClient;

before(async () => {
  t = await startTestApp();
  town = await petitionTown(t.db, 'zhovkva', { threshold: 100 });
  const author = await resident(t.db, 'author@example.org', town);
  const moderator = await resident(t.db, 'moderator@example.org', town, { role: 'moderator' });
  p = await openPetition(t.db, town, author.current, moderator.id, 'Лавки в парку');
  await resident(t.db, 'signer@example.org', town);
  await resident(t.db, 'other@example.org', town);
  signer = await t.signedIn('signer@example.org', 'en');
  await signer.get(`/en/zhovkva/petitions/${p.number}`);
  assert.equal((await signer.post(`/en/zhovkva/petitions/${p.number}/sign`)).statusCode, 303);
});
after(() => t.close());

const receiptUrl = () => `/en/zhovkva/petitions/${p.number}/receipt.json`;
const checkUrl = () => `/en/zhovkva/ledger/petition:${p.number}/receipt`;

async function check(client: TestClient, data: Buffer, name = 'receipt.json') {
  await client.get(checkUrl());
  return client.request('POST', checkUrl(), multipartForm({ _csrf: client.csrfToken! }, { field: 'receipt', name, data }));
}

describe('the receipt file', () => {
  test('the signer downloads it (a promise before sealing, the proof after); nobody else can', async () => {
    const before = await signer.get(receiptUrl());
    assert.equal(before.statusCode, 200);
    assert.match(String(before.headers['content-disposition']), /attachment; filename="hromada-receipt-zhovkva-petition-\d+-promise\.json"/);
    const promised = JSON.parse(before.body) as Receipt;
    assert.equal(promised.format, 'hromada-ledger-receipt/v1');
    assert.equal(promised.entry, null);
    await sealPending(serviceDeps(t.db));
    const sealed = JSON.parse((await signer.get(receiptUrl())).body) as Receipt;
    assert.equal(sealed.entry!.seq, 1);
    assert.equal(sealed.promise, promised.promise);
    assert.equal((await (await t.signedIn('other@example.org', 'en')).get(receiptUrl())).statusCode, 404);
    assert.match(String((await t.client('en').get(receiptUrl())).headers.location), /sign-in/);
    assert.match((await signer.get(`/en/zhovkva/petitions/${p.number}/receipt`)).body, /Download the receipt/);
  });

  test('anyone checks it on the site; an edited one fails, and a file that is no receipt is refused by name', async () => {
    const file = Buffer.from((await signer.get(receiptUrl())).body);
    const visitor = t.client('en');
    const good = await check(visitor, file);
    assert.equal(good.statusCode, 200);
    assert.match(good.body, /The receipt checks out: the entry is in the ledger/);
    assert.match(good.body, /tree size 1\) extends the checkpoint/);
    const edited = JSON.parse(file.toString()) as Receipt;
    edited.entry!.payload.at = '2020-01-01T00:00:00Z';
    assert.match((await check(visitor, Buffer.from(JSON.stringify(edited)))).body, /The receipt does not check out[\s\S]*the entry in the receipt is not what was promised/);
    const notJson = await check(t.client('en'), Buffer.from('not json'));
    assert.equal(notJson.statusCode, 400);
    assert.match(notJson.body, /not a Hromada ledger receipt/);
    // A browser sends an empty, nameless file part when no file was chosen.
    const none = await check(t.client('en'), Buffer.alloc(0), '');
    assert.equal(none.statusCode, 400);
    assert.match(none.body, /Choose the receipt file to check/);
    assert.equal((await t.client('en').get(`/en/zhovkva/ledger/petition:999/receipt`)).statusCode, 404);
    assert.equal((await t.client('en').get(`/en/zhovkva/ledger/budget:1/receipt`)).statusCode, 404);
  });

  test('the ledger page shows the signed head and the receipt form', async () => {
    const page = (await t.client('en').get(`/en/zhovkva/petitions/${p.number}/ledger`)).body;
    assert.match(page, /Signed checkpoint[\s\S]*Entries in the tree[\s\S]*No witness has co-signed this head yet/);
    assert.match(page, new RegExp(`action="/en/zhovkva/ledger/petition:${p.number}/receipt"`));
  });
});
