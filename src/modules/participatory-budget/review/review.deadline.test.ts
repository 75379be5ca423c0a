import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reviewDueAt } from './review.deadline.ts';

test('review is due at the end of the review_days-th working day, local time', () => {
  // Friday 2027-03-05 at 16:00 in Kyiv (UTC+2): ten working days later is Friday 2027-03-19, ending at 23:59:59.999 local.
  const due = reviewDueAt({ review_days: 10 }, new Date('2027-03-05T14:00:00Z'), 'Europe/Kyiv');
  assert.equal(due.toISOString(), '2027-03-19T21:59:59.999Z');
});

test('weekends do not count, and a submission on a Saturday counts from the Monday', () => {
  // Saturday 2027-03-06: the first working day after it is Monday the 8th, so one working day is due Monday night.
  assert.equal(reviewDueAt({ review_days: 1 }, new Date('2027-03-06T10:00:00Z'), 'Europe/Kyiv').toISOString(), '2027-03-08T21:59:59.999Z');
  // 21:30 UTC on Friday is 23:30 in Kyiv, still Friday there: one working day is again due on Monday.
  assert.equal(reviewDueAt({ review_days: 1 }, new Date('2027-03-05T21:30:00Z'), 'Europe/Kyiv').toISOString(), '2027-03-08T21:59:59.999Z');
});

test('the local day follows the municipality, not UTC (Warsaw across a daylight-saving change)', () => {
  // Friday 2027-03-26 in Warsaw (UTC+1); two working days: Tuesday 2027-03-30, by then in summer time (UTC+2).
  assert.equal(reviewDueAt({ review_days: 2 }, new Date('2027-03-26T09:00:00Z'), 'Europe/Warsaw').toISOString(), '2027-03-30T21:59:59.999Z');
});
