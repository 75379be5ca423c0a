import { test } from 'node:test';
import assert from 'node:assert/strict';
import { calendar, phaseAt, PHASES, votingOpen } from './phase.ts';
import { datesFor } from './testing.ts';

const cycle = (phase: (typeof PHASES)[number], o: { revision?: boolean; published?: boolean } = {}) =>
  ({ ...datesFor(phase, Date.now(), o), results_published_at: o.published ? new Date() : null });

test('the dates of each phase put the cycle in that phase', () => {
  for (const p of PHASES) {
    const c = cycle(p, { revision: true, published: true });
    assert.equal(phaseAt(c).phase, p, p);
  }
  assert.equal(phaseAt(cycle('review')).phase, 'review');
});

test('a cycle without revision has no revision phase, and review lasts until voting opens', () => {
  const c = cycle('review');
  assert.deepEqual(calendar({ ...c, results_published_at: null }).map((s) => s.phase), ['information', 'submission', 'review', 'voting', 'results', 'implementation']);
  assert.deepEqual(phaseAt(c).until, c.voting_opens);
});

test('implementation waits for the results to be published', () => {
  const c = cycle('implementation');
  assert.equal(phaseAt(c).phase, 'results');
  assert.equal(phaseAt(c).until, null);
  assert.equal(phaseAt({ ...c, results_published_at: new Date() }).phase, 'implementation');
});

test('voting is open from its first moment until, not including, its close', () => {
  const c = cycle('voting');
  assert.ok(votingOpen(c));
  assert.ok(votingOpen(c, c.voting_opens));
  assert.ok(!votingOpen(c, c.voting_closes));
  assert.ok(!votingOpen(c, new Date(c.voting_opens.getTime() - 1)));
});
