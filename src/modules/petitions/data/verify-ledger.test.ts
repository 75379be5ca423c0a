import assert from 'node:assert/strict';
import { test } from 'node:test';
import { entryHash, GENESIS_HASH, pseudonym, type NewLedgerEntry, type PublishedEntry } from '../../../platform/ledger/ledger.ts';
import { petitionMeaning } from './verify-ledger.ts';

const [a, b, c] = [1, 2, 3].map((id) => pseudonym('secret', 'petition:5', id)) as [string, string, string];
const at = '2026-11-24T09:15:02Z';
const sign = (signer: string): NewLedgerEntry => ({ kind: 'signature', payload: { signer, at } });
const filter = 'f'.repeat(64);
const invalidate = (signer: string, invalidation = 9, reason = 'Many signatures from one network in a minute', when = at) => ({ kind: 'invalidation', payload: { signer, invalidation, reason, at: when, filter } });

function chain(list: NewLedgerEntry[]): PublishedEntry[] {
  let prev = GENESIS_HASH;
  return list.map((e, i) => {
    const entry = { chain: 'petition:5', seq: i + 1, kind: e.kind, payload: e.payload, prev };
    prev = entryHash(entry);
    return { ...entry, hash: prev };
  });
}

/** The petition check's verdict, given the chain in one page and again one entry a page. */
function verdict(list: NewLedgerEntry[]) {
  const entries = chain(list);
  const whole = petitionMeaning();
  whole.add(entries);
  const paged = petitionMeaning();
  for (const e of entries) if (!paged.add([e])) break;
  assert.deepEqual(paged.result(), whole.result(), 'pages do not change the verdict');
  const r = whole.result();
  return r.ok ? { count: r.count } : { brokenAt: r.brokenAt, reason: r.reason };
}

test('a petition chain counts the signers left valid after invalidations', () => {
  assert.deepEqual(verdict([]), { count: 0 });
  assert.deepEqual(verdict([sign(a), sign(b), sign(c), invalidate(a), invalidate(c)]), { count: 1 });
});

test('each kind has exactly its payload keys; no other kind is written', () => {
  assert.deepEqual(verdict([sign(a), { kind: 'signature', payload: { signer: b, at, place: 'Жовква' } }]), { brokenAt: 2, reason: 'payload' });
  assert.deepEqual(verdict([{ kind: 'signature', payload: { signer: a } }]), { brokenAt: 1, reason: 'payload' });
  assert.deepEqual(verdict([{ kind: 'signature', payload: { signer: 'Alice', at } }]), { brokenAt: 1, reason: 'payload' });
  assert.deepEqual(verdict([{ kind: 'signature', payload: { signer: a, at: '2026-11-24T09:15:02.120Z' } }]), { brokenAt: 1, reason: 'payload' });
  assert.deepEqual(verdict([sign(a), invalidate(a, 0)]), { brokenAt: 2, reason: 'payload' });
  assert.deepEqual(verdict([sign(a), invalidate(a, 9, ' ')]), { brokenAt: 2, reason: 'payload' });
  assert.deepEqual(verdict([sign(a), { kind: 'invalidation', payload: { signer: a, invalidation: 9, reason: 'x', at } }]), { brokenAt: 2, reason: 'payload' });
  assert.deepEqual(verdict([sign(a), { kind: 'invalidation', payload: { signer: a, invalidation: 9, reason: 'x', at, filter: 'not a hash' } }]), { brokenAt: 2, reason: 'payload' });
  assert.deepEqual(verdict([sign(a), { kind: 'withdrawal', payload: { signer: a, at } }]), { brokenAt: 2, reason: 'kind' });
});

test('no second signature, not even after an invalidation; an invalidation cancels a valid signature', () => {
  assert.deepEqual(verdict([sign(a), sign(a)]), { brokenAt: 2, reason: 'double_signature' });
  assert.deepEqual(verdict([sign(a), invalidate(a), sign(a)]), { brokenAt: 3, reason: 'double_signature' });
  assert.deepEqual(verdict([sign(a), invalidate(b)]), { brokenAt: 2, reason: 'invalidation_without_signature' });
  assert.deepEqual(verdict([sign(a), invalidate(a), invalidate(a, 10)]), { brokenAt: 3, reason: 'invalidation_without_signature' });
});

test('the entries of one invalidation are one run with one reason; the earliest fault is the one reported', () => {
  assert.deepEqual(verdict([sign(a), sign(b), invalidate(a, 9), invalidate(b, 10)]), { count: 0 });
  assert.deepEqual(verdict([sign(a), sign(b), sign(c), invalidate(a), sign(pseudonym('secret', 'petition:5', 4)), invalidate(b)]), { brokenAt: 6, reason: 'invalidation_split' });
  assert.deepEqual(verdict([sign(a), sign(b), invalidate(a, 9, 'One reason for all'), invalidate(b, 9, 'Another reason')]), { brokenAt: 4, reason: 'invalidation_reason' });
  assert.deepEqual(verdict([sign(a), sign(b), invalidate(a, 9, 'One reason', at), invalidate(b, 9, 'One reason', '2026-11-25T00:00:00Z')]), { brokenAt: 4, reason: 'invalidation_reason' });
  assert.deepEqual(verdict([sign(a), sign(a), { kind: 'signature', payload: { signer: b } }]), { brokenAt: 2, reason: 'double_signature' });
});
