import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Config } from '../../config.ts';
import { identifiers, normaliseIdentifier } from './identifiers.ts';

const config = (identifierKey: string) => ({ identifierKey }) as Config;

test('a number is the same however it is written, and never stored as written', async () => {
  assert.equal(normaliseIdentifier(' ab 123-456 '), 'AB123456');
  assert.equal(normaliseIdentifier('ＡＢ１２３'), 'AB123', 'full-width forms folded');
  assert.equal(normaliseIdentifier('кв 123456'), 'КВ123456', 'Cyrillic series kept, in upper case');
  const ids = await identifiers(config('k'.repeat(32)), null as never);
  const h = ids.hash('document', 'AB 123456')!;
  assert.equal(h, ids.hash('document', 'ab-123456'));
  assert.doesNotMatch(h, /123456/);
  assert.equal(ids.hash('document', ' - '), null, 'nothing identifying left');
});

test('the kind and the key are part of the hash', async () => {
  const ids = await identifiers(config('k'.repeat(32)), null as never);
  const other = await identifiers(config('o'.repeat(32)), null as never);
  assert.notEqual(ids.hash('pesel', '90010112345'), ids.hash('document', '90010112345'));
  assert.notEqual(ids.hash('pesel', '90010112345'), other.hash('pesel', '90010112345'));
});
