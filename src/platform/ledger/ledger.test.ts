import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../testing/db.ts';
import { appendToLedger, canonicalJson, entryHash, GENESIS_HASH, ledgerEntries, pseudonym, verifyChain } from './ledger.ts';

const municipality = (slug: string) => ({
  slug,
  names: JSON.stringify({ uk: slug }),
  official_code: `UA-${slug}`,
  center_lat: 50,
  center_lng: 24,
  default_locale: 'uk',
  currency: 'UAH',
});

/** The worked example of docs/LEDGER.md: if this changes, the document (and every verifier) must too. */
const EXAMPLE_SIGNER_1 = pseudonym('example-secret', 'petition:42', 7);
const EXAMPLE_SIGNER_2 = pseudonym('example-secret', 'petition:42', 8);
const EXAMPLE_1 = { chain: 'petition:42', seq: 1, kind: 'signature', payload: { signer: EXAMPLE_SIGNER_1, at: '2026-11-23T10:00:00Z' }, prev: GENESIS_HASH };
const EXAMPLE_HASH_1 = '125778c13d0cca77c6af3d74764904fde602f77c218b163b77c1429aea9a5722';
const EXAMPLE_2 = { chain: 'petition:42', seq: 2, kind: 'signature', payload: { signer: EXAMPLE_SIGNER_2, at: '2026-11-23T10:05:00Z', place: 'Жовква' }, prev: EXAMPLE_HASH_1 };
const EXAMPLE_HASH_2 = '84ad84a8b34ab1e2465ff988d3675b4330f052a0b6ddd686f755bb57bd9631a7';

describe('canonicalJson, entryHash and pseudonym', () => {
  test('sorts keys at every depth and leaves no whitespace', () => {
    assert.equal(canonicalJson({ b: 1, a: [{ z: true, y: null }, 'ї'], c: { e: 'x', d: -3 } }), '{"a":[{"y":null,"z":true},"ї"],"b":1,"c":{"d":-3,"e":"x"}}');
    assert.equal(canonicalJson({ skip: undefined, keep: 'Ђ "q" \n' }), '{"keep":"Ђ \\"q\\" \\n"}');
    assert.equal(canonicalJson(EXAMPLE_1), `{"chain":"petition:42","kind":"signature","payload":{"at":"2026-11-23T10:00:00Z","signer":"${EXAMPLE_SIGNER_1}"},"prev":"${GENESIS_HASH}","seq":1}`);
  });

  test('refuses values that would not re-hash the same after publication', () => {
    for (const bad of [1.5, NaN, Infinity, 2 ** 60, [undefined], new Date(0), 'a\u0000b', 'x\ud800', 10n, () => 1]) {
      assert.throws(() => canonicalJson({ v: bad }), TypeError, String(bad));
    }
  });

  test('the worked example is what docs/LEDGER.md says', () => {
    assert.equal(EXAMPLE_SIGNER_1, '006253a8b0606e3b039f7f7219a4791ed12df1b2bf56900771d3a53818a17ef8');
    assert.equal(entryHash(EXAMPLE_1), EXAMPLE_HASH_1);
    assert.equal(entryHash(EXAMPLE_2), EXAMPLE_HASH_2);
    const chain = [{ ...EXAMPLE_1, hash: EXAMPLE_HASH_1 }, { ...EXAMPLE_2, hash: EXAMPLE_HASH_2 }];
    assert.deepEqual(verifyChain(chain), { ok: true, head: EXAMPLE_HASH_2, count: 2 });
  });

  test('pseudonyms are stable, and differ per chain, user and secret', () => {
    const p = pseudonym('secret', 'petition:1', 7);
    assert.match(p, /^[0-9a-f]{64}$/);
    assert.equal(pseudonym('secret', 'petition:1', 7), p);
    assert.notEqual(pseudonym('secret', 'petition:2', 7), p);
    assert.notEqual(pseudonym('secret', 'petition:1', 8), p);
    assert.notEqual(pseudonym('other', 'petition:1', 7), p);
  });
});

describe(`appendToLedger and verifyChain (${process.env.TEST_DB ?? 'pglite'})`, () => {
  let t: TestDatabase;
  let m1: number;
  let m2: number;

  before(async () => {
    t = await createTestDatabase();
    const rows = await t.db.insertInto('municipalities').values([municipality('zhovkva'), municipality('uzice')]).returning('id').execute();
    [m1, m2] = rows.map((r) => r.id) as [number, number];
  });
  after(() => t?.cleanup());

  const all = (municipalityId: number, chain: string) => ledgerEntries(t.db, municipalityId, chain, { limit: 10_000 });

  test('appends batches at the end of the chain and the chain verifies', async () => {
    const first = await appendToLedger(t.db, { municipalityId: m1, chain: 'petition:1', entries: [
      { kind: 'signature', payload: { signer: 'a' } },
      { kind: 'signature', payload: { signer: 'b' } },
      { kind: 'signature', payload: { signer: 'c' } },
    ] });
    assert.deepEqual(first.map((e) => e.seq), [1, 2, 3]);
    assert.equal(first[0]!.prev, GENESIS_HASH);
    assert.equal(first[1]!.prev, first[0]!.hash);

    const second = await appendToLedger(t.db, { municipalityId: m1, chain: 'petition:1', entries: [
      { kind: 'signature', payload: { signer: 'd', nested: { list: [1, 2], ok: true } } },
      { kind: 'withdrawal', payload: { signer: 'a' } },
    ] });
    assert.deepEqual(second.map((e) => e.seq), [4, 5]);
    assert.equal(second[0]!.prev, first[2]!.hash);

    const published = await all(m1, 'petition:1');
    assert.deepEqual(verifyChain(published), { ok: true, head: second[1]!.hash, count: 5 });
    assert.deepEqual(published[3]!.payload, { signer: 'd', nested: { list: [1, 2], ok: true } });

    // Publication in pages: each page verifies on its own from the last entry of the one before.
    const page1 = await ledgerEntries(t.db, m1, 'petition:1', { limit: 2 });
    const page2 = await ledgerEntries(t.db, m1, 'petition:1', { afterSeq: 2, limit: 10 });
    assert.deepEqual(page2.map((e) => e.seq), [3, 4, 5]);
    assert.equal(verifyChain(page1).ok, true);
    assert.deepEqual(verifyChain(page2, { seq: 2, hash: page1[1]!.hash }), { ok: true, head: second[1]!.hash, count: 3 });
    assert.deepEqual(verifyChain(page2), { ok: false, brokenAt: 3, reason: 'seq' });
  });

  test('chains are separate per name and per municipality', async () => {
    const [other] = await appendToLedger(t.db, { municipalityId: m1, chain: 'vote:9', entries: [{ kind: 'vote', payload: { voter: 'x' } }] });
    const [elsewhere] = await appendToLedger(t.db, { municipalityId: m2, chain: 'petition:1', entries: [{ kind: 'signature', payload: { signer: 'a' } }] });
    assert.equal(other!.seq, 1);
    assert.equal(other!.prev, GENESIS_HASH);
    assert.equal(elsewhere!.seq, 1);
    assert.equal((await all(m1, 'petition:1')).length, 5);
  });

  test('an empty chain verifies with the genesis hash as head', async () => {
    assert.deepEqual(verifyChain(await all(m1, 'nothing-here')), { ok: true, head: GENESIS_HASH, count: 0 });
  });

  test('a tampered payload, a removed entry or a mixed-in chain is reported at its seq', async () => {
    await appendToLedger(t.db, { municipalityId: m1, chain: 'tamper', entries: [1, 2, 3, 4].map((n) => ({ kind: 'vote', payload: { voter: `v${n}` } })) });
    await sql`UPDATE ledger_entries SET payload = '{"voter":"mallory"}' WHERE chain = 'tamper' AND seq = 3`.execute(t.db);
    assert.deepEqual(verifyChain(await all(m1, 'tamper')), { ok: false, brokenAt: 3, reason: 'hash' });

    const entries = await all(m1, 'tamper');
    // Re-hashing the forged entry does not help: the next entry still names the original hash.
    const forged = entries.map((e) => ({ ...e }));
    forged[2]!.hash = entryHash(forged[2]!);
    assert.deepEqual(verifyChain(forged), { ok: false, brokenAt: 4, reason: 'prev' });
    assert.deepEqual(verifyChain([entries[0]!, entries[2]!]), { ok: false, brokenAt: 3, reason: 'seq' });
    const mixed = [...(await all(m1, 'vote:9'))];
    assert.deepEqual(verifyChain([entries[0]!, { ...mixed[0]!, seq: 2 }]), { ok: false, brokenAt: 2, reason: 'chain' });
  });

  test('entries appended in a transaction that rolls back leave no trace and no gap', async () => {
    await assert.rejects(t.db.transaction().execute(async (trx) => {
      await appendToLedger(trx, { municipalityId: m1, chain: 'rollback', entries: [{ kind: 'vote', payload: { voter: 'gone' } }] });
      throw new Error('the vote itself failed');
    }), /the vote itself failed/);
    const [kept] = await appendToLedger(t.db, { municipalityId: m1, chain: 'rollback', entries: [{ kind: 'vote', payload: { voter: 'kept' } }] });
    assert.equal(kept!.seq, 1);
    assert.deepEqual((await all(m1, 'rollback')).map((e) => e.payload), [{ voter: 'kept' }]);
  });

  test('a bad payload is refused before anything is written', async () => {
    await assert.rejects(appendToLedger(t.db, { municipalityId: m1, chain: 'bad', entries: [{ kind: 'vote', payload: { amount: 1.5 } }] }), TypeError);
    await assert.rejects(appendToLedger(t.db, { municipalityId: m1, chain: '', entries: [{ kind: 'vote', payload: {} }] }), TypeError);
    assert.deepEqual(await all(m1, 'bad'), []);
  });

  test('50 concurrent appends in separate transactions give one gapless chain', async () => {
    const chain = 'budget:2027';
    await Promise.all(Array.from({ length: 50 }, (_, i) => t.db.transaction().execute(async (trx) => {
      // Something else happens in the same transaction first, as a real vote would record itself.
      await sql`SELECT 1`.execute(trx);
      return appendToLedger(trx, { municipalityId: m1, chain, entries: [{ kind: 'vote', payload: { voter: `v${i}`, project: i % 3 } }] });
    })));
    const entries = await all(m1, chain);
    assert.deepEqual(entries.map((e) => e.seq), Array.from({ length: 50 }, (_, i) => i + 1));
    assert.deepEqual(new Set(entries.map((e) => e.payload.voter)).size, 50);
    const result = verifyChain(entries);
    assert.equal(result.ok, true);
    assert.equal(result.ok && result.count, 50);
  });
});
