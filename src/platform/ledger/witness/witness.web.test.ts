import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Municipality } from '../../../db/schema.ts';
import { openPetition, petitionTown, resident, serviceDeps } from '../../../modules/petitions/testing.ts';
import { sealPending, signPetition } from '../../../modules/petitions/signature.service.ts';
import type { PetitionRow } from '../../../modules/petitions/petition.repo.ts';
import { startTestApp, type TestApp } from '../../testing/http.ts';
import { formatCheckpoint, parseCheckpoint } from '../checkpoint.ts';
import { chainVkeys } from '../log.ts';
import { COSIGNATURE_V1, cosignatureLine, openNote, privateKeyFromRaw, rawPublicKey, signNote, splitNote, vkeyOf } from '../note.ts';
import { witnessCommand } from './cli.ts';
import { exitCodeOf, runWitness, type Fetch } from './witness.ts';

// A witness against the whole app over real HTTP: it co-signs, the site serves and shows the cosignature,
// it follows the chain as it grows, and it raises the alarm at a forked, extended-but-rewritten or shrunk
// view that a lying site (the same key) shows it.

const name = 'news.example/witness';
const key = crypto.generateKeyPairSync('ed25519').privateKey;
const vkey = vkeyOf(name, rawPublicKey(key), COSIGNATURE_V1);
let t: TestApp;
let town: Municipality;
let petition: PetitionRow;
let address = '';
let dir = '';
let signers = 0;

async function sign(n: number) {
  const deps = serviceDeps(t.db);
  for (let k = 0; k < n; k++, signers++) await signPetition(deps, (await resident(t.db, `s${signers}@example.org`, town)).current, town, petition, null);
  await sealPending(deps);
}

before(async () => {
  t = await startTestApp({ LEDGER_WITNESSES: JSON.stringify([{ vkey, title: 'Жовківські вісті', url: 'https://news.example/' }]) });
  town = await petitionTown(t.db, 'zhovkva', { threshold: 100 });
  const author = await resident(t.db, 'author@example.org', town);
  const moderator = await resident(t.db, 'moderator@example.org', town, { role: 'moderator' });
  petition = await openPetition(t.db, town, author.current, moderator.id, 'Лавки в парку');
  await sign(3);
  address = await t.app.listen({ port: 0, host: '127.0.0.1' });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'witness-web-'));
});
after(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const chain = () => `petition:${petition.number}`;
const base = () => `/api/v1/zhovkva/ledger/${chain()}`;
const run = (fetch?: Fetch) => runWitness({ log: address, name, privateKey: key, state: path.join(dir, 'state'), ...(fetch ? { fetch } : {}) });
const logVkeys = async (origin: string) => chainVkeys(origin, JSON.parse((await t.client().get('/.well-known/hromada-ledger-keys.json')).body).keys);
const post = (note: string, url = `${base()}/cosignatures`) => t.client('en').request('POST', url, { payload: note, headers: { 'content-type': 'text/plain; charset=utf-8' } });
const logKey = async () => privateKeyFromRaw((await t.db.selectFrom('ledger_keys').select('private_key').orderBy('generation').executeTakeFirstOrThrow()).private_key);

/** The site as a liar would show it to the witness: the real one, with some answers replaced. */
const lying = (replace: (url: URL) => Promise<string | null>): Fetch => async (url, init) => {
  const body = init?.method === 'POST' ? null : await replace(new URL(url));
  return body === null ? fetch(url, init) : new Response(body, { status: 200 });
};

describe('a witness of a Hromada site', () => {
  test('co-signs the head; the site keeps the cosignature, serves it with the checkpoint and shows the witness', async () => {
    const results = await run();
    assert.deepEqual(results.map((r) => [r.outcome, r.size]), [['cosigned', 3]]);
    const note = (await t.client().get(`${base()}/checkpoint`)).body;
    const origin = parseCheckpoint(splitNote(note).text).origin;
    assert.equal(results[0]!.subject, origin);
    const { verified } = openNote(note, [vkey, ...(await logVkeys(origin))]);
    assert.deepEqual(verified.map((v) => v.name).sort(), [name, origin].sort());
    const keys = JSON.parse((await t.client().get('/.well-known/hromada-ledger-keys.json')).body);
    assert.deepEqual(keys.witnesses, [{ name, vkey, title: 'Жовківські вісті', url: 'https://news.example/' }]);
    const page = (await t.client('en').get(`/en/zhovkva/petitions/${petition.number}/ledger`)).body;
    assert.match(page, /Co-signed by[\s\S]*<a href="https:\/\/news.example\/">Жовківські вісті<\/a>/);
    assert.deepEqual((await run()).map((r) => r.outcome), ['current'], 'nothing new: nothing posted again');
  });

  test('after more signatures it checks the consistency proof and co-signs the new head; the old one keeps its cosignature', async () => {
    await sign(2);
    assert.deepEqual((await run()).map((r) => [r.outcome, r.size]), [['cosigned', 5]]);
    const latest = (await t.client().get(`${base()}/checkpoint`)).body;
    assert.equal(openNote(latest, [vkey]).verified.length, 1);
    assert.equal(openNote((await t.client().get(`${base()}/checkpoints/3`)).body, [vkey]).verified.length, 1);
  });

  test('a forked view, signed with the site\'s own key, is an alarm (exit code 2) with evidence, and is not co-signed', async () => {
    const real = (await t.client().get(`${base()}/checkpoint`)).body;
    const cp = parseCheckpoint(splitNote(real).text);
    const privateKey = await logKey();
    const forged = (size: number) => signNote(formatCheckpoint({ ...cp, size, root: crypto.randomBytes(32) }), [{ name: cp.origin, privateKey }]);
    const same = forged(cp.size);
    const isCheckpoint = (u: URL) => decodeURIComponent(u.pathname) === `${base()}/checkpoint`;
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l), fetch: lying(async (u) => (isCheckpoint(u) ? same : null)) };
    const keyFile = path.join(dir, 'witness.key');
    fs.writeFileSync(keyFile, key.export({ format: 'pem', type: 'pkcs8' }));
    const args = ['run', '--log', address, '--name', name, '--key', keyFile, '--state', path.join(dir, 'state'), '--once'];
    assert.equal(await witnessCommand(args, io), 2);
    const evidence = /\(evidence: (.+)\)$/.exec(out.find((l) => l.startsWith('ALARM forked'))!)![1]!;
    // What the witness saw before (as the site served it then, before its own line was added), and the fork.
    const seen = fs.readFileSync(path.join(evidence, 'seen.note'), 'utf8');
    assert.equal(splitNote(seen).text, splitNote(real).text);
    assert.ok(real.startsWith(seen));
    assert.equal(fs.readFileSync(path.join(evidence, 'served.note'), 'utf8'), same);

    // Larger, but not an extension: the proof the liar can give does not hold.
    const bigger = forged(cp.size + 2);
    const extended = await run(lying(async (u) => {
      if (isCheckpoint(u)) return bigger;
      if (u.pathname.endsWith('/proof/consistency')) {
        const p = JSON.parse((await t.client().get(`${base()}/proof/consistency?from=${u.searchParams.get('from')}`)).body);
        return JSON.stringify({ ...p, to: cp.size + 2 });
      }
      return null;
    }));
    assert.deepEqual(extended.map((r) => [r.outcome, r.alarm]), [['alarm', 'inconsistent']]);
    assert.deepEqual(fs.readdirSync(extended[0]!.evidence!).sort(), ['alarm.json', 'proof.json', 'seen.note', 'served.note']);

    // Shrunk: the site's own older head, served as the latest.
    const older = (await t.client().get(`${base()}/checkpoints/3`)).body;
    const shrunk = await run(lying(async (u) => (isCheckpoint(u) ? older : null)));
    assert.deepEqual(shrunk.map((r) => [r.outcome, r.alarm, r.size]), [['alarm', 'shrunk', 3]]);
    assert.equal(exitCodeOf(shrunk), 2);

    // None of it reached the site, and the true head still checks out.
    assert.deepEqual((await t.db.selectFrom('ledger_cosignatures').select('size').orderBy('size').execute()).map((r) => Number(r.size)), [3, 5]);
    assert.deepEqual((await run()).map((r) => r.outcome), ['current']);
  });

  test('the site refuses an unknown witness, a checkpoint it never signed, a bad signature and what is not a note', async () => {
    // The head as the site signed it, without the witness's line it serves now.
    const note = (await t.client().get(`${base()}/checkpoint`)).body.replace(new RegExp(`^— ${name} .*\n`, 'm'), '');
    const text = splitNote(note).text;
    assert.equal(openNote(note, [vkey]).verified.length, 0);
    const now = Math.floor(Date.now() / 1000);
    const code = async (body: string, url?: string) => {
      const res = await post(body, url);
      return [res.statusCode, JSON.parse(res.body).error?.code ?? JSON.parse(res.body).accepted];
    };
    const stranger = crypto.generateKeyPairSync('ed25519').privateKey;
    assert.deepEqual(await code(note + cosignatureLine(text, 'stranger.example/w', stranger, now)), [403, 'ledger.cosignature.unknown_witness']);
    const cp = parseCheckpoint(text);
    const never = signNote(formatCheckpoint({ ...cp, root: crypto.randomBytes(32) }), [{ name: cp.origin, privateKey: await logKey() }]);
    assert.deepEqual(await code(never + cosignatureLine(splitNote(never).text, name, key, now)), [409, 'ledger.cosignature.unknown_checkpoint']);
    const ofOther = cosignatureLine(splitNote((await t.client().get(`${base()}/checkpoints/3`)).body).text, name, key, now);
    const bad = await post(note + ofOther);
    assert.equal(bad.statusCode, 403);
    assert.equal(JSON.parse(bad.body).error.code, 'ledger.cosignature.bad_signature');
    // In the municipality's language, naming the witness.
    assert.equal(JSON.parse(bad.body).error.message, 'Співпідпис свідка news.example/witness не проходить перевірки.');
    assert.deepEqual(await code(note + cosignatureLine(text, name, key, now + 3600)), [400, 'ledger.cosignature.future_time']);
    assert.deepEqual(await code('not a note\n'), [400, 'ledger.cosignature.malformed']);
    assert.deepEqual(await code(note + cosignatureLine(text, name, key, now), '/api/v1/zhovkva/ledger/petition:999/cosignatures'), [404, 'not_found']);
    assert.deepEqual(await code(note + cosignatureLine(text, name, key, now)), [200, [name]]);
  });
});
