import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Cycle } from '../pb.tables.ts';
import { datesFor } from '../testing.ts';
import { dateChangeProblems, dateOrderProblems } from './cycle.dates.ts';

const DAY = 86_400_000;
const now = new Date('2027-04-10T12:00:00Z');
const cycle = (phase: Parameters<typeof datesFor>[0], revision = false) =>
  ({ ...datesFor(phase, now.getTime(), { revision }), results_published_at: null }) as unknown as Cycle;
const moved = (c: Cycle, field: keyof Cycle, days: number) => ({ ...c, [field]: new Date((c[field] as Date).getTime() + days * DAY) });
const codes = (c: Cycle, next: Cycle) => dateChangeProblems(c, next, now).map((p) => `${p.field}:${p.code}`);

test('dates out of the order of the migration’s CHECK are named by the later date', () => {
  const c = cycle('submission');
  assert.deepEqual(dateOrderProblems(c), []);
  assert.deepEqual(dateOrderProblems({ ...c, submission_closes: c.submission_opens }), [{ field: 'submission_closes', after: 'submission_opens', strict: true }]);
  // review_closes may equal submission_closes (not strict), but not come before it.
  assert.deepEqual(dateOrderProblems({ ...c, review_closes: c.submission_closes }), []);
  assert.deepEqual(dateOrderProblems(moved(c, 'review_closes', -20)).map((p) => p.field), ['review_closes']);
  const revision = cycle('review', true);
  assert.deepEqual(dateOrderProblems({ ...revision, revision_closes: new Date(revision.voting_opens.getTime() + DAY) }).map((p) => p.field), ['voting_opens']);
  assert.deepEqual(dateOrderProblems({ ...c, voting_closes: c.voting_opens }).map((p) => p.field), ['voting_closes']);
});

test('while submission runs: its end only moves later, later phases move freely in the future, the past is fixed', () => {
  const c = cycle('submission');
  assert.deepEqual(codes(c, moved(c, 'submission_closes', 3)), []);
  assert.deepEqual(codes(c, moved(c, 'submission_closes', -2)), ['submission_closes:only_later']);
  assert.deepEqual(codes(c, moved(c, 'submission_opens', 1)), ['submission_opens:passed']);
  assert.deepEqual(codes(c, moved(moved(c, 'voting_opens', -3), 'review_closes', -3)), []);
  assert.deepEqual(codes(c, { ...c, voting_opens: new Date(now.getTime() - DAY) }), ['voting_opens:before_now']);
});

test('while voting runs, its close may be extended but not cut short; implementation may move', () => {
  const c = cycle('voting');
  assert.deepEqual(codes(c, moved(c, 'voting_closes', 2)), []);
  assert.deepEqual(codes(c, moved(c, 'voting_closes', -1)), ['voting_closes:only_later']);
  assert.deepEqual(codes(c, moved(c, 'voting_opens', 1)), ['voting_opens:passed']);
  assert.deepEqual(codes(c, moved(c, 'implementation_opens', 5)), []);
});

test('a revision phase may be added or dropped only before the review is over', () => {
  const inReview = cycle('review');
  assert.deepEqual(codes(inReview, { ...inReview, revision_closes: new Date(inReview.voting_opens.getTime() - DAY) }), []);
  const inRevision = cycle('revision', true);
  assert.deepEqual(codes(inRevision, { ...inRevision, revision_closes: null }), ['revision_closes:only_later']);
  assert.deepEqual(codes(inRevision, moved(inRevision, 'revision_closes', 1)), []);
  const voting = cycle('voting');
  assert.deepEqual(codes(voting, { ...voting, revision_closes: voting.voting_opens }), ['revision_closes:passed']);
});
