import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Municipality } from '../../db/schema.ts';
import { openPetition, petitionTown, resident, serviceDeps } from '../../modules/petitions/testing.ts';
import { sealPending, signPetition } from '../../modules/petitions/signature.service.ts';
import type { PetitionRow } from '../../modules/petitions/petition.repo.ts';
import { startTestApp, type TestApp } from '../testing/http.ts';
import { parseCheckpoint } from './checkpoint.ts';
import { entryLeaf, type PublishedEntry } from './ledger.ts';
import { chainVkeys } from './log.ts';
import { verifyConsistency, verifyInclusion } from './merkle.ts';
import { openNote } from './note.ts';

let t: TestApp;
let town: Municipality;
let petition: PetitionRow;
let draft: number;
const json = <T>(body: string) => JSON.parse(body) as T;
const b64 = (hashes: string[]) => hashes.map((h) => Buffer.from(h, 'base64'));

before(async () => {
  t = await startTestApp();
  town = await petitionTown(t.db, 'zhovkva', { threshold: 100 });
  const deps = serviceDeps(t.db);
  const author = await resident(t.db, 'author@example.org', town);
  const moderator = await resident(t.db, 'moderator@example.org', town, { role: 'moderator' });
  petition = await openPetition(t.db, town, author.current, moderator.id, 'Лавки в парку');
  // Three seals of 3, 1 and 4 signatures: checkpoints of 3, 4 and 8 entries.
  let i = 0;
  for (const batch of [3, 1, 4]) {
    for (let k = 0; k < batch; k++, i++) await signPetition(deps, (await resident(t.db, `s${i}@example.org`, town)).current, town, petition, null);
    await sealPending(deps);
  }
  draft = (await t.db.insertInto('petitions').values({ municipality_id: town.id, number: 99, author_id: author.id, title: 'Чернетка', body: 'Текст чернетки.', supporters_needed: 0 })
    .returning('number').executeTakeFirstOrThrow()).number;
});
after(() => t.close());

const base = () => `/api/v1/zhovkva/ledger/petition:${petition.number}`;

async function vkeys(origin: string) {
  const keys = json<{ log: string; keys: { publicKey: string }[] }>((await t.client().get('/.well-known/hromada-ledger-keys.json')).body);
  return chainVkeys(origin, keys.keys);
}

describe('the ledger over HTTP', () => {
  test('the latest checkpoint is a C2SP note signed by a published key, for the chain\'s origin', async () => {
    const res = await t.client().get(`${base()}/checkpoint`);
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^text\/plain/);
    const cp = parseCheckpoint(res.body.slice(0, res.body.indexOf('\n\n') + 1));
    assert.equal(cp.size, 8);
    assert.match(cp.origin, new RegExp(`/zhovkva/petition:${petition.number}$`));
    assert.equal(openNote(res.body, await vkeys(cp.origin)).verified.length, 1);
  });

  test('history pages newest first, by JSON and by Atom, and one checkpoint by its size', async () => {
    const c = t.client();
    const first = await c.get(`${base()}/checkpoints?limit=2`);
    assert.deepEqual(json<{ size: number }[]>(first.body).map((x) => x.size), [8, 4]);
    assert.equal(String(first.headers.link), `<${base()}/checkpoints?beforeSize=4&limit=2>; rel="next"`);
    assert.deepEqual(json<{ size: number }[]>((await c.get(`${base()}/checkpoints?beforeSize=4&limit=2`)).body).map((x) => x.size), [3]);
    const atom = await c.get(`${base()}/checkpoints.atom`);
    assert.match(String(atom.headers['content-type']), /application\/atom\+xml/);
    assert.equal((atom.body.match(/<entry>/g) ?? []).length, 3);
    assert.match((await c.get(`${base()}/checkpoints.atom?limit=1`)).body, /<link rel="next" type="application\/atom\+xml" href="[^"]+beforeSize=8&amp;limit=1"\/>/);
    assert.match((await c.get(`${base()}/checkpoints/4`)).body, /\n4\n/);
    const missing = await c.get(`${base()}/checkpoints/5`, { accept: 'application/json' });
    assert.equal(missing.statusCode, 404);
    assert.equal(json<{ error: { code: string } }>(missing.body).error.code, 'ledger.no_checkpoint');
  });

  test('inclusion proofs of every entry and consistency proofs between checkpoints verify', async () => {
    const c = t.client();
    const entries = json<PublishedEntry[]>((await c.get(`${base()}/entries.json`)).body);
    assert.equal(entries.length, 8);
    const roots = new Map<number, Buffer>();
    for (const x of json<{ size: number; root: string }[]>((await c.get(`${base()}/checkpoints`)).body)) roots.set(x.size, Buffer.from(x.root, 'base64'));
    for (const size of [3, 4, 8]) {
      for (const e of entries.filter((x) => x.seq <= size)) {
        const p = json<{ index: number; size: number; hashes: string[]; checkpoint: string }>((await c.get(`${base()}/proof/inclusion?seq=${e.seq}&size=${size}`)).body);
        assert.equal(p.index, e.seq - 1);
        assert.ok(verifyInclusion(entryLeaf(e), p.index, size, b64(p.hashes), roots.get(size)!), `${e.seq} in ${size}`);
      }
    }
    for (const [from, to] of [[3, 4], [3, 8], [4, 8], [1, 8]] as const) {
      const p = json<{ hashes: string[]; to: number }>((await c.get(`${base()}/proof/consistency?from=${from}&to=${to}`)).body);
      const rootFrom = from === 1 ? entryLeaf(entries[0]!) : roots.get(from)!;
      assert.ok(verifyConsistency(from, to, b64(p.hashes), rootFrom, roots.get(to)!), `${from} → ${to}`);
    }
    const latest = json<{ to: number }>((await c.get(`${base()}/proof/consistency?from=3`)).body);
    assert.equal(latest.to, 8);
  });

  test('bad sizes are refused with a code naming the field, and hidden or unknown chains are not found', async () => {
    const c = t.client();
    const beyond = await c.get(`${base()}/proof/inclusion?seq=9`, { accept: 'application/json' });
    assert.equal(beyond.statusCode, 400);
    assert.deepEqual(Object.keys(json<{ error: { code: string; fields: object } }>(beyond.body).error.fields), ['seq']);
    assert.equal((await c.get(`${base()}/proof/consistency?from=9&to=8`)).statusCode, 400);
    assert.equal((await c.get(`${base()}/proof/inclusion?seq=1&size=5`)).statusCode, 404);
    assert.equal((await c.get(`${base()}/proof/inclusion?seq=0`)).statusCode, 400);
    assert.equal((await c.get(`${base()}/proof/inclusion?seq=1.5`)).statusCode, 400);
    for (const chain of [`petition:${draft}`, 'petition:404', 'budget:2027', 'petition:abc']) {
      assert.equal((await c.get(`/api/v1/zhovkva/ledger/${chain}/checkpoint`)).statusCode, 404, chain);
    }
    assert.equal((await c.get(`/api/v1/sombor/ledger/petition:${petition.number}/checkpoint`)).statusCode, 404);
  });

  test('heads list every public chain with its vkeys for witnesses', async () => {
    const heads = json<{ chain: string; size: number; origin: string; vkeys: string[]; checkpoint: string }[]>((await t.client().get('/api/v1/ledger/heads')).body);
    assert.deepEqual(heads.map((h) => [h.chain, h.size]), [[`petition:${petition.number}`, 8]]);
    const note = (await t.client().get(new URL(heads[0]!.checkpoint).pathname)).body;
    assert.equal(openNote(note, heads[0]!.vkeys).verified.length, 1);
    assert.equal((await t.client().get('/api/v1/ledger/heads?after=x')).statusCode, 400);
  });
});
