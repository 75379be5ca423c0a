import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { csvLine } from '../../http/csv.ts';
import { createTestDatabase, type TestDatabase } from '../../testing/db.ts';
import { formatCheckpoint, parseCheckpoint } from '../checkpoint.ts';
import { checkpointAt } from '../checkpoints.repo.ts';
import { KEYS_PATH as SERVED_KEYS_PATH } from '../directory.ts';
import { LEDGER_CSV_COLUMNS } from '../entries.ts';
import { appendToLedger, canonicalJson, entryHash, GENESIS_HASH, ledgerEntries, type LedgerRow, type PublishedEntry } from '../ledger.ts';
import { ensureLedgerLog, publishedKeys, rotateLedgerKey } from '../log.ts';
import { buildReceipt } from '../receipt.ts';
import { consistencyProofOf, EMPTY_ROOT, rootOf } from '../merkle.ts';
import { COSIGNATURE_V1, cosignatureLine, privateKeyFromRaw, rawPublicKey, signNote, splitNote, vkeyOf } from '../note.ts';
import { entryDigests } from './canonical.ts';
import type { ChainMeaning, Meanings } from './replay.ts';
import { KEYS_PATH } from './source.ts';
import { verifyLedger, verifyLedgerCommand, type VerifyOptions } from './verify-ledger.ts';

const rootOfRehashed = (list: readonly PublishedEntry[]) => rootOf(list.map((e) => entryDigests(e).leaf)).toString('base64');

/** A module's meaning for `test:*` chains: counts entries, refuses the kind `bad`. */
const counting = (): ChainMeaning => {
  let count = 0;
  let broken: number | null = null;
  return {
    add(page) {
      for (const e of page) {
        if (e.kind === 'bad') broken ??= e.seq;
        if (broken === null) count += 1;
      }
      return broken === null;
    },
    result: () => (broken === null ? { ok: true, count } : { ok: false, brokenAt: broken, reason: 'bad_kind' }),
  };
};
const meanings: Meanings = { test: counting };

const municipality = { slug: 'zhovkva', names: JSON.stringify({ uk: 'Жовква' }), official_code: 'UA-zhovkva', center_lat: 50, center_lng: 24, default_locale: 'uk', currency: 'UAH' };
const ORIGIN = 'hromada.example/zhovkva/test:1';

describe(`hromada verify-ledger (${process.env.TEST_DB ?? 'pglite'})`, () => {
  let t: TestDatabase;
  let m: number;
  let dir: string;
  let entries: LedgerRow[];
  const file = (name: string, body: string) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, body);
    return p;
  };
  const json = (list: readonly (PublishedEntry | LedgerRow)[], name = 'chain.json') => file(name, JSON.stringify(list.map((e) => ({ ...e, createdAt: 'createdAt' in e ? new Date(e.createdAt).toISOString() : undefined }))));
  const keysFile = async (witnesses: object[] = []) => file('keys.json', JSON.stringify({ ...(await publishedKeys(t.db)), witnesses }));
  const note = async (size: number, chain = 'test:1') => (await checkpointAt(t.db, m, chain, size))!.note;
  const run = (o: VerifyOptions) => verifyLedger(o, meanings);
  const last = (text: string) => text.split('\n').at(-1);
  /** The same entries with every hash (and prev) recomputed: what an operator rewriting history would publish. */
  const rehash = (list: readonly PublishedEntry[]) => {
    let prev = GENESIS_HASH;
    return list.map((e) => {
      const out = { chain: e.chain, seq: e.seq, kind: e.kind, payload: e.payload, prev, hash: '' };
      out.hash = entryHash(out);
      prev = out.hash;
      return out;
    });
  };

  before(async () => {
    t = await createTestDatabase();
    m = (await t.db.insertInto('municipalities').values(municipality).returning('id').executeTakeFirstOrThrow()).id;
    await ensureLedgerLog(t.db, 'hromada.example');
    for (const n of [3, 2]) {
      await appendToLedger(t.db, { municipalityId: m, chain: 'test:1', entries: Array.from({ length: n }, (_, i) => ({ kind: 'vote', payload: { voter: `v${n}-${i}`, at: '2026-11-23T10:00:00Z', n: i } })) });
    }
    await appendToLedger(t.db, { municipalityId: m, chain: 'test:2', entries: [{ kind: 'vote', payload: { voter: 'x' } }] });
    entries = await ledgerEntries(t.db, m, 'test:1', { limit: 100 });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-ledger-'));
  });
  after(async () => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    await t?.cleanup();
  });

  test('a good chain passes against its checkpoint and one saved earlier, the same from JSON and from CSV', async () => {
    const csv = file('chain.csv', csvLine([...LEDGER_CSV_COLUMNS]) + entries.map((r) => csvLine([r.chain, r.seq, r.kind, canonicalJson(r.payload), r.prev, r.hash, new Date(r.createdAt)])).join(''));
    const options = { keys: await keysFile(), checkpoint: file('cp5', await note(5)), since: file('cp3', await note(3)) };
    const fromJson = await run({ source: json(entries), ...options });
    const root = parseCheckpoint(splitNote(await note(5)).text).root.toString('base64');
    assert.deepEqual(fromJson.result, { ok: true, entries: 5, head: entries[4]!.hash, root, count: 5 });
    assert.deepEqual(fromJson.lines.map((l) => l.split(',')[0]), ['keys: ok', 'chain: ok', 'test: ok', 'tree: ok', 'checkpoint: ok', 'since: ok', 'ok: 5 entries']);
    assert.match(fromJson.text, new RegExp(`^checkpoint: ok, ${ORIGIN} of 5 entries, root ${root.replace(/[+/]/g, '\\$&')}, at \\S+Z, signed by key 1$`, 'm'));
    assert.match(fromJson.text, /^since: ok, the chain of 5 entries extends the saved hromada\.example\/zhovkva\/test:1 of 3 entries/m);
    assert.equal(last(fromJson.text), `ok: 5 entries, head ${entries[4]!.hash}, root ${root}, count 5`);
    assert.equal((await run({ source: csv, ...options })).text, fromJson.text);
    // An older checkpoint is the root of the chain's first entries.
    assert.ok((await run({ source: json(entries), keys: options.keys, checkpoint: options.since })).result.ok);
    // The command line takes the same options.
    assert.equal((await verifyLedgerCommand([json(entries), '--keys', options.keys, '--since', options.since], meanings)).result.ok, true);
    await assert.rejects(verifyLedgerCommand([json(entries), '--bogus'], meanings), /Unknown option/);
  });

  test('a truncated chain, or one rewritten and re-hashed, fails against a checkpoint saved earlier', async () => {
    const keys = await keysFile();
    const since = file('cp5', await note(5));
    const cut = await run({ source: json(entries.slice(0, 3)), keys, since });
    assert.equal(cut.result.ok, false);
    assert.equal(last(cut.text), 'failed: since: it has 5 entries, the chain only 3: entries are missing');
    assert.ok(cut.lines.includes('chain: ok, 3 entries of test:1 in 1 page, head ' + entries[2]!.hash), 'the chain itself checks out');

    const rewritten = rehash(entries.map((e) => (e.seq === 2 ? { ...e, payload: { ...e.payload, voter: 'someone else' } } : e)));
    const r = await run({ source: json(rewritten, 'rewritten.json'), keys, since: file('cp3', await note(3)) });
    assert.equal(last(r.text), 'failed: since: its root is not that of the chain\'s first 3 entries: the chain was rewritten');
    assert.equal(last((await run({ source: json(rewritten, 'rewritten.json'), keys, checkpoint: since })).text), 'failed: checkpoint: its root is not that of the chain\'s first 5 entries: the chain was rewritten');
    // Dropping the last entry and re-hashing nothing else is just as visible.
    assert.match(last((await run({ source: json(entries.slice(0, 4)), keys, checkpoint: since })).text)!, /^failed: checkpoint: it has 5 entries, the chain only 4/);
  });

  test('a checkpoint counts only when signed by an installation key for this chain, and witnesses\' cosignatures are checked', async () => {
    const source = json(entries);
    const stranger = crypto.generateKeyPairSync('ed25519').privateKey;
    const strangerKeys = file('stranger.json', JSON.stringify({ log: 'hromada.example', keys: [{ generation: 1, publicKey: rawPublicKey(stranger).toString('base64'), createdAt: new Date(0).toISOString(), retiresAt: null }], witnesses: [] }));
    assert.equal(last((await run({ source, keys: strangerKeys, checkpoint: file('cp5', await note(5)) })).text), `failed: checkpoint: no signature by an installation key for ${ORIGIN}`);
    assert.equal(last((await run({ source, keys: await keysFile(), checkpoint: file('other', await note(1, 'test:2')) })).text), 'failed: checkpoint: its origin hromada.example/zhovkva/test:2 names another chain than test:1');
    assert.match(last((await run({ source, checkpoint: file('cp5', await note(5)) })).text)!, /^failed: keys: checking a signed checkpoint or receipt needs the installation's keys/);

    const witness = crypto.generateKeyPairSync('ed25519').privateKey;
    const vkey = vkeyOf('courier.example', rawPublicKey(witness), COSIGNATURE_V1);
    const keys = await keysFile([{ name: 'courier.example', vkey, title: 'Zhovkva Courier', url: null }]);
    const cp5 = await note(5);
    const time = Math.floor(Date.now() / 1000);
    const cosigned = await run({ source, keys, checkpoint: file('cosigned', cp5 + cosignatureLine(splitNote(cp5).text, 'courier.example', witness, time)) });
    assert.match(cosigned.text, new RegExp(`signed by key 1; cosigned by Zhovkva Courier \\(courier\\.example\\) at ${new Date(time * 1000).toISOString()}$`, 'm'));
    const misplaced = cp5 + cosignatureLine(splitNote(await note(3)).text, 'courier.example', witness, time);
    assert.equal(last((await run({ source, keys, checkpoint: file('misplaced', misplaced) })).text), 'failed: checkpoint: The signature of courier.example does not verify');
  });

  test('order, the empty chain, strict reading and a module\'s own meaning', async () => {
    const empty = await run({ source: file('empty.json', '[]') });
    assert.deepEqual(empty.lines, ['chain: ok, 0 entries in 1 page, head ' + GENESIS_HASH, `tree: ok, root ${EMPTY_ROOT.toString('base64')} of 0 leaves`, `ok: 0 entries, head ${GENESIS_HASH}, root ${EMPTY_ROOT.toString('base64')}`]);
    const swapped = [entries[1]!, entries[0]!, ...entries.slice(2)];
    assert.equal(last((await run({ source: json(swapped) })).text), 'failed: chain: broken at seq 2: seq (its seq does not follow the entry before: an entry is missing, added or moved)');
    const text = JSON.stringify(entries.slice(0, 1).map((e) => ({ ...e, createdAt: undefined }))).replace('"kind":"vote"', '"kind":"vote","kind":"vote"');
    assert.match(last((await run({ source: file('dup.json', text) })).text)!, /^failed: read: JSON: line 1, column \d+: duplicate key "kind"$/);
    assert.match(last((await run({ source: file('float.json', text.replace('"kind":"vote",', '').replace('"n":0', '"n":0.0')) })).text)!, /^failed: read: JSON: line 1, column \d+: 0\.0 is not an integer/);

    const bad = rehash([...entries.slice(0, 3), { ...entries[3]!, kind: 'bad' }, entries[4]!]);
    assert.equal(last((await run({ source: json(bad, 'bad.json') })).text), 'failed: test: broken at seq 4: bad_kind');
    const other = rehash(entries.map((e) => ({ ...e, chain: 'other:1' })));
    assert.equal(last((await run({ source: json(other, 'other.json') })).text), `ok: 5 entries, head ${other[4]!.hash}, root ${rootOfRehashed(other)}`, 'no count for a chain no module explains');
    assert.equal(KEYS_PATH, SERVED_KEYS_PATH);
  });

  test('from a site: its keys and latest checkpoint by default; a log that has grown must extend the entries read', async () => {
    const leaves = entries.map((e) => entryDigests(e).leaf);
    const served = { entries: entries.slice(0, 3) as PublishedEntry[], proof: consistencyProofOf(3, leaves) };
    const keys = JSON.stringify({ ...(await publishedKeys(t.db)), witnesses: [] });
    const latest = await note(5);
    const server = http.createServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      const send = (status: number, body: string) => res.writeHead(status).end(body);
      if (url.pathname === KEYS_PATH) return send(200, keys);
      if (/^\/api\/v1\/[a-z]+\/ledger\/test:1\/entries\.json$/.test(url.pathname)) return send(200, JSON.stringify(served.entries));
      if (url.pathname === '/api/v1/zhovkva/ledger/test:1/checkpoint') return send(200, latest);
      if (url.pathname === '/api/v1/zhovkva/ledger/test:1/proof/consistency' && url.search === '?from=3&to=5') {
        return send(200, JSON.stringify({ from: 3, to: 5, hashes: served.proof.map((h) => h.toString('base64')), checkpoint: latest }));
      }
      return send(404, '{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const source = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/zhovkva/ledger/test:1/entries.json`;
      const grown = await run({ source });
      assert.equal(grown.result.ok, true, grown.text);
      assert.match(grown.text, /^checkpoint: ok, the latest, which has grown since and extends the entries read \(consistency proof from 3\), hromada\.example\/zhovkva\/test:1 of 5 entries/m);
      // A forked view: the site shows a rewritten history of 3 entries beside its real signed head.
      served.entries = rehash(entries.slice(0, 3).map((e) => (e.seq === 1 ? { ...e, payload: { ...e.payload, voter: 'forged' } } : e)));
      assert.equal(last((await run({ source })).text), 'failed: checkpoint: the latest (5 entries) does not extend the 3 entries read: the log shows another history');
      served.entries = entries.slice(0, 3);
      served.proof = [];
      assert.match(last((await run({ source })).text)!, /^failed: checkpoint: the latest \(5 entries\) does not extend/);
      // The municipality read from must be the checkpoint's.
      const elsewhere = source.replace('/zhovkva/', '/sombor/');
      served.proof = consistencyProofOf(3, leaves);
      assert.equal(last((await run({ source: elsewhere, checkpoint: file('cp5', latest) })).text), `failed: checkpoint: its origin ${ORIGIN} names another municipality than sombor`);
      assert.match(last((await run({ source: elsewhere })).text)!, /^failed: checkpoint: .*\/api\/v1\/sombor\/ledger\/test:1\/checkpoint has none for a chain of 3 entries$/);
    } finally {
      server.close();
    }
  });

  test('a receipt: checked offline, then against the chain; it fails once its entry is removed, and a promise must be kept', async () => {
    const keys = await keysFile();
    const source = json(entries);
    const e2 = entries[1]!;
    const act = (payload: Record<string, unknown>, deadline = new Date(Date.now() + 60_000)) => ({ kind: 'vote', payload, deadline });
    const sealed = file('receipt.json', JSON.stringify(await buildReceipt(t.db, m, 'test:1', act(e2.payload), 2)));
    const good = await run({ source, keys, receipt: sealed });
    assert.equal(good.result.ok, true, good.text);
    assert.ok(good.lines.includes('receipt: ok, the inclusion proof places entry 2 in the tree of size 5.'), good.text);
    assert.ok(good.lines.includes('receipt: ok, the ledger as it is now (tree size 5) extends the checkpoint in the receipt: nothing before it was changed or removed.'), good.text);

    const removed = rehash(entries.filter((e) => e.seq !== 2).map((e, i) => ({ ...e, seq: i + 1 })));
    const shrunk = 'failed: receipt: the ledger\'s tree is now smaller (size 4) than the checkpoint in the receipt: entries were removed.';
    assert.equal(last((await run({ source: json(removed, 'removed.json'), keys, receipt: sealed })).text), shrunk);
    // Removed, and the tree grown back past the receipt's size with another entry: a rewritten history.
    const regrown = rehash([...removed, { ...entries[4]!, seq: 5, payload: { voter: 'filler' } }]);
    assert.equal(last((await run({ source: json(regrown, 'regrown.json'), keys, receipt: sealed })).text), 'failed: receipt: the ledger as it is now (tree size 5) does not extend the checkpoint in the receipt: its history was rewritten. Keep this file as evidence.');
    assert.equal(last((await run({ source: json(entries.slice(0, 3), 'cut.json'), keys, receipt: sealed })).text), shrunk.replace('size 4', 'size 3'));
    const altered = JSON.parse(fs.readFileSync(sealed, 'utf8'));
    altered.entry.payload.voter = 'someone else';
    assert.equal(last((await run({ source, keys, receipt: file('altered.json', JSON.stringify(altered)) })).text), 'failed: receipt: the entry in the receipt is not what was promised.');
    assert.match(last((await run({ source, keys, receipt: file('dup.json', fs.readFileSync(sealed, 'utf8').replace('"format":', '"origin":"x","format":')) })).text)!, /^failed: receipt: line 1, column \d+: duplicate key "origin"$/);
    const other = file('other.json', JSON.stringify(await buildReceipt(t.db, m, 'test:2', act({ voter: 'x' }), 1)));
    assert.equal(last((await run({ source, keys, receipt: other })).text), 'failed: receipt: this receipt belongs to another chain.');

    const promised = async (payload: Record<string, unknown>, deadline?: Date) => file('promise.json', JSON.stringify(await buildReceipt(t.db, m, 'test:1', act(payload, deadline), null)));
    assert.ok((await run({ source, keys, receipt: await promised(e2.payload) })).lines.includes('receipt: ok, the promised entry has been sealed since, as entry 2; download the receipt again to keep its proof.'));
    assert.ok((await run({ source, keys, receipt: await promised({ voter: 'soon' }) })).lines.includes('receipt: ok, the promised entry is not sealed yet, and its deadline has not passed.'));
    const overdue = 'failed: receipt: the promised entry is not in the ledger, and the promised deadline has passed: the site broke its promise. Keep this file as evidence.';
    const past = await promised({ voter: 'never' }, new Date(Date.now() - 3_600_000));
    assert.equal(last((await run({ source, keys, receipt: past })).text), overdue);
    // Judged by a signed checkpoint from after the deadline, whenever the check runs.
    assert.equal(last((await run({ source, keys, receipt: past, checkpoint: file('cp5', await note(5)), now: new Date(0) })).text), overdue);
    assert.ok((await run({ source, keys, receipt: past, now: new Date(0) })).result.ok, 'without such a checkpoint, the deadline is judged by the time given');
  });

  test('after a rotation: old checkpoints keep their key, a retired key cannot sign new ones', async () => {
    const cp5 = file('cp5', await note(5));
    const [old] = await t.db.selectFrom('ledger_keys').select(['private_key']).where('generation', '=', 1).execute();
    await rotateLedgerKey(t.db, 0);
    await appendToLedger(t.db, { municipalityId: m, chain: 'test:1', entries: [{ kind: 'vote', payload: { voter: 'after' } }] });
    const all = await ledgerEntries(t.db, m, 'test:1', { limit: 100 });
    const keys = await keysFile();
    assert.ok((await run({ source: json(all), keys, checkpoint: cp5 })).result.ok, 'signed by key 1 while it was signing');
    assert.match((await run({ source: json(all), keys, checkpoint: file('cp6', await note(6)) })).text, /^checkpoint: ok, .* signed by key 2$/m);
    const root = parseCheckpoint(splitNote(await note(6)).text).root;
    const forged = signNote(formatCheckpoint({ origin: ORIGIN, size: 6, root, time: new Date(Date.now() + 2000) }), [{ name: ORIGIN, privateKey: privateKeyFromRaw(old!.private_key) }]);
    assert.match(last((await run({ source: json(all), keys, checkpoint: file('forged', forged) })).text)!, /^failed: checkpoint: signed only by key 1, which was not signing at /);
  });
});
