import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../testing/db.ts';
import { formatCheckpoint, parseCheckpoint } from '../checkpoint.ts';
import { checkpointAt } from '../checkpoints.repo.ts';
import { ledgerWitnesses } from '../config.ts';
import { appendToLedger } from '../ledger.ts';
import { ensureLedgerLog } from '../log.ts';
import { COSIGNATURE_V1, cosignatureLine, privateKeyFromRaw, rawPublicKey, signNote, splitNote, vkeyOf } from '../note.ts';
import { acceptCosignatures, cosignaturesOf, MAX_COSIGNED_NOTE } from './cosign.ts';

const newKey = () => crypto.generateKeyPairSync('ed25519').privateKey;
const witness = (name: string, key = newKey()) => ({ name, key, vkey: vkeyOf(name, rawPublicKey(key), COSIGNATURE_V1) });
const paper = witness('news.example/witness');
const ngo = witness('ngo.example/w');
const stranger = witness('stranger.example/w');
const seconds = (d = new Date()) => Math.floor(d.getTime() / 1000);

const config = (list: { vkey: string; title: string; url?: string }[]) => {
  const problems: string[] = [];
  const ledgerWitnesses_ = ledgerWitnesses(JSON.stringify(list), problems);
  assert.deepEqual(problems, []);
  return { ledgerWitnesses: ledgerWitnesses_ };
};

describe(`cosignatures handed in by witnesses (${process.env.TEST_DB ?? 'pglite'})`, () => {
  let t: TestDatabase;
  let m: number;
  const chain = 'petition:3';
  const deps = () => ({ db: t.db, config: config([{ vkey: paper.vkey, title: 'Вісті', url: 'https://news.example' }, { vkey: ngo.vkey, title: 'Громадська варта' }]) });
  const stored = async (size: number, c = chain) => (await checkpointAt(t.db, m, c, size))!.note;
  const textOf = (note: string) => splitNote(note).text;
  const cosign = (note: string, w: { name: string; key: crypto.KeyObject }, time = seconds()) => cosignatureLine(textOf(note), w.name, w.key, time);
  const accept = (note: string, now?: Date) => acceptCosignatures(deps(), { municipalityId: m, chain, note, ...(now ? { now } : {}) });

  before(async () => {
    t = await createTestDatabase();
    m = (await t.db.insertInto('municipalities').values({
      slug: 'zhovkva', names: JSON.stringify({ uk: 'Жовква' }), official_code: 'UA-ZH', center_lat: 50, center_lng: 24, default_locale: 'uk', currency: 'UAH',
    }).returning('id').executeTakeFirstOrThrow()).id;
    await ensureLedgerLog(t.db, 'hromada.example');
    for (const c of [chain, 'petition:4']) {
      for (const n of [2, 3]) await appendToLedger(t.db, { municipalityId: m, chain: c, entries: Array.from({ length: n }, (_, i) => ({ kind: 'signature', payload: { n: `${n}-${i}` } })) });
    }
  });
  after(() => t?.cleanup());

  test('a configured witness\'s cosignature of a checkpoint the site signed is kept and listed; other lines are ignored', async () => {
    const note = await stored(5);
    const line = cosign(note, paper);
    assert.deepEqual(await accept(note + line + cosign(note, stranger)), { accepted: [paper.name] });
    const list = await cosignaturesOf(deps(), m, chain, 5);
    assert.deepEqual(list.map(({ signedAt, ...c }) => c), [{ witness: paper.name, title: 'Вісті', url: 'https://news.example', line }]);
    assert.ok(Math.abs(list[0]!.signedAt.getTime() - Date.now()) < 60_000);
    assert.deepEqual(await cosignaturesOf(deps(), m, chain, 2), []);
    const rows = await t.db.selectFrom('ledger_cosignatures').select(['witness', 'key_id', 'size']).execute();
    assert.deepEqual(rows.map((r) => [r.witness, Number(r.size)]), [[paper.name, 5]]);
    assert.equal(Number(rows[0]!.key_id), splitNote(note + line).signatures.at(-1)!.keyId);
  });

  test('two witnesses at once, an older checkpoint too; a later cosignature replaces an earlier one, never the reverse', async () => {
    const note = await stored(2);
    const early = cosign(note, ngo, seconds() - 100);
    assert.deepEqual(await accept(note + cosign(note, paper) + early), { accepted: [ngo.name, paper.name].sort() });
    const later = cosign(note, ngo, seconds() - 10);
    assert.deepEqual(await accept(note + later), { accepted: [ngo.name] });
    assert.deepEqual(await accept(note + early), { accepted: [ngo.name] });
    const kept = (await cosignaturesOf(deps(), m, chain, 2)).find((c) => c.witness === ngo.name)!;
    assert.equal(kept.line, later);
    assert.equal(kept.url, null);
    // A witness no longer configured (or configured with another key) is not shown.
    const fewer = { db: t.db, config: config([{ vkey: witness(ngo.name).vkey, title: 'Громадська варта' }]) };
    assert.deepEqual(await cosignaturesOf(fewer, m, chain, 2), []);
  });

  test('only witnesses of LEDGER_WITNESSES count, with their present key', async () => {
    const note = await stored(5);
    assert.deepEqual(await accept(note + cosign(note, stranger)), { refused: 'ledger.cosignature.unknown_witness' });
    assert.deepEqual(await accept(note), { refused: 'ledger.cosignature.unknown_witness' });
    const oldKey = { name: paper.name, key: newKey() };
    assert.deepEqual(await accept(note + cosign(note, oldKey)), { refused: 'ledger.cosignature.unknown_witness' });
  });

  test('a checkpoint the site never signed for this chain is refused', async () => {
    const note = await stored(5);
    const cp = parseCheckpoint(textOf(note));
    const log = (await t.db.selectFrom('ledger_keys').select('private_key').executeTakeFirstOrThrow()).private_key;
    const privateKey = privateKeyFromRaw(log);
    // Even with the site's own key: another root at the same size, a size never reached, another time.
    const forged = (c: typeof cp) => signNote(formatCheckpoint(c), [{ name: cp.origin, privateKey }]);
    for (const other of [forged({ ...cp, root: crypto.randomBytes(32) }), forged({ ...cp, size: 4 }), forged({ ...cp, time: new Date(0) }), await stored(5, 'petition:4')]) {
      assert.deepEqual(await accept(other + cosign(other, paper)), { refused: 'ledger.cosignature.unknown_checkpoint' });
    }
  });

  test('a bad signature, or one dated more than five minutes ahead, is refused, naming the witness', async () => {
    const note = await stored(5);
    const ofOther = cosign(await stored(2), paper);
    assert.deepEqual(await accept(note + cosign(note, ngo) + ofOther), { refused: 'ledger.cosignature.bad_signature', witness: paper.name });
    const now = new Date();
    assert.deepEqual(await accept(note + cosign(note, ngo, seconds(now) + 301), now), { refused: 'ledger.cosignature.future_time', witness: ngo.name });
    assert.deepEqual(await accept(note + cosign(note, ngo, seconds(now) + 299), now), { accepted: [ngo.name] });
  });

  test('what is not a signed checkpoint note is refused as malformed', async () => {
    const note = await stored(5);
    const line = cosign(note, paper);
    for (const body of ['', 'hello\n', textOf(note) + line, `${note}not a signature\n`, 'a\nb\nc\n\n' + line, note + line.repeat(Math.ceil(MAX_COSIGNED_NOTE / line.length))]) {
      assert.deepEqual(await accept(body), { refused: 'ledger.cosignature.malformed' }, JSON.stringify(body.slice(0, 40)));
    }
  });
});
