import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { test } from 'node:test';
import { formatCheckpoint } from '../checkpoint.ts';
import { canonicalJson, entryHash, GENESIS_HASH, pseudonym } from '../ledger.ts';
import { consistencyProofOf, EMPTY_ROOT, inclusionProofOf, leafHash, nodeHash, rootOf } from '../merkle.ts';
import { COSIGNATURE_V1, cosignatureLine, privateKeyFromRaw, rawPublicKey, signNote, vkeyOf } from '../note.ts';
import { openCheckpoint } from './keys.ts';
import { filterCommitment } from '../../../modules/petitions/signature.service.ts';

/**
 * The examples of docs/LEDGER.md after the worked example ("The Merkle tree", "Checkpoints", "Witnesses"):
 * recomputed here, so the document and every checker written from it stay right.
 */

const doc = fs.readFileSync(new URL('../../../../docs/LEDGER.md', import.meta.url), 'utf8');
const has = (value: string, what: string) => assert.ok(doc.includes(value), `docs/LEDGER.md should say ${what}: ${value}`);

const [s1, s2] = [7, 8].map((id) => pseudonym('example-secret', 'petition:42', id)) as [string, string];
const e1 = { chain: 'petition:42', seq: 1, kind: 'signature', payload: { signer: s1, at: '2026-11-23T10:00:00Z' }, prev: GENESIS_HASH };
const e2 = { chain: 'petition:42', seq: 2, kind: 'signature', payload: { signer: s2, at: '2026-11-23T10:05:00Z', place: 'Жовква' }, prev: entryHash(e1) };
// The invalidation's filter is committed to, not published: SHA-256 of {filter, salt} (docs/LEDGER.md "Petitions").
const exampleFilter = { emailDomain: null, ipPrefix: '203.0.113.0/24', since: null, until: null };
const exampleSalt = crypto.createHash('sha256').update('hromada example salt').digest('hex');
const commitment = filterCommitment(exampleFilter, exampleSalt);
const e3 = { chain: 'petition:42', seq: 3, kind: 'invalidation', payload: { signer: s1, invalidation: 1, reason: 'Signed twice from one household', at: '2026-11-23T10:06:00Z', filter: commitment }, prev: entryHash(e2) };
const texts = [e1, e2, e3].map((e) => canonicalJson(e));
const leaves = texts.map((t) => leafHash(Buffer.from(t, 'utf8')));
const root = rootOf(leaves);
const hex = (b: Buffer) => b.toString('hex');
const short = (b: Buffer) => `${hex(b).slice(0, 8)}…${hex(b).slice(-4)}`;
const origin = 'hromada.example.org/zhovkva/petition:42';
const time = Date.UTC(2026, 10, 23, 10, 6, 0) / 1000;
const seed = crypto.createHash('sha256').update('hromada ledger example key').digest();
const key = privateKeyFromRaw(seed);
const text = formatCheckpoint({ origin, size: 3, root, time: new Date(time * 1000) });
const note = signNote(text, [{ name: origin, privateKey: key }]);

test('the three-entry chain, its Merkle tree and proofs', () => {
  has(texts[2]!, 'entry 3\'s canonical form');
  has(`hash \`${entryHash(e3)}\``, 'entry 3\'s hash');
  has(`leaves \`${short(leaves[0]!)}\`, \`${short(leaves[1]!)}\` and \`${short(leaves[2]!)}\``, 'the leaves');
  assert.deepEqual(root, nodeHash(nodeHash(leaves[0]!, leaves[1]!), leaves[2]!));
  has(`root \`${hex(root)}\``, 'the root');
  has(`(base64 \`${root.toString('base64')}\`)`, 'the root in base64');
  has(`(\`${EMPTY_ROOT.toString('base64')}\`)`, 'the empty tree\'s root');
  assert.deepEqual(inclusionProofOf(2, leaves), [nodeHash(leaves[0]!, leaves[1]!)]);
  has(`node(leaf 1, leaf 2) =\n\`${hex(nodeHash(leaves[0]!, leaves[1]!))}\``, 'the inclusion proof of entry 3');
  assert.deepEqual(inclusionProofOf(0, leaves), [leaves[1], leaves[2]]);
  assert.deepEqual(consistencyProofOf(2, leaves), [leaves[2]]);
  assert.deepEqual(consistencyProofOf(1, leaves), [leaves[1], leaves[2]]);
  for (const [i, t] of texts.entries()) has(`E${i + 1}='${t}'`, `the shell example's entry ${i + 1}`);
});

test('the filter commitment of the example opens with its salt', () => {
  has(`\`${canonicalJson({ filter: exampleFilter, salt: exampleSalt })}\``, 'the opened commitment');
  has(`\`${commitment}\``, 'the commitment');
});

test('the shell one-liner computes that root', { skip: ['sh', 'sha256sum', 'xxd', 'base64'].some((tool) => { try { execFileSync('sh', ['-c', `command -v ${tool}`]); return false; } catch { return true; } }) }, () => {
  const block = /```sh\n(E1=[\s\S]*?)```/.exec(doc)![1]!;
  assert.deepEqual(execFileSync('sh', ['-c', block], { encoding: 'utf8' }).trim().split('\n'), [hex(root), root.toString('base64')]);
});

test('the example checkpoint, its key and a witness\'s cosignature', () => {
  has(`\`${hex(seed)}\``, 'the example seed');
  has(`public key \`${rawPublicKey(key).toString('base64')}\``, 'the example public key');
  has(`\`\`\`\n${note}\`\`\``, 'the signed checkpoint');
  const vkey = vkeyOf(origin, rawPublicKey(key));
  has(`vkey \`${vkey}\``, 'the vkey');
  has(`# The key id: ${vkey.split('+')[1]}`, 'the key id');
  const keys = { log: 'hromada.example.org', keys: [{ generation: 1, publicKey: rawPublicKey(key).toString('base64'), createdAt: new Date(0), retiresAt: null }], witnesses: [] as { name: string; vkey: string; title: string }[] };
  assert.deepEqual(openCheckpoint(note, keys).signedBy, [1], 'the checker accepts it');

  const wseed = crypto.createHash('sha256').update('hromada witness example key').digest();
  const witness = privateKeyFromRaw(wseed);
  const wvkey = vkeyOf('witness.example.org', rawPublicKey(witness), COSIGNATURE_V1);
  has(`\`${hex(wseed)}\``, 'the witness seed');
  has(`vkey \`${wvkey}\``, 'the witness vkey');
  const line = cosignatureLine(text, 'witness.example.org', witness, time + 30);
  has(`T = ${time + 30} writes\n\n\`\`\`\n${line}\`\`\``, 'the cosignature line');
  keys.witnesses.push({ name: 'witness.example.org', vkey: wvkey, title: 'Example' });
  assert.deepEqual(openCheckpoint(note + line, keys).cosigned, [{ name: 'witness.example.org', title: 'Example', time: time + 30 }]);
});
