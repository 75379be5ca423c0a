import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ageBand, ageOn, birthDateFor, birthDateProblem, claimBirthDate, latestDay } from './age.ts';

describe('ageOn', () => {
  test('whole years: the day before the birthday, the birthday, the day after', () => {
    assert.equal(ageOn('2008-06-15', '2024-06-14'), 15);
    assert.equal(ageOn('2008-06-15', '2024-06-15'), 16);
    assert.equal(ageOn('2008-06-15', '2024-06-16'), 16);
    assert.equal(ageOn('2008-06-15', '2025-01-01'), 16);
    assert.equal(ageOn('1950-12-31', '2025-12-30'), 74);
    assert.equal(ageOn('1950-12-31', '2025-12-31'), 75);
  });

  test('born on 29 February: a year older on 28 February in other years, on the 29th in leap years', () => {
    assert.equal(ageOn('2008-02-29', '2026-02-27'), 17);
    assert.equal(ageOn('2008-02-29', '2026-02-28'), 18);
    assert.equal(ageOn('2008-02-29', '2026-03-01'), 18);
    assert.equal(ageOn('2008-02-29', '2028-02-28'), 19);
    assert.equal(ageOn('2008-02-29', '2028-02-29'), 20);
  });

  test('the day of birth is 0, a day before it too; month ends and year ends count right', () => {
    assert.equal(ageOn('2024-03-01', '2024-03-01'), 0);
    assert.equal(ageOn('2024-03-01', '2024-02-29'), 0);
    assert.equal(ageOn('2000-01-31', '2001-01-30'), 0);
    assert.equal(ageOn('2000-01-31', '2001-01-31'), 1);
  });

  test('refuses what is not a calendar date', () => {
    assert.throws(() => ageOn('2023-02-29', '2024-01-01'), RangeError);
    assert.throws(() => ageOn('2000-01-01', '2024-13-01'), RangeError);
    assert.throws(() => ageOn('1990', '2024-01-01'), RangeError);
  });
});

describe('birthDateFor', () => {
  const identity = { birth_date: '1990-05-01', birth_date_source: 'identity' as const };
  const declared = { birth_date: '1990-05-01', birth_date_source: 'declared' as const };
  const none = { birth_date: null, birth_date_source: null };
  test('an identity provider’s date counts for either setting, a declared one only where declared dates count', () => {
    assert.equal(birthDateFor(identity, 'identity'), '1990-05-01');
    assert.equal(birthDateFor(identity, 'identity_or_declared'), '1990-05-01');
    assert.equal(birthDateFor(declared, 'identity'), null);
    assert.equal(birthDateFor(declared, 'identity_or_declared'), '1990-05-01');
    assert.equal(birthDateFor(none, 'identity_or_declared'), null);
  });
});

describe('ageBand', () => {
  test('the bands of the statistics, and none under 16', () => {
    const cases: [number | null, string | null][] = [
      [null, null], [0, null], [15, null], [16, '16-17'], [17, '16-17'], [18, '18-29'], [29, '18-29'], [30, '30-44'],
      [44, '30-44'], [45, '45-59'], [59, '45-59'], [60, '60+'], [104, '60+'],
    ];
    for (const [age, band] of cases) assert.equal(ageBand(age), band, String(age));
  });
});

describe('birth dates from forms and claims', () => {
  test('a real date, not in the future, not before 1900', () => {
    assert.equal(birthDateProblem('1985-07-15', '2026-01-01'), null);
    assert.equal(birthDateProblem('1900-01-01', '2026-01-01'), null);
    assert.equal(birthDateProblem('2026-01-01', '2026-01-01'), null);
    assert.equal(birthDateProblem('2026-01-02', '2026-01-01'), 'future');
    assert.equal(birthDateProblem('1899-12-31', '2026-01-01'), 'too_early');
    for (const bad of ['1985-02-30', '1985-7-15', '15.07.1985', '', '1985-07-15T00:00:00Z']) assert.equal(birthDateProblem(bad, '2026-01-01'), 'format', bad);
  });

  test('claims: only full dates (no year alone, no hidden year), an XML date’s zone dropped', () => {
    const now = new Date('2026-03-01T12:00:00Z');
    assert.equal(claimBirthDate('1985-07-15', now), '1985-07-15');
    assert.equal(claimBirthDate(' 1985-07-15Z ', now), '1985-07-15');
    assert.equal(claimBirthDate('1985-07-15+02:00', now), '1985-07-15');
    for (const partial of ['1985', '0000-07-15', '1985-07', '2027-01-01', '1985-13-01', 19850715, null, undefined, ['1985-07-15']]) {
      assert.equal(claimBirthDate(partial, now), null, String(partial));
    }
  });

  test('the latest day anywhere is ahead of UTC', () => {
    assert.equal(latestDay(new Date('2026-03-01T11:00:00Z')), '2026-03-02');
    assert.equal(latestDay(new Date('2026-03-01T09:00:00Z')), '2026-03-01');
  });
});
