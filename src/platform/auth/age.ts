import { localDate } from '../time/working-days.ts';

/**
 * Ages from birth dates, for rules such as the participatory budget's minimum age and its statistics. A birth
 * date is a calendar date (`YYYY-MM-DD`, as `users.birth_date` reads on both dialects) and whose word it is:
 * an identity provider's (`identity`) or the person's own (`declared`).
 */

/** The earliest birth date accepted: anything before is a typing slip, not a living resident. */
export const EARLIEST_BIRTH_DATE = '1900-01-01';

/** Whose word on a birth date a rule accepts: only an identity provider's, or also the person's own. */
export type BirthDateSource = 'identity' | 'identity_or_declared';

/** Age bands of the statistics; under 16 has none (nobody younger takes part). */
export type AgeBand = '16-17' | '18-29' | '30-44' | '45-59' | '60+';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The parts of a real calendar date (`YYYY-MM-DD`), or null (no 31 April, no 29 February 2023). */
function parts(text: string): [number, number, number] | null {
  const m = DAY.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo) ? [y, mo, d] : null;
}

/**
 * Whole years between a birth date and a local calendar day (both `YYYY-MM-DD`). Someone born on 29 February
 * is a year older on 28 February in other years, as a term in years ends under the Ukrainian, Polish and
 * Serbian civil codes (the last day of the month where the month has no such day). Before birth: 0.
 */
export function ageOn(birthDate: string, day: string): number {
  const born = parts(birthDate);
  const on = parts(day);
  if (!born || !on) throw new RangeError(`not calendar dates: ${birthDate}, ${day}`);
  const [by, bm, bd] = born;
  const [y, m, d] = on;
  const birthday = Math.min(bd, daysInMonth(y, bm));
  const age = y - by - (m < bm || (m === bm && d < birthday) ? 1 : 0);
  return Math.max(0, age);
}

/** The birth date a rule may use: only an identity provider's for `identity`, either for `identity_or_declared`. */
export function birthDateFor(user: { birth_date: string | null; birth_date_source: 'identity' | 'declared' | null }, source: BirthDateSource): string | null {
  if (!user.birth_date) return null;
  return source === 'identity' && user.birth_date_source !== 'identity' ? null : user.birth_date;
}

/** The statistics' age band of an age; null under 16 (or without an age). */
export function ageBand(age: number | null): AgeBand | null {
  if (age === null || age < 16) return null;
  if (age < 18) return '16-17';
  if (age < 30) return '18-29';
  if (age < 45) return '30-44';
  if (age < 60) return '45-59';
  return '60+';
}

/** The latest calendar day anywhere on Earth now (UTC+14): nobody can have been born after it. */
export const latestDay = (now: Date): string => localDate(now, 'Pacific/Kiritimati');

/** What is wrong with a typed or claimed birth date, or null: not a real `YYYY-MM-DD` date, after `today`, before 1900. */
export function birthDateProblem(text: string, today: string): 'format' | 'future' | 'too_early' | null {
  if (!parts(text)) return 'format';
  if (text > today) return 'future';
  return text < EARLIEST_BIRTH_DATE ? 'too_early' : null;
}

/**
 * A birth date from an identity provider's claim or attribute, or null. Only a full date counts: OpenID
 * Connect's partial forms (`YYYY`, `0000-MM-DD` for a hidden year) and anything not a plausible, real date
 * are ignored. An XML Schema date's time zone (`1985-07-15Z`, `…+01:00`) says nothing about the day and is dropped.
 */
export function claimBirthDate(value: unknown, now: Date = new Date()): string | null {
  if (typeof value !== 'string') return null;
  const text = value.trim().replace(/(?:Z|[+-]\d{2}:\d{2})$/, '');
  return birthDateProblem(text, latestDay(now)) ? null : text;
}
