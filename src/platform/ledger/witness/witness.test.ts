import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { formatCheckpoint } from '../checkpoint.ts';
import { consistencyProofOf, leafHash, rootOf } from '../merkle.ts';
import { COSIGNATURE_V1, openNote, rawPublicKey, signNote, splitNote, vkeyOf } from '../note.ts';
import { witnessCommand } from './cli.ts';
import { WitnessState } from './state.ts';
import { exitCodeOf, runWitness, type Fetch, type WitnessResult } from './witness.ts';

/**
 * A log in memory that answers the witness's requests as a Hromada site does (keys, heads paged one chain a
 * page, checkpoints, consistency proofs, cosignatures), and that a test can make lie: other leaves, fewer
 * leaves, other keys, a checkpoint as it likes.
 */
class FakeLog {
  readonly name = 'fake.example';
  keys = [{ generation: 1, key: crypto.generateKeyPairSync('ed25519').privateKey }];
  /** The keys that sign now (default: all). */
  signing: number[] | null = null;
  chains = new Map<string, Buffer[]>();
  posted: string[] = [];
  /** Cosignature lines the site keeps, by checkpoint text. */
  kept = new Map<string, string[]>();
  /** Replaces a served checkpoint note. */
  forge: ((origin: string, note: string) => string) | null = null;

  origin = (chain: string) => `${this.name}/zhovkva/${chain}`;
  grow(chain: string, n: number, tag = 'a') {
    const leaves = this.chains.get(chain) ?? [];
    for (let i = 0; i < n; i++) leaves.push(leafHash(`${chain} ${tag} ${leaves.length}`));
    this.chains.set(chain, leaves);
  }

  note(chain: string): string {
    const leaves = this.chains.get(chain)!;
    const origin = this.origin(chain);
    const text = formatCheckpoint({ origin, size: leaves.length, root: rootOf(leaves), time: new Date(1_700_000_000_000 + leaves.length * 1000) });
    const signers = this.keys.filter((k) => !this.signing || this.signing.includes(k.generation)).map((k) => ({ name: origin, privateKey: k.key }));
    const note = signNote(text, signers) + (this.kept.get(text) ?? []).join('');
    return this.forge ? this.forge(origin, note) : note;
  }

  fetch: Fetch = async (url, init) => {
    const u = new URL(url);
    const reply = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
      new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers });
    if (u.pathname === '/.well-known/hromada-ledger-keys.json') {
      return reply({ log: this.name, keys: this.keys.map((k) => ({ generation: k.generation, publicKey: rawPublicKey(k.key).toString('base64') })) });
    }
    const names = [...this.chains.keys()].sort();
    if (u.pathname === '/api/v1/ledger/heads') {
      const at = u.searchParams.has('after') ? names.indexOf(u.searchParams.get('after')!) + 1 : 0;
      const page = names.slice(at, at + 1).map((chain) => ({ municipality: 'zhovkva', chain, origin: this.origin(chain), size: this.chains.get(chain)!.length }));
      return reply(page, 200, at + 1 < names.length ? { link: `</api/v1/ledger/heads?after=${names[at]}>; rel="next"` } : {});
    }
    const m = /^\/api\/v1\/zhovkva\/ledger\/([^/]+)\/(checkpoint|proof\/consistency|cosignatures)$/.exec(u.pathname);
    const chain = m && decodeURIComponent(m[1]!);
    if (!m || !this.chains.has(chain!)) return reply({ error: { code: 'not_found' } }, 404);
    if (m[2] === 'checkpoint') return reply(this.note(chain!));
    const leaves = this.chains.get(chain!)!;
    if (m[2] === 'proof/consistency') {
      const from = Number(u.searchParams.get('from'));
      const to = Number(u.searchParams.get('to'));
      if (from > leaves.length || to > leaves.length) return reply({ error: { code: 'ledger.from_beyond_to' } }, 400);
      return reply({ from, to, hashes: consistencyProofOf(from, leaves.slice(0, to)).map((h) => h.toString('base64')) });
    }
    assert.equal(init?.method, 'POST');
    this.posted.push(init!.body!);
    const { text, signatures } = splitNote(init!.body!);
    const lines = this.kept.get(text) ?? [];
    this.kept.set(text, [...lines, signatures.at(-1)!.line]);
    return reply({ accepted: [signatures.at(-1)!.name] });
  };
}

const witnessName = 'witness.example.org/test';
const witnessKey = crypto.generateKeyPairSync('ed25519').privateKey;
const witnessVkey = vkeyOf(witnessName, rawPublicKey(witnessKey), COSIGNATURE_V1);

let dir: string;
let log: FakeLog;
const run = (fetch: Fetch = log.fetch) => runWitness({ log: 'https://fake.example/', name: witnessName, privateKey: witnessKey, state: dir, fetch });
const outcomes = (rs: WitnessResult[]) => rs.map((r) => [r.subject, r.outcome, r.alarm ?? null, r.size ?? null]);
const files = (at: string) => fs.readdirSync(at).sort();

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'witness-'));
  log = new FakeLog();
  log.grow('petition:1', 3);
  log.grow('petition:2', 5);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('a witness run', () => {
  test('co-signs every head (through the pages) on first sight, then only what changed, after a consistency proof', async () => {
    const first = await run();
    assert.deepEqual(outcomes(first), [[log.origin('petition:1'), 'cosigned', null, 3], [log.origin('petition:2'), 'cosigned', null, 5]]);
    assert.equal(exitCodeOf(first), 0);
    assert.equal(log.posted.length, 2);
    for (const body of log.posted) {
      // The posted note is the log's, with a cosignature/v1 line that verifies with the witness's vkey, dated now.
      const { verified } = openNote(body, [witnessVkey]);
      assert.equal(verified.length, 1);
      assert.ok(Math.abs(verified[0]!.time! - Date.now() / 1000) < 60);
    }
    assert.deepEqual(outcomes(await run()), [[log.origin('petition:1'), 'current', null, 3], [log.origin('petition:2'), 'current', null, 5]]);
    assert.equal(log.posted.length, 2);

    log.grow('petition:1', 6);
    assert.deepEqual(outcomes(await run()).map((r) => r[1]), ['cosigned', 'current']);
    assert.equal((await new WitnessState(dir).lastSeen(log.origin('petition:1')))!.split('\n')[1], '9');
  });

  test('a forked view of the same size is an alarm with both notes kept, and nothing is co-signed', async () => {
    await run();
    const seen = await new WitnessState(dir).lastSeen(log.origin('petition:2'));
    log.chains.delete('petition:2');
    log.grow('petition:2', 5, 'other');
    const posted = log.posted.length;
    const rs = await run();
    assert.deepEqual(outcomes(rs), [[log.origin('petition:1'), 'current', null, 3], [log.origin('petition:2'), 'alarm', 'forked', 5]]);
    assert.equal(exitCodeOf(rs), 2);
    assert.equal(log.posted.length, posted);
    const evidence = rs[1]!.evidence!;
    assert.deepEqual(files(evidence), ['alarm.json', 'seen.note', 'served.note']);
    assert.equal(fs.readFileSync(path.join(evidence, 'seen.note'), 'utf8'), seen);
    assert.equal(fs.readFileSync(path.join(evidence, 'served.note'), 'utf8'), log.note('petition:2'));
    assert.equal(JSON.parse(fs.readFileSync(path.join(evidence, 'alarm.json'), 'utf8')).kind, 'forked');
    // The last checkpoint seen stays the one before the fork; the same fork seen again is kept once.
    assert.equal(await new WitnessState(dir).lastSeen(log.origin('petition:2')), seen);
    assert.equal((await run())[1]!.evidence, evidence);
    assert.equal(files(path.dirname(evidence)).length, 1);
  });

  test('a larger tree that does not extend the one seen is an alarm with the proof kept', async () => {
    await run();
    log.chains.delete('petition:1');
    log.grow('petition:1', 8, 'other');
    const rs = await run();
    assert.deepEqual(outcomes(rs)[0], [log.origin('petition:1'), 'alarm', 'inconsistent', 8]);
    assert.deepEqual(files(rs[0]!.evidence!), ['alarm.json', 'proof.json', 'seen.note', 'served.note']);
    assert.equal(JSON.parse(fs.readFileSync(path.join(rs[0]!.evidence!, 'proof.json'), 'utf8')).from, 3);
  });

  test('a shrunk tree is an alarm', async () => {
    await run();
    log.chains.set('petition:2', log.chains.get('petition:2')!.slice(0, 4));
    const rs = await run();
    assert.deepEqual(outcomes(rs)[1], [log.origin('petition:2'), 'alarm', 'shrunk', 4]);
    assert.equal(exitCodeOf(rs), 2);
  });

  test('keys are pinned at first use: a swapped key is an alarm; a rotated one is adopted during the overlap only', async () => {
    await run();
    const pinned = log.keys[0]!;
    log.keys.push({ generation: 2, key: crypto.generateKeyPairSync('ed25519').privateKey });
    log.grow('petition:1', 1);
    assert.deepEqual(outcomes(await run()).map((r) => r[1]), ['cosigned', 'current']);
    const state = JSON.parse(fs.readFileSync(path.join(dir, 'logs', `${encodeURIComponent('https://fake.example')}.json`), 'utf8'));
    assert.deepEqual(state.keys.map((k: { generation: number }) => k.generation), [1, 2]);
    // Generation 1 retires: generation 2 alone is trusted now.
    log.signing = [2];
    log.grow('petition:1', 1);
    assert.deepEqual(outcomes(await run()).map((r) => r[1]), ['cosigned', 'current']);
    // A third key signing alone, without an overlap: not trusted.
    log.keys.push({ generation: 3, key: crypto.generateKeyPairSync('ed25519').privateKey });
    log.signing = [3];
    log.grow('petition:1', 1);
    const lone = await run();
    assert.deepEqual(outcomes(lone)[0], [log.origin('petition:1'), 'alarm', 'key', 6]);
    // A key replaced under the same generation stops the whole run.
    log.keys = [{ generation: 1, key: crypto.generateKeyPairSync('ed25519').privateKey }, ...log.keys.slice(1)];
    log.signing = null;
    const swapped = await run();
    assert.deepEqual(outcomes(swapped), [['https://fake.example', 'alarm', 'key', null]]);
    assert.match(swapped[0]!.message, /generation 1 was replaced/);
    assert.deepEqual(files(swapped[0]!.evidence!), ['alarm.json', 'pinned.json', 'published.json']);
    assert.notEqual(pinned.key, log.keys[0]!.key);
  });

  test('a bad log signature or a checkpoint of another origin cannot be checked (exit code 1), and is not co-signed', async () => {
    const corrupt = (note: string) => note.replace(/^(— \S+ .{40})(.)/m, (_, a: string, c: string) => a + (c === 'A' ? 'B' : 'A'));
    // Signed by the log's key under the chain's key name, but of another chain.
    const elsewhere = (origin: string, note: string) => signNote(splitNote(note).text.replace(origin, `${origin}0`), [{ name: origin, privateKey: log.keys[0]!.key }]);
    log.forge = (origin, note) => (origin.endsWith(':1') ? corrupt(note) : elsewhere(origin, note));
    const rs = await run();
    assert.deepEqual(rs.map((r) => r.outcome), ['error', 'error']);
    assert.match(rs[0]!.message, /does not verify/);
    assert.match(rs[1]!.message, /names the origin fake\.example\/zhovkva\/petition:20/);
    assert.equal(exitCodeOf(rs), 1);
    assert.equal(log.posted.length, 0);
    assert.equal(await new WitnessState(dir).lastSeen(log.origin('petition:1')), null);
  });

  test('an unreachable log is an error; a second run on the same state waits its turn', async () => {
    const down = await run(async () => { throw new Error('connect ECONNREFUSED'); });
    assert.deepEqual(outcomes(down), [['https://fake.example', 'error', null, null]]);
    const state = new WitnessState(dir);
    const unlock = await state.lock();
    await assert.rejects(run(), /Another witness run/);
    await unlock();
    assert.equal(exitCodeOf(await run()), 0);
  });
});

describe('hromada witness', () => {
  test('keygen writes a private key file and prints a cosignature vkey; run --once exits 2 on a fork', async () => {
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l), fetch: log.fetch };
    const keyFile = path.join(dir, 'witness.key');
    assert.equal(await witnessCommand(['keygen', '--name', witnessName, '--out', keyFile], io), 0);
    assert.equal(fs.statSync(keyFile).mode & 0o777, 0o600);
    const key = crypto.createPrivateKey(fs.readFileSync(keyFile, 'utf8'));
    assert.equal(out[0], vkeyOf(witnessName, rawPublicKey(key), COSIGNATURE_V1));
    assert.equal(await witnessCommand(['keygen', '--name', witnessName, '--out', keyFile], io), 1, 'never overwrites a key');
    assert.equal(await witnessCommand(['keygen', '--name', 'has space', '--out', `${keyFile}2`], io), 1);

    const args = ['run', '--log', 'https://fake.example', '--name', witnessName, '--key', keyFile, '--state', path.join(dir, 'state'), '--once'];
    assert.equal(await witnessCommand(args, io), 0);
    assert.ok(openNote(log.posted[0]!, [out[0]!]).verified.length === 1);
    log.chains.delete('petition:1');
    log.grow('petition:1', 3, 'other');
    out.length = 0;
    assert.equal(await witnessCommand(args, io), 2);
    assert.match(out.join('\n'), /ALARM forked +fake\.example\/zhovkva\/petition:1 size 3: .*\(evidence: .*\)/);
    assert.equal(await witnessCommand(['run', '--log', 'https://fake.example', '--name', witnessName, '--key', keyFile, '--state', dir, '--every', 'x'], io), 1);
  });

  test('run --every goes round after round until stopped', async () => {
    const keyFile = path.join(dir, 'witness.key');
    fs.writeFileSync(keyFile, witnessKey.export({ format: 'pem', type: 'pkcs8' }));
    let rounds = 0;
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l), fetch: log.fetch, stop: () => ++rounds === 2 };
    assert.equal(await witnessCommand(['run', '--log', 'https://fake.example', '--name', witnessName, '--key', keyFile, '--state', path.join(dir, 's'), '--every', '1'], io), 0);
    assert.equal(out.filter((l) => / checked: /.test(l)).length, 2);
    assert.match(out.at(-1)!, /2 checked: 0 co-signed, 2 already co-signed, 0 alarms, 0 errors/);
  });
});
