import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import type { PublishedEntry } from '../../../platform/ledger/ledger.ts';
import { computeResults, resultsPayload } from './compute.ts';
import { pbMeaning } from './meaning.ts';
import { cycleEntry } from './shape.ts';

/** docs/LEDGER.md "Participatory budget": the worked example is what the code computes and accepts. */
test('the worked example of docs/LEDGER.md', () => {
  const doc = fs.readFileSync(new URL('../../../../docs/LEDGER.md', import.meta.url), 'utf8');
  const section = doc.slice(doc.indexOf('## Participatory budget'), doc.indexOf('## `hromada verify-ledger`'));
  const blocks = [...section.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => JSON.parse(m[1]!) as Record<string, unknown>);
  assert.equal(blocks.length, 2);
  const cycle = cycleEntry(blocks[0]);
  assert.ok(cycle, 'the cycle entry of the example is well-formed');
  const v = (c: string) => c.repeat(64);
  const ballots: [string, 'online' | 'paper', number[], number][] = [
    ['a', 'online', [11, 14], 1], ['b', 'paper', [11, 13], 1], ['c', 'online', [12, 15], 1], ['a', 'online', [12, 14], 2], ['d', 'online', [11, 15], 1], ['e', 'online', [11, 14], 1],
  ];
  const results = computeResults(cycle, ballots.map(([voter, , choices, version]) => ({ voter: v(voter), version, choices })));
  assert.deepEqual(resultsPayload(results), blocks[1]);
  const entries: PublishedEntry[] = [
    { kind: 'cycle', payload: blocks[0]! },
    ...ballots.map(([voter, channel, choices, version]) => ({ kind: 'ballot', payload: { voter: v(voter), channel, choices, version, at: '2027-05-02T10:11:12Z' } })),
    { kind: 'results', payload: blocks[1]! },
  ].map((e, i) => ({ chain: 'pb:3', seq: i + 1, prev: '', hash: '', ...e }));
  const meaning = pbMeaning();
  assert.ok(meaning.add(entries), JSON.stringify(meaning.result()));
  assert.deepEqual(meaning.result(), { ok: true, count: 5 });
});
