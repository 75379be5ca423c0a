import { localDate } from '../../../platform/time/working-days.ts';

/**
 * Ages for the minimum age and the statistics' bands. Birth dates are calendar dates (`YYYY-MM-DD`); an age
 * is counted on the local day of the municipality. (When platform/auth/age.ts lands with the birth-date
 * page, these give way to it: the rules are the same.)
 */

const parts = (d: string) => d.split('-').map(Number) as [number, number, number];
const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** Whole years from `birthDate` to `day`; a 29 February birthday falls on 28 February in other years. */
export function ageOn(birthDate: string, day: string): number {
  const [by, bm, bd] = parts(birthDate);
  const [y, m, d] = parts(day);
  const birthday = Math.min(bd, daysInMonth(y, bm));
  return Math.max(0, y - by - (m < bm || (m === bm && d < birthday) ? 1 : 0));
}

/** The local day on which someone born on `birthDate` turns `years`. */
export function dayTurning(birthDate: string, years: number): string {
  const [by, bm, bd] = parts(birthDate);
  const y = by + years;
  return `${String(y).padStart(4, '0')}-${String(bm).padStart(2, '0')}-${String(Math.min(bd, daysInMonth(y, bm))).padStart(2, '0')}`;
}

/** Today's date where the municipality is. */
export const localToday = (now: Date, timeZone: string) => localDate(now, timeZone);

export const AGE_BANDS = ['16-17', '18-29', '30-44', '45-59', '60+'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

/** The statistics' band of an age; null under 16 or without an age. */
export function ageBand(age: number | null): AgeBand | null {
  if (age === null || age < 16) return null;
  if (age < 18) return '16-17';
  if (age < 30) return '18-29';
  if (age < 45) return '30-44';
  if (age < 60) return '45-59';
  return '60+';
}

/** The youngest age in a band ('60+' → 60). */
export const bandFloor = (band: AgeBand) => Number(band.split(/[-+]/)[0]);
