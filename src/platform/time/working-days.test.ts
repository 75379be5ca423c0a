import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addCalendarDays, addWorkingDays, isWorkingDay, localDate, localDateTimeInput, parseLocalDateTime, startOfLocalDay } from './working-days.ts';

test('a local day begins at local midnight, also across daylight saving', () => {
  assert.equal(startOfLocalDay('2026-11-23', 'Europe/Kyiv').toISOString(), '2026-11-22T22:00:00.000Z');
  assert.equal(startOfLocalDay('2026-07-01', 'Europe/Kyiv').toISOString(), '2026-06-30T21:00:00.000Z');
  assert.equal(startOfLocalDay('2026-03-29', 'Europe/Belgrade').toISOString(), '2026-03-28T23:00:00.000Z');
  assert.equal(startOfLocalDay('2026-03-30', 'Europe/Belgrade').toISOString(), '2026-03-29T22:00:00.000Z');
});

test('the local date depends on the zone', () => {
  const at = new Date('2026-11-23T22:30:00Z');
  assert.equal(localDate(at, 'Europe/Kyiv'), '2026-11-24');
  assert.equal(localDate(at, 'Europe/Warsaw'), '2026-11-23');
});

test('weekends and holidays are not working days', () => {
  assert.equal(isWorkingDay('2026-11-23'), true); // Monday
  assert.equal(isWorkingDay('2026-11-28'), false); // Saturday
  assert.equal(isWorkingDay('2026-11-29'), false); // Sunday
  assert.equal(isWorkingDay('2026-12-25', new Set(['2026-12-25'])), false);
});

test('ten working days from a Friday end at the end of the Friday two weeks later', () => {
  const due = addWorkingDays(new Date('2026-11-20T12:00:00Z'), 10, 'Europe/Kyiv');
  assert.equal(due.toISOString(), '2026-12-04T21:59:59.999Z');
  assert.equal(localDate(due, 'Europe/Kyiv'), '2026-12-04');
});

test('holidays push a deadline on', () => {
  const plain = addWorkingDays(new Date('2026-12-21T10:00:00Z'), 5, 'Europe/Warsaw');
  const withHolidays = addWorkingDays(new Date('2026-12-21T10:00:00Z'), 5, 'Europe/Warsaw', new Set(['2026-12-25']));
  assert.equal(localDate(plain, 'Europe/Warsaw'), '2026-12-28');
  assert.equal(localDate(withHolidays, 'Europe/Warsaw'), '2026-12-29');
});

test('calendar periods end at the end of the last local day', () => {
  const end = addCalendarDays(new Date('2026-11-23T08:00:00Z'), 60, 'Europe/Belgrade');
  assert.equal(localDate(end, 'Europe/Belgrade'), '2027-01-22');
  assert.equal(end.toISOString(), '2027-01-22T22:59:59.999Z');
});

test('a date and time typed in a form is read in the municipality’s zone', () => {
  assert.equal(parseLocalDateTime('2026-11-23T10:30', 'Europe/Kyiv')?.toISOString(), '2026-11-23T08:30:00.000Z');
  assert.equal(parseLocalDateTime('2026-07-01', 'Europe/Warsaw')?.toISOString(), '2026-06-30T22:00:00.000Z');
  assert.equal(parseLocalDateTime('yesterday', 'Europe/Kyiv'), undefined);
});

test('localDateTimeInput shows an instant as a datetime-local field in the zone, and parses back to the minute', () => {
  assert.equal(localDateTimeInput(new Date('2026-11-23T08:30:59Z'), 'Europe/Kyiv'), '2026-11-23T10:30');
  assert.equal(localDateTimeInput(new Date('2026-06-30T22:00:00Z'), 'Europe/Warsaw'), '2026-07-01T00:00');
  assert.equal(parseLocalDateTime(localDateTimeInput(new Date('2027-03-28T01:15:00Z'), 'Europe/Belgrade'), 'Europe/Belgrade')?.toISOString(), '2027-03-28T01:15:00.000Z');
});
