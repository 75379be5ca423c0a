import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { canonicalJson, entryHash, GENESIS_HASH } from '../ledger.ts';
import { jcs } from './canonical.ts';
import { isUtcSecond, LedgerReadError, readLedgerJson } from './entries.ts';
import { readLedgerCsv } from './ledger-csv.ts';
import { parseStrictJson, StrictJsonError } from './strict-json.ts';

const refused = (text: string, reason: RegExp, line: number, column: number) => {
  assert.throws(() => parseStrictJson(text), (e: unknown) => e instanceof StrictJsonError && reason.test(e.reason) && e.line === line && e.column === column, text);
};

describe('strict JSON', () => {
  test('refuses duplicate keys, at the second one, at any depth', () => {
    refused('{"a":1,"a":1}', /duplicate key "a"/, 1, 8);
    refused('[{"kind":"x",\n  "payload":{"signer":"s","signer":"t"}}]', /duplicate key "signer"/, 2, 27);
  });

  test('refuses numbers that are not safe integers as written: fraction, exponent, beyond ±(2^53−1), -0', () => {
    refused('[1.0]', /1\.0 is not an integer/, 1, 2);
    refused('{"n":1e3}', /1e3 is not an integer/, 1, 6);
    refused('{"n":\n10E-1}', /10E-1 is not an integer/, 2, 1);
    refused(`[${2 ** 53}]`, /outside/, 1, 2);
    refused(`[-${2 ** 53}]`, /outside/, 1, 2);
    refused('[-0]', /-0/, 1, 2);
    assert.deepEqual(parseStrictJson(`[${2 ** 53 - 1},-${2 ** 53 - 1},0,-7]`), [2 ** 53 - 1, -(2 ** 53 - 1), 0, -7]);
  });

  test('refuses lone surrogates and what is not JSON; keeps "__proto__" as an ordinary key', () => {
    refused('["\\udc00"]', /well-formed/, 1, 2);
    refused('{"a":1,}', /Unexpected/, 1, 8);
    refused('[1] [2]', /Unexpected/, 1, 5);
    const v = parseStrictJson('{"__proto__":{"x":1},"ї":"😀"}') as Record<string, unknown>;
    assert.deepEqual(Object.keys(v), ['__proto__', 'ї']);
    assert.equal(Object.getPrototypeOf(v), Object.prototype);
    assert.equal(jcs(v), '{"__proto__":{"x":1},"ї":"😀"}');
  });
});

describe('times in payloads', () => {
  test('only YYYY-MM-DDTHH:MM:SSZ naming a real UTC second', () => {
    for (const ok of ['2026-11-23T10:00:00Z', '2028-02-29T23:59:59Z', '0001-01-01T00:00:00Z']) assert.ok(isUtcSecond(ok), ok);
    for (const bad of ['2026-11-23 10:00:00', '2026-11-23T10:00:00', '2026-02-30T00:00:00Z', '2027-02-29T00:00:00Z', '2026-11-23T10:00:00.5Z',
      '2026-11-23T10:00:00.000Z', '2026-11-23T10:00:00+00:00', '2026-11-23T24:00:00Z', '2026-12-31T23:59:60Z', '2026-11-23t10:00:00z', '+02026-11-23T10:00:00Z']) {
      assert.equal(isUtcSecond(bad), false, bad);
    }
  });

  test('an entry with a malformed `at` is refused when read, from JSON and from CSV', () => {
    for (const at of ['2026-11-23 10:00:00', '2026-02-30T00:00:00Z', '2026-11-23T10:00:00.250Z', 1700000000]) {
      const e = { chain: 'c:1', seq: 1, kind: 'k', payload: { at }, prev: GENESIS_HASH, hash: GENESIS_HASH };
      assert.throws(() => readLedgerJson(JSON.stringify([e])), (x: unknown) => x instanceof LedgerReadError && x.where === 'seq 1' && /payload\.at/.test(x.reason));
      const csv = `chain,seq,kind,payload,prev,hash,createdAt\r\nc:1,1,k,"${canonicalJson({ at }).replace(/"/g, '""')}",${GENESIS_HASH},${GENESIS_HASH},\r\n`;
      assert.throws(() => readLedgerCsv(csv), /payload\.at/);
    }
  });
});

describe('reading entries', () => {
  const entry = { chain: 'c:1', seq: 1, kind: 'k', payload: { at: '2026-11-23T10:00:00Z', n: 3 }, prev: GENESIS_HASH };
  const published = { ...entry, hash: entryHash(entry), createdAt: '2026-11-23T10:00:01.234Z' };
  const header = 'chain,seq,kind,payload,prev,hash,createdAt\r\n';
  const line = (payload: string, seq = '1') => `c:1,${seq},k,"${payload.replace(/"/g, '""')}",${GENESIS_HASH},${published.hash},2026-11-23T10:00:01.234Z\r\n`;

  test('JSON and CSV of the same entries read the same', () => {
    assert.deepEqual(readLedgerCsv(header + line(canonicalJson(entry.payload))), [published]);
    assert.deepEqual(readLedgerCsv(`\uFEFF${header}${line(canonicalJson(entry.payload))}`.replace(/\r\n/g, '\n')), [published], 'a byte order mark and LF line ends');
    assert.deepEqual(readLedgerJson(JSON.stringify([published])), [published]);
    assert.deepEqual(readLedgerCsv(header), []);
    assert.deepEqual(readLedgerJson('[]'), []);
  });

  test('refuses other fields, other columns, misshapen cells and payloads not in canonical form', () => {
    const json = (e: object) => () => readLedgerJson(JSON.stringify([e]));
    assert.throws(json({ ...published, extra: 1 }), /unknown field "extra"/);
    assert.throws(json({ ...published, hash: undefined }), /no hash/);
    assert.throws(json({ ...published, seq: 0 }), /seq is a positive integer/);
    assert.throws(json({ ...published, prev: 'ABC' }), /prev is 64 lowercase hex/);
    assert.throws(json({ ...published, createdAt: '2026-11-23' }), /createdAt/);
    assert.throws(() => readLedgerJson('{"chain":"c:1"}'), /a JSON array/);
    assert.throws(() => readLedgerJson('[{"chain":"c:1","chain":"c:2"}]'), /JSON: line 1, column 17: duplicate key "chain"/);
    assert.throws(() => readLedgerCsv('chain,seq,kind,payload,prev,hash\r\n'), /header must be exactly/);
    assert.throws(() => readLedgerCsv(header + line(canonicalJson(entry.payload), '01')), /seq "01"/);
    assert.throws(() => readLedgerCsv(header + line('{"n":3,"at":"2026-11-23T10:00:00Z"}')), /line 2, payload: not in canonical form/);
    assert.throws(() => readLedgerCsv(header + line('{"at":"2026-11-23T10:00:00Z", "n":3}')), /not in canonical form/);
    assert.throws(() => readLedgerCsv(header + line('{"at":"2026-11-23T10:00:00Z","n":3.0}')), /3\.0 is not an integer/);
    assert.throws(() => readLedgerCsv(`${header}c:1,1,k\r\n`), /Invalid Record Length/);
  });
});

/** Random values of the ledger's domain: strings (any Unicode but NUL and lone surrogates), safe integers, booleans, null, arrays, objects. */
function randomValue(rand: () => number, depth = 0): unknown {
  const pick = Math.floor(rand() * (depth > 3 ? 4 : 6));
  const chars = ['a', 'Z', 'ї', 'Ђ', '"', '\\', '\n', '\u0001', '\u001f', '\u007f', '\u2028', '\ue000', '😀', '𝄞', '/', ' ', '<', 'é'];
  const str = () => Array.from({ length: Math.floor(rand() * 6) }, () => chars[Math.floor(rand() * chars.length)]).join('');
  switch (pick) {
    case 0: return str();
    case 1: return [0, -1, 1, 2 ** 53 - 1, -(2 ** 53 - 1), 1e15, 123456789][Math.floor(rand() * 7)]! * (rand() < 0.5 ? 1 : -1) || 0;
    case 2: return rand() < 0.5;
    case 3: return null;
    case 4: return Array.from({ length: Math.floor(rand() * 4) }, () => randomValue(rand, depth + 1));
    default: return Object.fromEntries(Array.from({ length: Math.floor(rand() * 5) }, () => [str(), randomValue(rand, depth + 1)]));
  }
}

describe('RFC 8785 (canonicalize) and the platform\'s canonicalJson', () => {
  test('agree on the ledger\'s domain', () => {
    let seed = 14;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 3000; i++) {
      const v = { payload: randomValue(rand), n: i };
      assert.equal(jcs(v), canonicalJson(v), JSON.stringify(v));
    }
    // UTF-16 order: a key above U+FFFF (a surrogate pair, D83D…) sorts before one in U+E000–U+FFFF.
    assert.equal(jcs({ '\ue000': 1, '😀': 2, a: 3 }), '{"a":3,"😀":2,"\ue000":1}');
    assert.equal(canonicalJson({ '\ue000': 1, '😀': 2, a: 3 }), '{"a":3,"😀":2,"\ue000":1}');
  });

  test('outside the domain the platform refuses what RFC 8785 would still write, so no entry can hold it', () => {
    for (const v of [1.5, 1e21, 'a\u0000b']) {
      assert.equal(typeof jcs({ v }), 'string');
      assert.throws(() => canonicalJson({ v }), TypeError);
    }
  });
});
