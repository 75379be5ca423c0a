import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../testing/db.ts';
import { createMunicipality } from '../testing/http.ts';
import { ledgerEntries, verifyChain } from './ledger.ts';
import { enqueueLedgerEntries, enqueueLedgerEntry, queuedCount, queuedSeq, sealLedgerQueue, sealQueuedChain, type QueueHooks } from './queue.ts';

let t: TestDatabase;
let m: number;
let opened: string[] = [];
const hooks: QueueHooks = {
  prefix: 'vote',
  async beforeFirst(_trx, _m, chain) {
    opened.push(chain);
    return [{ kind: 'opening', payload: { chain } }];
  },
};

before(async () => {
  t = await createTestDatabase();
  m = (await createMunicipality(t.db, { slug: 'queue-town' })).id;
});
after(() => t.cleanup());

describe('the ledger queue', () => {
  test('entries wait in the queue with the act, then are sealed in order after the opening entry, their refs found', async () => {
    await t.db.transaction().execute(async (trx) => {
      await enqueueLedgerEntry(trx, { municipalityId: m, chain: 'vote:1', kind: 'ballot', payload: { n: 1 }, ref: 'a' });
      await enqueueLedgerEntries(trx, [
        { municipalityId: m, chain: 'vote:1', kind: 'ballot', payload: { n: 2 } },
        { municipalityId: m, chain: 'vote:1', kind: 'ballot', payload: { n: 3 }, ref: 'c' },
        { municipalityId: m, chain: 'other:1', kind: 'x', payload: { n: 9 } },
      ]);
    });
    assert.equal(await queuedCount(t.db, m, 'vote:1'), 3);
    assert.equal(await queuedSeq(t.db, m, 'vote:1', 'a'), null);
    assert.equal(await sealLedgerQueue(t.db, hooks), 3);
    const rows = await ledgerEntries(t.db, m, 'vote:1', { limit: 10 });
    assert.deepEqual(rows.map((r) => [r.kind, r.payload]), [['opening', { chain: 'vote:1' }], ['ballot', { n: 1 }], ['ballot', { n: 2 }], ['ballot', { n: 3 }]]);
    assert.ok(verifyChain(rows).ok);
    assert.equal(await queuedSeq(t.db, m, 'vote:1', 'a'), 2);
    assert.equal(await queuedSeq(t.db, m, 'vote:1', 'c'), 4);
    assert.equal(await queuedCount(t.db, m, 'vote:1'), 0);
    assert.equal(await queuedCount(t.db, m, 'other:1'), 1, 'another prefix is left to its own task');
    // Later entries follow without a second opening.
    await enqueueLedgerEntry(t.db, { municipalityId: m, chain: 'vote:1', kind: 'ballot', payload: { n: 4 }, ref: 'd' });
    assert.equal(await sealLedgerQueue(t.db, hooks), 1);
    assert.deepEqual(opened, ['vote:1']);
    assert.equal(await queuedSeq(t.db, m, 'vote:1', 'd'), 5);
  });

  test('a payload outside the ledger domain is refused when queued, and nothing is written', async () => {
    await assert.rejects(t.db.transaction().execute((trx) => enqueueLedgerEntry(trx, { municipalityId: m, chain: 'vote:2', kind: 'ballot', payload: { x: 1.5 } })), TypeError);
    assert.equal(await queuedCount(t.db, m, 'vote:2'), 0);
  });

  test('two sealers at once seal each entry once, in order', async () => {
    await enqueueLedgerEntries(t.db, Array.from({ length: 50 }, (_, i) => ({ municipalityId: m, chain: 'vote:3', kind: 'ballot', payload: { n: i }, ref: `r${i}` })));
    const sealed = await Promise.all([sealQueuedChain(t.db, m, 'vote:3', hooks), sealQueuedChain(t.db, m, 'vote:3', hooks), sealLedgerQueue(t.db, hooks)]);
    assert.equal(sealed.reduce((a, b) => a + b, 0), 50);
    const rows = await ledgerEntries(t.db, m, 'vote:3', { limit: 100 });
    assert.deepEqual(rows.map((r) => r.payload.n ?? 'opening'), ['opening', ...Array.from({ length: 50 }, (_, i) => i)]);
    assert.ok(verifyChain(rows).ok);
    assert.equal(await queuedSeq(t.db, m, 'vote:3', 'r49'), 51);
  });
});
