import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { describe, test } from 'node:test';
import { formatCheckpoint, parseCheckpoint } from './checkpoint.ts';
import {
  appendLeaves, consistencyProofOf, EMPTY_ROOT, frontier, inclusionProofOf, leafHash, nodeKey, rootOf, verifyConsistency, verifyInclusion,
} from './merkle.ts';
import { COSIGNATURE_V1, cosignatureLine, openNote, parseVkey, rawPublicKey, signNote, splitNote, vkeyOf } from './note.ts';

const leaves = (n: number) => Array.from({ length: n }, (_, i) => leafHash(`leaf ${i}`));

describe('Merkle tree (RFC 9162)', () => {
  test('the empty tree and a one-leaf tree', () => {
    assert.equal(EMPTY_ROOT.toString('hex'), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.deepEqual(rootOf(leaves(1)), leafHash('leaf 0'));
  });

  test('every inclusion and consistency proof of trees up to 40 leaves verifies; a changed one does not', () => {
    for (let n = 1; n <= 40; n++) {
      const all = leaves(n);
      const root = rootOf(all);
      for (let i = 0; i < n; i++) {
        const proof = inclusionProofOf(i, all);
        assert.ok(verifyInclusion(all[i]!, i, n, proof, root), `leaf ${i} of ${n}`);
        assert.ok(!verifyInclusion(all[(i + 1) % n]!, i, n, proof, root) || n === 1, `another leaf at ${i} of ${n}`);
        if (proof.length > 0) assert.ok(!verifyInclusion(all[i]!, i, n, [...proof.slice(0, -1), crypto.randomBytes(32)], root));
      }
      for (let m = 1; m <= n; m++) {
        const proof = consistencyProofOf(m, all);
        assert.ok(verifyConsistency(m, n, proof, rootOf(all.slice(0, m)), root), `${m} → ${n}`);
        if (m < n) assert.ok(!verifyConsistency(m, n, proof, rootOf(leaves(m).map((l) => leafHash(l))), root), `forked ${m} → ${n}`);
      }
    }
  });

  test('appending in batches stores the frontier and reaches the same root', () => {
    const all = leaves(77);
    let size = 0;
    const known = new Map<string, Buffer>();
    for (const batch of [1, 2, 5, 8, 13, 21, 27]) {
      const r = appendLeaves(size, known, all.slice(size, size + batch));
      for (const node of r.stored) known.set(nodeKey(node), node.hash);
      size += batch;
      assert.deepEqual(r.root, rootOf(all.slice(0, size)));
      for (const ref of frontier(size)) assert.ok(known.has(nodeKey(ref)));
    }
    // Every leaf and every completed perfect subtree is stored once: 2n − popcount(n) nodes.
    assert.equal(known.size, 2 * 77 - 4);
  });
});

describe('signed notes and checkpoints (C2SP)', () => {
  const { privateKey } = crypto.generateKeyPairSync('ed25519');
  const origin = 'hromada.example/zhovkva/petition:1';
  const text = formatCheckpoint({ origin, size: 3, root: rootOf(leaves(3)), time: new Date('2026-12-02T10:00:00Z') });

  test('a checkpoint is three lines and a time line, and reads back', () => {
    assert.match(text, /^hromada\.example\/zhovkva\/petition:1\n3\n[A-Za-z0-9+/]{43}=\ntime 1796205600\n$/);
    assert.deepEqual(parseCheckpoint(text).root, rootOf(leaves(3)));
    assert.throws(() => parseCheckpoint('x\n03\nAA==\n'), /tree size/);
  });

  test('a signed note verifies with its vkey, ignores unknown keys and refuses a changed text', () => {
    const note = signNote(text, [{ name: origin, privateKey }]);
    const vkey = vkeyOf(origin, rawPublicKey(privateKey));
    assert.equal(parseVkey(vkey).name, origin);
    assert.equal(openNote(note, [vkey]).verified.length, 1);
    assert.equal(openNote(note, []).verified.length, 0);
    assert.throws(() => openNote(note.replace('\n3\n', '\n4\n'), [vkey]), /does not verify/);
    assert.throws(() => splitNote(text), /Not a signed note/);
  });

  test('a witness cosignature carries its time and verifies with a type 0x04 vkey', () => {
    const witness = crypto.generateKeyPairSync('ed25519').privateKey;
    const note = signNote(text, [{ name: origin, privateKey }]) + cosignatureLine(text, 'witness.example/w1', witness, 1796205700);
    const vkey = vkeyOf('witness.example/w1', rawPublicKey(witness), COSIGNATURE_V1);
    const opened = openNote(note, [vkey]);
    assert.deepEqual(opened.verified.map((v) => [v.name, v.time]), [['witness.example/w1', 1796205700]]);
    // The same key as a plain note key (type 0x01) has another key id: the cosignature is not mistaken for one.
    assert.equal(openNote(note, [vkeyOf('witness.example/w1', rawPublicKey(witness))]).verified.length, 0);
  });
});
