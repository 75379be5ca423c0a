import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { describe, test } from 'node:test';
import { formatCheckpoint } from './checkpoint.ts';
import { consistencyProofOf, consistencyRanges, EMPTY_ROOT, inclusionProofOf, inclusionRanges, leafHash, rangeHash, rootOf } from './merkle.ts';
import { COSIGNATURE_V1, cosignatureLine, openNote, rawPublicKey, signNote, vkeyOf } from './note.ts';

/**
 * The ledger's proofs checked by code written here from the specifications alone, sharing nothing with
 * merkle.ts or note.ts: RFC 9162 §2.1 (the tree, its proofs and their verification, in BigInt so that no
 * size is cut to 32 bits) and c2sp.org/tlog-cosignature (cosignature/v1). Our verifiers are not used.
 */

// ── RFC 9162 §2.1.1: HASH is SHA-256; leaves and nodes carry the prefixes 0x00 and 0x01 ──
const HASH = (...parts: Uint8Array[]) => parts.reduce((h, p) => h.update(p), crypto.createHash('sha256')).digest();
const leaf = (d: Uint8Array) => HASH(Uint8Array.of(0x00), d);
const node = (l: Uint8Array, r: Uint8Array) => HASH(Uint8Array.of(0x01), l, r);
const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;
/** "k is the largest power of two smaller than n" (n > 1). */
function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[n]): HASH() for no leaves, the leaf hash for one, else HASH(0x01 || MTH(D[0:k]) || MTH(D[k:n])). */
function MTH(D: readonly Uint8Array[]): Buffer {
  if (D.length === 0) return HASH();
  if (D.length === 1) return leaf(D[0]!);
  const k = largestPowerOfTwoBelow(D.length);
  return node(MTH(D.slice(0, k)), MTH(D.slice(k)));
}

/** §2.1.3.1 PATH(m, D[n]). */
function PATH(m: number, D: readonly Uint8Array[]): Buffer[] {
  if (D.length === 1) return [];
  const k = largestPowerOfTwoBelow(D.length);
  return m < k ? [...PATH(m, D.slice(0, k)), MTH(D.slice(k))] : [...PATH(m - k, D.slice(k)), MTH(D.slice(0, k))];
}

/** §2.1.4.1 PROOF(m, D[n]) = SUBPROOF(m, D[n], true). */
function SUBPROOF(m: number, D: readonly Uint8Array[], b: boolean): Buffer[] {
  if (m === D.length) return b ? [] : [MTH(D)];
  const k = largestPowerOfTwoBelow(D.length);
  return m <= k ? [...SUBPROOF(m, D.slice(0, k), b), MTH(D.slice(k))] : [...SUBPROOF(m - k, D.slice(k), false), MTH(D.slice(0, k))];
}

const LSB = (x: bigint) => (x & 1n) === 1n;

/** §2.1.3.2, step by step: does `inclusionPath` place `hash` at `leafIndex` of the tree with `rootHash`? */
function verifyInclusionRFC(hash: Uint8Array, leafIndex: bigint, treeSize: bigint, inclusionPath: readonly Uint8Array[], rootHash: Uint8Array): boolean {
  if (leafIndex >= treeSize) return false; // 1
  let [fn, sn] = [leafIndex, treeSize - 1n]; // 2
  let r: Uint8Array = hash; // 3
  for (const p of inclusionPath) { // 4
    if (sn === 0n) return false; // a
    if (LSB(fn) || fn === sn) { // b
      r = node(p, r);
      if (!LSB(fn)) while (!LSB(fn) && fn !== 0n) [fn, sn] = [fn >> 1n, sn >> 1n];
    } else {
      r = node(r, p);
    }
    [fn, sn] = [fn >> 1n, sn >> 1n]; // c
  }
  return sn === 0n && same(r, rootHash); // 5
}

/** §2.1.4.2, step by step, for 0 < first < second. */
function verifyConsistencyRFC(first: bigint, second: bigint, firstHash: Uint8Array, secondHash: Uint8Array, consistencyPath: readonly Uint8Array[]): boolean {
  if (!(0n < first && first < second)) return false;
  if (consistencyPath.length === 0) return false; // 1
  const path = (first & (first - 1n)) === 0n ? [firstHash, ...consistencyPath] : [...consistencyPath]; // 2
  let [fn, sn] = [first - 1n, second - 1n]; // 3
  while (LSB(fn)) [fn, sn] = [fn >> 1n, sn >> 1n]; // 4
  let [fr, sr] = [path[0]!, path[0]!]; // 5
  for (const c of path.slice(1)) { // 6
    if (sn === 0n) return false; // a
    if (LSB(fn) || fn === sn) { // b
      fr = node(c, fr);
      sr = node(c, sr);
      if (!LSB(fn)) while (!LSB(fn) && fn !== 0n) [fn, sn] = [fn >> 1n, sn >> 1n];
    } else {
      sr = node(sr, c);
    }
    [fn, sn] = [fn >> 1n, sn >> 1n]; // c
  }
  return same(fr, firstHash) && same(sr, secondHash) && sn === 0n; // 7
}

const hexes = (bs: readonly Uint8Array[]) => bs.map((b) => Buffer.from(b).toString('hex'));
const flip = (b: Uint8Array, at: number) => {
  const c = Buffer.from(b);
  c[at % c.length] = c[at % c.length]! ^ 0x80;
  return c;
};

// The test vectors of RFC 6962's reference implementation (certificate-transparency), used by many others.
const CT_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((h) => Buffer.from(h, 'hex'));
const CT_ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d', 'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4', '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c', '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const H = {
  l1: '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', l23: '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
  l47: '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4', l4: 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
  l5: '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', l67: 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
  l03: 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
};

describe('Merkle proofs checked by a verifier written from RFC 9162', () => {
  test('the reference test vectors: roots, audit paths and consistency proofs', () => {
    CT_ROOTS.forEach((r, i) => assert.equal(rootOf(CT_LEAVES.slice(0, i + 1).map((l) => leafHash(l))).toString('hex'), r, `root of ${i + 1}`));
    const hashes = CT_LEAVES.map((l) => leafHash(l));
    assert.deepEqual(hexes(inclusionProofOf(0, hashes)), [H.l1, H.l23, H.l47]);
    assert.deepEqual(hexes(inclusionProofOf(5, hashes)), [H.l4, H.l67, H.l03]);
    assert.deepEqual(hexes(consistencyProofOf(1, hashes)), [H.l1, H.l23, H.l47]);
    assert.deepEqual(hexes(consistencyProofOf(6, hashes)), [H.l5, H.l67, H.l03]);
    assert.deepEqual(hexes(consistencyProofOf(2, hashes.slice(0, 5))), [H.l23, H.l4]);
    assert.equal(EMPTY_ROOT.toString('hex'), MTH([]).toString('hex'));
  });

  test('for every tree up to 64 leaves, our roots and proofs are MTH, PATH and PROOF, and verify as §2.1.3.2 and §2.1.4.2 say', () => {
    const data = Array.from({ length: 64 }, (_, i) => Buffer.from(`entry ${i}`));
    for (let n = 1; n <= 64; n++) {
      const D = data.slice(0, n);
      const hashes = D.map((d) => leafHash(d));
      const root = rootOf(hashes);
      assert.equal(root.toString('hex'), MTH(D).toString('hex'), `MTH of ${n}`);
      for (let m = 0; m < n; m++) {
        const proof = inclusionProofOf(m, hashes);
        assert.deepEqual(hexes(proof), hexes(PATH(m, D)), `PATH(${m}, D[${n}])`);
        assert.ok(verifyInclusionRFC(leaf(D[m]!), BigInt(m), BigInt(n), proof, root), `inclusion of ${m} in ${n}`);
        proof.forEach((_, j) => assert.ok(!verifyInclusionRFC(leaf(D[m]!), BigInt(m), BigInt(n), proof.map((p, i) => (i === j ? flip(p, m) : p)), root)));
        if (n > 1) assert.ok(!verifyInclusionRFC(leaf(D[(m + 1) % n]!), BigInt(m), BigInt(n), proof, root), `another leaf at ${m} of ${n}`);
      }
      for (let m = 1; m <= n; m++) {
        const proof = consistencyProofOf(m, hashes);
        assert.deepEqual(hexes(proof), hexes(SUBPROOF(m, D, true)), `PROOF(${m}, D[${n}])`);
        if (m === n) continue; // §2.1.4.2 is for first < second; the proof between equal sizes is empty (§2.1.4.1)
        const old = MTH(D.slice(0, m));
        assert.ok(verifyConsistencyRFC(BigInt(m), BigInt(n), old, root, proof), `consistency ${m} → ${n}`);
        assert.ok(!verifyConsistencyRFC(BigInt(m), BigInt(n), flip(old, n), root, proof), `forked ${m} → ${n}`);
        proof.forEach((_, j) => assert.ok(!verifyConsistencyRFC(BigInt(m), BigInt(n), old, root, proof.map((p, i) => (i === j ? flip(p, m) : p)))));
      }
    }
  });

  test('trees far beyond 2^32 leaves: our proof plans for a tree of equal leaves verify (no size cut to 32 bits)', () => {
    // With every leaf the same, a subtree's hash depends only on its size: MTH of that many leaves.
    const one = leaf(Buffer.from('same'));
    const memo = new Map<number, Buffer>([[1, one]]);
    const mth = (n: number): Buffer => memo.get(n) ?? memo.set(n, node(mth(largestPowerOfTwoBelow(n)), mth(n - largestPowerOfTwoBelow(n)))).get(n)!;
    const perfect = (r: { level: number }) => mth(2 ** r.level);
    const range = ([a, b]: readonly [number, number]) => rangeHash([a, b], perfect);
    for (const n of [2 ** 32 + 1, 2 ** 33 + 12_345, 2 ** 45 + 2 ** 31 + 7, 2 ** 52 + 3]) {
      for (const m of [0, 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, n - 2, n - 1]) {
        const proof = inclusionRanges(m, n).map(range);
        assert.ok(verifyInclusionRFC(one, BigInt(m), BigInt(n), proof, mth(n)), `inclusion of ${m} in ${n}`);
        assert.ok(!verifyInclusionRFC(one, BigInt(m), BigInt(n), [flip(proof[0]!, m), ...proof.slice(1)], mth(n)), `changed proof of ${m} in ${n}`);
        assert.ok(!verifyInclusionRFC(one, BigInt(m), BigInt(n), proof.slice(1), mth(n)), `short proof of ${m} in ${n}`);
        if (m === 0) continue;
        const c = consistencyRanges(m, n).map(range);
        assert.ok(verifyConsistencyRFC(BigInt(m), BigInt(n), mth(m), mth(n), c), `consistency ${m} → ${n}`);
      }
    }
  });
});

// ── c2sp.org/tlog-cosignature, cosignature/v1 (Ed25519) ──
const cosignerKeyId = (name: string, pub: Uint8Array) => HASH(Buffer.from(`${name}\n`, 'utf8'), Uint8Array.of(0x04), pub).subarray(0, 4);
const cosignedMessage = (t: bigint, body: string) => Buffer.from(`cosignature/v1\ntime ${t}\n${body}`, 'utf8');
/** A signature line: "— <name> base64(key ID || u64 BE timestamp || Ed25519 signature)". */
function cosignSpec(body: string, name: string, key: crypto.KeyObject, t: bigint): string {
  const stamp = Buffer.alloc(8);
  stamp.writeBigUInt64BE(t);
  const pub = crypto.createPublicKey(key).export({ format: 'jwk' }).x!;
  const sig = crypto.sign(null, cosignedMessage(t, body), key);
  return `— ${name} ${Buffer.concat([cosignerKeyId(name, Buffer.from(pub, 'base64url')), stamp, sig]).toString('base64')}\n`;
}
const rawPub = (key: crypto.KeyObject) => Buffer.from(crypto.createPublicKey(key).export({ format: 'jwk' }).x!, 'base64url');

describe('witness cosignatures checked against c2sp.org/tlog-cosignature', () => {
  const body = formatCheckpoint({ origin: 'hromada.example/lviv/petition-3', size: 8, root: Buffer.from(CT_ROOTS[7]!, 'hex'), time: new Date(1_700_000_000_000) });
  const name = 'witness.example/w1';

  test('our cosignature line is the key ID, the timestamp and an Ed25519 signature of the message the specification gives', () => {
    const key = crypto.generateKeyPairSync('ed25519').privateKey;
    const line = cosignatureLine(body, name, key, 1_700_000_123);
    const m = /^— (\S+) ([A-Za-z0-9+/]+=*)\n$/.exec(line);
    assert.ok(m, line);
    assert.equal(m[1], name);
    const bytes = Buffer.from(m[2]!, 'base64');
    assert.equal(bytes.length, 4 + 8 + 64);
    assert.deepEqual(bytes.subarray(0, 4), cosignerKeyId(name, rawPub(key)));
    assert.equal(bytes.readBigUInt64BE(4), 1_700_000_123n);
    assert.ok(crypto.verify(null, cosignedMessage(1_700_000_123n, body), crypto.createPublicKey(key), bytes.subarray(12)));
    assert.equal(line, cosignSpec(body, name, key, 1_700_000_123n), 'Ed25519 is deterministic: the same line byte for byte');
  });

  test('a cosignature made from the specification opens with our 0x04 vkey and gives its time; a changed one does not', () => {
    const [logKey, witness] = [crypto.generateKeyPairSync('ed25519').privateKey, crypto.generateKeyPairSync('ed25519').privateKey];
    const vkey = vkeyOf(name, rawPublicKey(witness), COSIGNATURE_V1);
    assert.equal(vkey, `${name}+${cosignerKeyId(name, rawPub(witness)).toString('hex')}+${Buffer.concat([Uint8Array.of(0x04), rawPub(witness)]).toString('base64')}`);
    const signed = signNote(body, [{ name: 'hromada.example/lviv/petition-3', privateKey: logKey }]);
    const note = `${signed}${cosignSpec(body, name, witness, 1_700_000_456n)}`;
    const opened = openNote(note, [vkey]);
    assert.deepEqual(opened.verified.map((v) => [v.name, v.time]), [[name, 1_700_000_456]]);
    // Another time in the stamp than the one signed, the first three lines only, the 0x01 key ID: refused or ignored.
    const line = cosignSpec(body, name, witness, 1_700_000_456n);
    const bytes = Buffer.from(line.split(' ')[2]!, 'base64');
    bytes.writeBigUInt64BE(1_700_000_457n, 4);
    assert.throws(() => openNote(`${signed}— ${name} ${bytes.toString('base64')}\n`, [vkey]));
    const threeLines = body.split('\n').slice(0, 3).join('\n') + '\n';
    const partial = cosignSpec(threeLines, name, witness, 1_700_000_456n);
    assert.throws(() => openNote(`${signed}${partial}`, [vkey]), 'extension lines are part of the cosigned message');
    const asNoteKey = signNote(body, [{ name, privateKey: witness }]).slice(body.length + 1);
    assert.deepEqual(openNote(`${signed}${asNoteKey}`, [vkey]).verified, [], 'a 0x01 signature of the same key is another key ID');
  });
});
