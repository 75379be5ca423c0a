import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { describe, test } from 'node:test';
import { ConfigError, loadConfig } from '../../../config.ts';
import { COSIGNATURE_V1, ED25519, rawPublicKey, vkeyOf } from '../note.ts';

const raw = () => rawPublicKey(crypto.generateKeyPairSync('ed25519').privateKey);
const vkey = vkeyOf('news.example/w', raw(), COSIGNATURE_V1);

function problems(value: unknown): string[] {
  try {
    loadConfig({ NODE_ENV: 'test', LEDGER_WITNESSES: typeof value === 'string' ? value : JSON.stringify(value) });
    return [];
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    return e.problems;
  }
}

describe('LEDGER_WITNESSES', () => {
  test('a list of witnesses: name from the vkey, title, optional URL; none by default', () => {
    assert.deepEqual(loadConfig({ NODE_ENV: 'test' }).ledgerWitnesses, []);
    const c = loadConfig({ NODE_ENV: 'test', LEDGER_WITNESSES: JSON.stringify([{ vkey: ` ${vkey} `, title: ' Вісті ', url: 'https://news.example/' }, { vkey: vkeyOf('ngo.example/w', raw(), COSIGNATURE_V1), title: 'NGO' }]) });
    assert.deepEqual(c.ledgerWitnesses, [
      { name: 'news.example/w', vkey, title: 'Вісті', url: 'https://news.example/' },
      { name: 'ngo.example/w', vkey: c.ledgerWitnesses[1]!.vkey, title: 'NGO', url: null },
    ]);
  });

  test('refuses what would let a cosignature be misread: each problem named with its entry', () => {
    assert.match(problems('not json').join(), /LEDGER_WITNESSES must be a JSON array/);
    assert.match(problems({ vkey }).join(), /LEDGER_WITNESSES must be a JSON array/);
    assert.match(problems([{ vkey: vkeyOf('news.example/w', raw(), ED25519), title: 'x' }]).join(), /\[0\]: the vkey must be a cosignature key \(type 0x04\)/);
    assert.match(problems([{ vkey: vkey.replace(/\+[0-9a-f]{8}\+/, '+00000000+'), title: 'x' }]).join(), /\[0\]: .*key id does not match/);
    assert.match(problems([{ title: 'x' }]).join(), /\[0\]: vkey is required/);
    assert.match(problems([{ vkey, title: ' ' }]).join(), /\[0\]: title is required/);
    assert.match(problems([{ vkey, title: 'x', url: 'javascript:alert(1)' }]).join(), /\[0\]: url must be an http\(s\) URL/);
    assert.match(problems([{ vkey, title: 'x' }, { vkey: vkeyOf('news.example/w', raw(), COSIGNATURE_V1), title: 'y' }]).join(), /\[1\]: the name news\.example\/w is used twice/);
  });
});
