import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../testing/db.ts';
import { appendToLedger, canonicalJson } from './ledger.ts';
import { ensureLedgerLog, publishedKeys } from './log.ts';
import { signNote } from './note.ts';
import { buildReceipt, checkAgainstLog, checkReceipt, type Receipt } from './receipt.ts';

const municipality = (slug: string) => ({
  slug, names: JSON.stringify({ uk: slug }), official_code: `UA-${slug}`, center_lat: 50, center_lng: 24, default_locale: 'uk', currency: 'UAH',
});
const entry = (i: number) => ({ kind: 'signature', payload: { signer: `signer-${i}`, at: `2026-12-02T10:00:0${i}Z` } });
const hour = () => new Date(Date.now() + 3600_000);

describe(`receipts (${process.env.TEST_DB ?? 'pglite'})`, () => {
  let t: TestDatabase;
  let m: number;
  const chain = 'petition:3';
  const keys = async () => (await publishedKeys(t.db)).keys;
  const codes = (steps: { code: string; ok: boolean }[]) => steps.map((s) => `${s.ok ? '+' : '-'}${s.code}`);

  /** Replaces the chain by the given entries, re-hashed and re-signed: what a dishonest operator could do. */
  async function rewrite(entries: ReturnType<typeof entry>[]) {
    for (const table of ['ledger_entries', 'ledger_nodes', 'ledger_checkpoints'] as const) {
      await t.db.deleteFrom(table).where('municipality_id', '=', m).where('chain', '=', chain).execute();
    }
    await appendToLedger(t.db, { municipalityId: m, chain, entries });
  }

  before(async () => {
    t = await createTestDatabase();
    m = (await t.db.insertInto('municipalities').values(municipality('zhovkva')).returning('id').executeTakeFirstOrThrow()).id;
    await ensureLedgerLog(t.db, 'hromada.example');
  });
  after(() => t?.cleanup());

  test('a promise before sealing, then entry, proof and checkpoint, each checked offline and against the log', async () => {
    await rewrite([1, 2].map(entry));
    const pending = await buildReceipt(t.db, m, chain, { ...entry(3), deadline: hour() }, null);
    assert.deepEqual([pending.entry, pending.checkpoint], [null, null]);
    const promised = checkReceipt(JSON.parse(JSON.stringify(pending)), await keys());
    assert.deepEqual(codes(promised.steps), ['+promiseSignature', '+pending']);
    assert.deepEqual(codes(await checkAgainstLog(t.db, m, chain, promised)), ['+stillPending']);
    await appendToLedger(t.db, { municipalityId: m, chain, entries: [3, 4, 5].map(entry) });
    assert.deepEqual(codes(await checkAgainstLog(t.db, m, chain, promised)), ['+sealedSince']);
    const sealed = await buildReceipt(t.db, m, chain, { ...entry(3), deadline: hour() }, 3);
    const checked = checkReceipt(JSON.parse(JSON.stringify(sealed)), await keys());
    assert.deepEqual(codes(checked.steps), ['+promiseSignature', '+entryMatches', '+entryHash', '+checkpointSignature', '+inclusion']);
    await appendToLedger(t.db, { municipalityId: m, chain, entries: [6].map(entry) });
    assert.deepEqual(codes(await checkAgainstLog(t.db, m, chain, checked)), ['+logConsistent']);
  });

  test('a receipt fails against the log once its entry is removed, the chain re-hashed and re-signed, or cut short', async () => {
    await rewrite([1, 2, 3, 4, 5, 6].map(entry));
    const receipt = await buildReceipt(t.db, m, chain, { ...entry(3), deadline: hour() }, 3);
    const checked = checkReceipt(receipt, await keys());
    assert.ok(checked.ok);
    await rewrite([1, 2, 4, 5, 6, 7].map(entry));
    assert.deepEqual(codes(await checkAgainstLog(t.db, m, chain, checked)), ['-logRewritten']);
    await rewrite([1, 2, 3].map(entry));
    assert.deepEqual(codes(await checkAgainstLog(t.db, m, chain, checked)), ['-logShrunk']);
    // A promise never kept: the deadline passed and no such entry.
    const broken = checkReceipt(await buildReceipt(t.db, m, chain, { ...entry(9), deadline: new Date(Date.now() - 1000) }, null), await keys());
    assert.deepEqual(codes(await checkAgainstLog(t.db, m, chain, broken)), ['-promiseOverdue']);
  });

  test('an edited or forged receipt fails offline at the step at fault', async () => {
    await rewrite([1, 2, 3, 4].map(entry));
    const good = await buildReceipt(t.db, m, chain, { ...entry(2), deadline: hour() }, 2);
    const k = await keys();
    const edit = (f: (r: Receipt) => void) => {
      const r = JSON.parse(JSON.stringify(good)) as Receipt;
      f(r);
      return codes(checkReceipt(r, k).steps).at(-1);
    };
    assert.equal(edit((r) => { r.format = 'x' as never; }), '-format');
    assert.equal(edit((r) => { r.promise = r.promise.replace('signer-2', 'signer-7'); }), '-promiseSignature');
    assert.equal(edit((r) => { r.entry!.payload.signer = 'signer-7'; }), '-entryMatches');
    assert.equal(edit((r) => { r.entry!.prev = '1'.repeat(64); }), '-entryHash');
    assert.equal(edit((r) => { r.inclusion!.hashes[0] = Buffer.alloc(32).toString('base64'); }), '-inclusion');
    const forger = crypto.generateKeyPairSync('ed25519').privateKey;
    const text = good.checkpoint!.slice(0, good.checkpoint!.indexOf('\n\n') + 1);
    assert.equal(edit((r) => { r.checkpoint = signNote(text, [{ name: r.origin, privateKey: forger }]); }), '-checkpointSignature');
    assert.equal(edit((r) => { r.promise = signNote(`hromada/ledger-promise/v1\n${r.origin}\nsignature\n${canonicalJson(entry(2).payload)}\n1\n`, [{ name: r.origin, privateKey: forger }]); }), '-promiseSignature');
  });
});
