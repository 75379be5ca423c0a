import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { describe, test } from 'node:test';
import { goTlog, goTlogBuild, goTlogOne, type GoOp, type GoResult } from '../../../test/interop/go-tlog.ts';
import { formatCheckpoint, parseCheckpoint } from './checkpoint.ts';
import { consistencyProofOf, EMPTY_ROOT, inclusionProofOf, leafHash, rootOf, verifyConsistency, verifyInclusion } from './merkle.ts';
import { checkKeyName, cosignatureLine, openNote, parseVkey, rawPrivateKey, rawPublicKey, signNote, vkeyOf } from './note.ts';

/**
 * The ledger's Merkle trees and signed notes against code we did not write: Go's golang.org/x/mod/sumdb
 * (tlog: RFC 6962 trees, the go.sum database's; note: signed notes), run through test/interop/go-tlog.
 * Go is required: without it these tests fail (bash .ci/run installs it).
 */

// Distinct leaves of 0 to 41 bytes, the first one empty, with every byte value in some of them.
const LEAVES = Array.from({ length: 4097 }, (_, i) =>
  i === 0 ? Buffer.alloc(0) : Buffer.concat([Buffer.from(`${i}:`), crypto.createHash('sha256').update(`leaf ${i}`).digest().subarray(0, i % 40)]));
const HASHES = LEAVES.map((l) => leafHash(l));
const SMALL = Array.from({ length: 70 }, (_, i) => i + 1);
const BIG = [127, 128, 129, 1000, 1024, 1025, 4097];
const roots = new Map<number, Buffer>();
const root = (n: number) => roots.get(n) ?? roots.set(n, rootOf(HASHES.slice(0, n))).get(n)!;
const hex = (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString('hex') : String(b));
const hexes = (bs: readonly Uint8Array[] | undefined) => bs?.map(hex);

/** Indexes 0 ≤ i < n worth checking in a big tree: both ends, the middle, around powers of two, and a spread. */
function sample(n: number): number[] {
  const out = [0, 1, 2, n >> 1, n - 3, n - 2, n - 1];
  for (let p = 2; p < n; p *= 2) out.push(p - 1, p, p + 1);
  for (let k = 1; k <= 12; k++) out.push((k * 2654435761) % n);
  return [...new Set(out)].filter((i) => i >= 0 && i < n).sort((a, b) => a - b);
}

const flip = (b: Uint8Array, bit: number) => {
  const c = Buffer.from(b);
  c[(bit >> 3) % c.length] = c[(bit >> 3) % c.length]! ^ (1 << (bit & 7));
  return c;
};

/** Changed proofs that no verifier may accept: a flipped bit in each place, one hash less, one more. */
function brokenProofs(proof: readonly Buffer[], seed: number): Buffer[][] {
  const out = proof.map((_, j) => proof.map((h, k) => (k === j ? flip(h, seed + j) : h)));
  if (proof.length > 0) out.push(proof.slice(0, -1), proof.slice(1));
  out.push([...proof, HASHES[seed % HASHES.length]!]);
  return out;
}

/** Fails with Go's reason unless Go accepted. */
function okGo(r: GoResult | undefined): void {
  assert.ok(r?.ok, `Go refused: ${r?.error}`);
}

/** Go's answers, with the reason it refused when an accepted one was expected. */
function expectGo(results: GoResult[], expected: readonly boolean[], what: readonly string[]) {
  results.forEach((r, k) => assert.equal(r.ok, expected[k], `Go on ${what[k]}: ${r.error ?? 'accepted'}`));
}

describe('the ledger against Go\'s sumdb (golang.org/x/mod)', () => {
  test('Go and its x/mod are there, built or cached', (t) => {
    const b = goTlogBuild();
    t.diagnostic(`${b.goVersion}: go-tlog ${b.built ? 'built' : 'cached'} in ${b.ms} ms (${b.binary})`);
  });

  test('leaf hashes and the root of every tree up to 300 leaves (and bigger) equal Go\'s RecordHash and TreeHash', () => {
    const sizes = [...Array.from({ length: 300 }, (_, i) => i + 1), ...BIG];
    const go = goTlogOne({ op: 'tree', leaves: LEAVES, sizes });
    okGo(go);
    assert.deepEqual(hexes(go.leafHashes), hexes(HASHES));
    sizes.forEach((n, j) => assert.equal(hex(go.roots![j]), hex(root(n)), `root of ${n} leaves`));
  });

  test('the empty tree: RFC 9162\'s SHA-256 of nothing here, all zeros in Go (whose logs are never empty)', () => {
    const go = goTlogOne({ op: 'tree', leaves: [], sizes: [0] });
    assert.equal(hex(go.roots![0]), '00'.repeat(32));
    assert.equal(hex(rootOf([])), hex(EMPTY_ROOT));
    assert.equal(hex(EMPTY_ROOT), crypto.createHash('sha256').digest('hex'));
  });

  test('inclusion proofs: ours are Go\'s ProveRecord, pass CheckRecord, and changed ones fail in both', () => {
    const cases = [...SMALL.flatMap((n) => Array.from({ length: n }, (_, i) => [i, n] as const)), ...BIG.flatMap((n) => sample(n).map((i) => [i, n] as const))];
    const ours = cases.map(([i, n]) => inclusionProofOf(i, HASHES.slice(0, n)));
    const go = goTlogOne({ op: 'tree', leaves: LEAVES, records: cases });
    okGo(go);
    cases.forEach(([i, n], k) => assert.deepEqual(hexes(ours[k]), hexes(go.recordProofs![k]), `proof of leaf ${i} in ${n}`));

    // Each check: what both must answer (null: they must agree, whatever they say), and our verdict.
    const ops: GoOp[] = [];
    const expected: (boolean | null)[] = [];
    const mine: boolean[] = [];
    const what: string[] = [];
    const check = (expect: boolean | null, label: string, leaf: Buffer, index: number, size: number, proof: readonly Buffer[], r: Buffer) => {
      ops.push({ op: 'inclusion', leaf, index, size, proof, root: r });
      expected.push(expect);
      mine.push(verifyInclusion(leafHash(leaf), index, size, proof, r));
      what.push(`${label}: leaf ${index} of ${size}`);
    };
    cases.forEach(([i, n], k) => {
      const proof = ours[k]!;
      check(true, 'our proof', LEAVES[i]!, i, n, proof, root(n));
      for (const broken of brokenProofs(proof, k)) check(false, 'changed proof', LEAVES[i]!, i, n, broken, root(n));
      check(false, 'changed root', LEAVES[i]!, i, n, proof, flip(root(n), k));
      if (n > 1) check(false, 'another leaf', LEAVES[(i + 1) % n]!, i, n, proof, root(n));
      if (n > 1) check(null, 'another index', LEAVES[i]!, (i + 1) % n, n, proof, root(n));
      check(null, 'a bigger size', LEAVES[i]!, i, n + 1, proof, root(n));
      if (i < n - 1) check(null, 'a smaller size', LEAVES[i]!, i, n - 1, proof, root(n));
    });
    const results = goTlog(ops);
    results.forEach((r, k) => {
      if (expected[k] !== null) assert.equal(r.ok, expected[k], `Go on ${what[k]}: ${r.error ?? 'accepted'}`);
      assert.equal(mine[k], r.ok, `ours and Go disagree on ${what[k]} (Go: ${r.error ?? 'accepted'})`);
    });
  });

  test('consistency proofs: ours are Go\'s ProveTree, pass CheckTree, and changed ones fail in both', () => {
    const cases = [
      ...SMALL.flatMap((n) => Array.from({ length: n }, (_, m) => [m + 1, n] as const)),
      ...BIG.flatMap((n) => [...sample(n).map((i) => i + 1), n].map((m) => [m, n] as const)),
    ].filter(([m, n], k, all) => k === all.findIndex(([a, b]) => a === m && b === n));
    const ours = cases.map(([m, n]) => consistencyProofOf(m, HASHES.slice(0, n)));
    const go = goTlogOne({ op: 'tree', leaves: LEAVES, trees: cases });
    okGo(go);
    cases.forEach(([m, n], k) => assert.deepEqual(hexes(ours[k]), hexes(go.treeProofs![k]), `proof from ${m} to ${n}`));

    const ops: GoOp[] = [];
    const expected: (boolean | null)[] = [];
    const mine: boolean[] = [];
    const what: string[] = [];
    const check = (expect: boolean | null, label: string, m: number, n: number, proof: readonly Buffer[], rootM: Buffer, rootN: Buffer) => {
      ops.push({ op: 'consistency', m, n, proof, rootM, rootN });
      expected.push(expect);
      mine.push(verifyConsistency(m, n, proof, rootM, rootN));
      what.push(`${label}: ${m} → ${n}`);
    };
    cases.forEach(([m, n], k) => {
      const proof = ours[k]!;
      check(true, 'our proof', m, n, proof, root(m), root(n));
      for (const broken of brokenProofs(proof, k)) check(false, 'changed proof', m, n, broken, root(m), root(n));
      check(false, 'a forked old tree', m, n, proof, flip(root(m), k), root(n));
      check(false, 'a changed new tree', m, n, proof, root(m), flip(root(n), k));
      if (m < n) check(null, 'a bigger old size', m + 1, n, proof, root(m), root(n));
      if (m > 1) check(null, 'a smaller old size', m - 1, n, proof, root(m), root(n));
      check(null, 'a bigger new size', m, n + 1, proof, root(m), root(n));
    });
    const results = goTlog(ops);
    results.forEach((r, k) => {
      if (expected[k] !== null) assert.equal(r.ok, expected[k], `Go on ${what[k]}: ${r.error ?? 'accepted'}`);
      assert.equal(mine[k], r.ok, `ours and Go disagree on ${what[k]} (Go: ${r.error ?? 'accepted'})`);
    });
  });
});

const ORIGIN = 'hromada.example/kyiv/petition-7';
const key = () => crypto.generateKeyPairSync('ed25519').privateKey;
const checkpointText = (size: number) => formatCheckpoint({ origin: ORIGIN, size, root: root(size), time: new Date(1_700_000_000_000) });
/** Our verdict on a note: opened, with at least one known signature verified. */
const oursOpens = (note: string, vkeys: readonly string[]) => {
  try {
    return openNote(note, vkeys).verified.length > 0;
  } catch {
    return false;
  }
};

/** The key names that Go's note.NewSigner and our checkKeyName judge differently. */
function namesJudgedApart(names: readonly string[]): string[] {
  const go = goTlog(names.map((name) => ({ op: 'sign', text: 'x\n', name, seed: Buffer.alloc(32, 7) })));
  const verdict = (ok: boolean | undefined) => (ok ? 'accepts' : 'refuses');
  return names.flatMap((name, j) => {
    let ours = true;
    try {
      checkKeyName(name);
    } catch {
      ours = false;
    }
    return go[j]!.ok === ours ? [] : [`${JSON.stringify(name)}: Go ${verdict(go[j]!.ok)}, ours ${verdict(ours)}`];
  });
}

describe('signed notes and checkpoints against Go\'s sumdb/note', () => {
  test('a checkpoint we sign opens in Go\'s note.Open with our vkey, and Go reads its size and root', () => {
    const [logKey, otherKey] = [key(), key()];
    const text = checkpointText(1025);
    const vkey = vkeyOf(ORIGIN, rawPublicKey(logKey));
    const otherVkey = vkeyOf('witness.example/w1', rawPublicKey(otherKey));
    const note = signNote(text, [{ name: ORIGIN, privateKey: logKey }, { name: 'witness.example/w1', privateKey: otherKey }]);
    const impostor = vkeyOf(ORIGIN, rawPublicKey(key()));
    const [opened, onlyOther, body, changed, unknown] = goTlog([
      { op: 'open', note, vkeys: [vkey] },
      { op: 'open', note, vkeys: [otherVkey] },
      { op: 'checkpoint', text },
      { op: 'open', note: note.replace('\n1025\n', '\n1024\n'), vkeys: [vkey] },
      { op: 'open', note, vkeys: [impostor] },
    ]);
    okGo(opened);
    assert.equal(opened!.text, text);
    assert.deepEqual(opened!.signers, [{ name: ORIGIN, keyId: parseVkey(vkey).keyId }]);
    assert.deepEqual(onlyOther!.signers, [{ name: 'witness.example/w1', keyId: parseVkey(otherVkey).keyId }]);
    assert.deepEqual(onlyOther!.unverified, [{ name: ORIGIN, keyId: parseVkey(vkey).keyId }]);
    okGo(body);
    assert.deepEqual([body!.origin, body!.size, hex(body!.root), body!.extensions], [ORIGIN, 1025, hex(root(1025)), ['time 1700000000']]);
    assert.match(changed!.error ?? '', /invalid signature/);
    assert.throws(() => openNote(note.replace('\n1025\n', '\n1024\n'), [vkey]));
    assert.match(unknown!.error ?? '', /no verifiable signatures/);
    assert.equal(oursOpens(note, [impostor]), false);
  });

  test('Go signing with our key writes our note byte for byte, and its vkey and key id are ours (any valid name)', () => {
    const names = [ORIGIN, 'громада.приклад/київ/петиція-1', 'x', 'a/b/c?d=e&f', 'ledger.example/ünïcödé'];
    const keys = names.map(() => key());
    const text = checkpointText(70);
    const go = goTlog(names.map((name, k) => ({ op: 'sign', text, name, seed: rawPrivateKey(keys[k]!) })));
    names.forEach((name, k) => {
      okGo(go[k]);
      assert.equal(go[k]!.vkey, vkeyOf(name, rawPublicKey(keys[k]!)), `vkey of ${name}`);
      assert.equal(go[k]!.note, signNote(text, [{ name, privateKey: keys[k]! }]), `note by ${name}`);
    });
  });

  test('a note Go signs with a key of its own (note.GenerateKey) opens with our openNote, and a changed one does not', () => {
    const text = checkpointText(129);
    const go = goTlogOne({ op: 'sign', text, name: ORIGIN });
    okGo(go);
    const v = parseVkey(go.vkey!);
    assert.equal(vkeyOf(ORIGIN, v.publicKey), go.vkey);
    const opened = openNote(go.note!, [go.vkey!]);
    assert.equal(opened.text, text);
    assert.deepEqual(opened.verified.map((s) => [s.name, s.keyId.toString(16).padStart(8, '0')]), [[ORIGIN, go.vkey!.split('+')[1]]]);
    assert.deepEqual(parseCheckpoint(opened.text), { ...parseCheckpoint(text), extensions: ['time 1700000000'] });
    assert.throws(() => openNote(go.note!.replace(root(129).toString('base64'), root(128).toString('base64')), [go.vkey!]));
  });

  test('a witness\'s cosignature line leaves the checkpoint readable to Go, which does not know its type', () => {
    const [logKey, witness] = [key(), key()];
    const text = checkpointText(1000);
    const note = `${signNote(text, [{ name: ORIGIN, privateKey: logKey }])}${cosignatureLine(text, 'witness.example/w1', witness, 1_700_000_100)}`;
    const go = goTlogOne({ op: 'open', note, vkeys: [vkeyOf(ORIGIN, rawPublicKey(logKey))] });
    okGo(go);
    assert.deepEqual(go.unverified?.map((s) => s.name), ['witness.example/w1']);
  });

  test('malformed notes are refused by both, Go and ours', () => {
    const k = key();
    const vkey = vkeyOf(ORIGIN, rawPublicKey(k));
    const text = checkpointText(3);
    const good = signNote(text, [{ name: ORIGIN, privateKey: k }]);
    const line = good.slice(text.length + 1);
    const notes: [string, string][] = [
      ['no blank line', `${text}${line}`],
      ['no signature line', `${text}\n`],
      ['no final newline', good.slice(0, -1)],
      ['a hyphen for the em dash', `${text}\n${line.replace('—', '-')}`],
      ['bad base64', `${text}\n${line.slice(0, -3)}!\n`],
      ['a signature of four bytes', `${text}\n— ${ORIGIN} AAAAAA==\n`],
      ['a control character in the text', `${text.replace('\n3\n', '\n3\t\n')}\n${line}`],
      ['a carriage return', good.replace('\n3\n', '\r\n3\r\n')],
      ['an empty line after the signatures', `${good}\n`],
      ['a space in the key name', `${text}\n— hromada example ${line.split(' ').at(-1)}`],
    ];
    const go = goTlog(notes.map(([, note]) => ({ op: 'open', note, vkeys: [vkey] })));
    expectGo(go, notes.map(() => false), notes.map(([label]) => label));
    notes.forEach(([label, note]) => assert.equal(oursOpens(note, [vkey]), false, label));
    assert.ok(oursOpens(good, [vkey]) && goTlogOne({ op: 'open', note: good, vkeys: [vkey] }).ok);
  });

  test('key names: both refuse an empty name, Unicode spaces and a plus sign, and accept the others', () => {
    const names = ['', 'a b', 'a+b', 'a\tb', 'a\u00a0b', 'a\u2003b', 'a\u3000b', 'a\u2028b', 'a\u200bb', 'a\u00adb', 'ok/ok', 'громада/київ'];
    assert.deepEqual(namesJudgedApart(names), []);
  });

  test('key names with U+0085 (a Unicode space) and U+FEFF (not one): Go and ours must agree', () => {
    assert.deepEqual(namesJudgedApart(['a\u0085b', 'a\ufeffb']), []);
  });

  test('a note whose text has an empty line: c2sp.org/signed-note allows it and Go opens it; so must we', () => {
    const go = goTlogOne({ op: 'sign', text: 'Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n', name: 'quasimodo.example/salvatore' });
    assert.ok(goTlogOne({ op: 'open', note: go.note!, vkeys: [go.vkey!] }).ok);
    assert.ok(oursOpens(go.note!, [go.vkey!]));
  });
});
