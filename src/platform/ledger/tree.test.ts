import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, type TestDatabase } from '../testing/db.ts';
import { parseCheckpoint } from './checkpoint.ts';
import { appendToLedger, entryLeaf, ledgerEntries } from './ledger.ts';
import { chainOrigin, chainVkeys, ensureLedgerLog, publishedKeys, rotateLedgerKey } from './log.ts';
import { leafHash, rootOf, verifyConsistency, verifyInclusion } from './merkle.ts';
import { openNote } from './note.ts';
import { consistencyProof, inclusionProof, rootAt } from './tree.ts';
import { buildMissingTrees } from './upgrade.ts';

const municipality = (slug: string) => ({
  slug, names: JSON.stringify({ uk: slug }), official_code: `UA-${slug}`, center_lat: 50, center_lng: 24, default_locale: 'uk', currency: 'UAH',
});

describe(`the ledger's Merkle tree and checkpoints (${process.env.TEST_DB ?? 'pglite'})`, () => {
  let t: TestDatabase;
  let m: number;
  const chain = 'petition:7';
  const checkpoints = () => t.db.selectFrom('ledger_checkpoints').selectAll().where('municipality_id', '=', m).where('chain', '=', chain).orderBy('size').execute();

  before(async () => {
    t = await createTestDatabase();
    m = (await t.db.insertInto('municipalities').values(municipality('zhovkva')).returning('id').executeTakeFirstOrThrow()).id;
    await ensureLedgerLog(t.db, 'hromada.example');
    for (const n of [1, 2, 3, 10, 1, 17, 30]) {
      await appendToLedger(t.db, { municipalityId: m, chain, entries: Array.from({ length: n }, (_, i) => ({ kind: 'signature', payload: { signer: `s${n}-${i}` } })) });
    }
  });
  after(() => t?.cleanup());

  test('every append leaves a checkpoint whose root is the tree of the entries, signed for the chain\'s origin', async () => {
    const entries = await ledgerEntries(t.db, m, chain, { limit: 10_000 });
    const leaves = entries.map((e) => entryLeaf(e));
    const rows = await checkpoints();
    assert.deepEqual(rows.map((c) => Number(c.size)), [1, 3, 6, 16, 17, 34, 64]);
    const origin = await chainOrigin(t.db, m, chain);
    assert.equal(origin, 'hromada.example/zhovkva/petition:7');
    const vkeys = chainVkeys(origin, (await publishedKeys(t.db)).keys);
    for (const c of rows) {
      const size = Number(c.size);
      assert.deepEqual(Buffer.from(c.root), rootOf(leaves.slice(0, size)));
      assert.deepEqual(await rootAt(t.db, m, chain, size), rootOf(leaves.slice(0, size)));
      const opened = openNote(c.note, vkeys);
      assert.equal(opened.verified.length, 1);
      const cp = parseCheckpoint(opened.text);
      assert.equal(cp.origin, origin);
      assert.equal(cp.size, size);
    }
    // The leaf is the entry's canonical form, the text its hash is the SHA-256 of.
    assert.deepEqual(leaves[0], leafHash(`{"chain":"petition:7","kind":"signature","payload":{"signer":"s1-0"},"prev":"${'0'.repeat(64)}","seq":1}`));
  });

  test('inclusion and consistency proofs read from the database verify against the checkpoints', async () => {
    const rows = await checkpoints();
    const entries = await ledgerEntries(t.db, m, chain, { limit: 10_000 });
    for (const c of rows) {
      const size = Number(c.size);
      for (const seq of [1, Math.ceil(size / 2), size]) {
        const proof = await inclusionProof(t.db, m, chain, seq, size);
        assert.ok(verifyInclusion(entryLeaf(entries[seq - 1]!), seq - 1, size, proof, c.root), `${seq} in ${size}`);
      }
      for (const older of rows.filter((o) => Number(o.size) <= size)) {
        const proof = await consistencyProof(t.db, m, chain, Number(older.size), size);
        assert.ok(verifyConsistency(Number(older.size), size, proof, older.root, c.root), `${older.size} → ${size}`);
      }
    }
  });

  test('a rotated key signs beside the old one during the overlap; without overlap the old one stops', async () => {
    await rotateLedgerKey(t.db, 30);
    await appendToLedger(t.db, { municipalityId: m, chain, entries: [{ kind: 'signature', payload: { signer: 'after-rotation' } }] });
    const keys = (await publishedKeys(t.db)).keys;
    assert.equal(keys.length, 2);
    assert.ok(keys[0]!.retiresAt && keys[1]!.retiresAt === null);
    const origin = await chainOrigin(t.db, m, chain);
    const [oldKey, newKey] = chainVkeys(origin, keys);
    const last = async () => (await checkpoints()).at(-1)!.note;
    assert.equal(openNote(await last(), [oldKey!]).verified.length, 1);
    assert.equal(openNote(await last(), [newKey!]).verified.length, 1);
    await rotateLedgerKey(t.db, 0);
    await appendToLedger(t.db, { municipalityId: m, chain, entries: [{ kind: 'signature', payload: { signer: 'after-second-rotation' } }] });
    const third = chainVkeys(origin, (await publishedKeys(t.db)).keys)[2]!;
    const opened = openNote(await last(), [oldKey!, newKey!, third]);
    assert.deepEqual(opened.verified.length, 1);
    assert.equal(opened.signatures.length, 1);
  });

  test('chains written before the tree existed get the same tree and a checkpoint at start', async () => {
    const before = await checkpoints();
    const size = Number(before.at(-1)!.size);
    await sql`UPDATE ledger_entries SET leaf = NULL WHERE municipality_id = ${m} AND chain = ${chain}`.execute(t.db);
    await t.db.deleteFrom('ledger_checkpoints').where('chain', '=', chain).execute();
    assert.equal(await buildMissingTrees(t.db), 1);
    assert.equal(await buildMissingTrees(t.db), 0);
    const after = await checkpoints();
    assert.equal(after.length, 1);
    assert.deepEqual(Buffer.from(after[0]!.root), Buffer.from(before.at(-1)!.root));
    assert.deepEqual(await rootAt(t.db, m, chain, size), Buffer.from(before.at(-1)!.root));
  });
});
