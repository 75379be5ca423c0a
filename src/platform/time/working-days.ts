/**
 * Legal deadlines counted in working days (e.g. "the council answers within 10 working days"), in the
 * municipality's own time zone: Saturdays, Sundays and the given public holidays do not count, and the
 * deadline is the end of the last working day, local time.
 */

/** A calendar date as `YYYY-MM-DD` in the time zone. */
export function localDate(at: Date, timeZone: string): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** Milliseconds the zone is ahead of UTC at that instant. */
function zoneOffsetMs(at: Date, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
      .formatToParts(at).map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!);
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant a local calendar day (`YYYY-MM-DD`) begins in the zone. */
export function startOfLocalDay(date: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d);
  // Two passes settle the offset on days when it changes (daylight saving).
  const first = guess - zoneOffsetMs(new Date(guess), timeZone);
  return new Date(guess - zoneOffsetMs(new Date(first), timeZone));
}

function nextDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** Whether the local date is a working day (Monday to Friday and not a listed holiday). */
export function isWorkingDay(date: string, holidays: ReadonlySet<string> = new Set()): boolean {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !holidays.has(date);
}

/**
 * The end (last millisecond) of the `days`-th working day after `from`'s local day: something received on
 * a Friday with 10 working days to answer is due at the end of the Friday two weeks later.
 */
export function addWorkingDays(from: Date, days: number, timeZone: string, holidays: ReadonlySet<string> = new Set()): Date {
  let date = localDate(from, timeZone);
  let counted = 0;
  while (counted < days) {
    date = nextDate(date);
    if (isWorkingDay(date, holidays)) counted += 1;
  }
  return new Date(startOfLocalDay(nextDate(date), timeZone).getTime() - 1);
}

/** The end of the local calendar day `days` days after `from` (signature periods count calendar days). */
export function addCalendarDays(from: Date, days: number, timeZone: string): Date {
  let date = localDate(from, timeZone);
  for (let i = 0; i < days; i++) date = nextDate(date);
  return new Date(startOfLocalDay(nextDate(date), timeZone).getTime() - 1);
}

/**
 * A local date (`YYYY-MM-DD`) or date and time (`YYYY-MM-DD HH:MM[:SS]`, or with a `T`) typed in a form, as an instant in the zone.
 * The wall time is placed with the zone's offset at that time, so a time on a day the clocks change is read as the clock showed it.
 */
export function parseLocalDateTime(text: string, timeZone: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
  if (!m) return undefined;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
  if (Number.isNaN(wall)) return undefined;
  // Two passes settle the offset across a change of the clocks, as in startOfLocalDay.
  const first = wall - zoneOffsetMs(new Date(wall), timeZone);
  const at = new Date(wall - zoneOffsetMs(new Date(first), timeZone));
  return Number.isNaN(at.getTime()) ? undefined : at;
}

/** An instant as a `datetime-local` input shows it in the zone (`YYYY-MM-DDTHH:MM`): parseLocalDateTime's inverse, to the minute. */
export function localDateTimeInput(at: Date, timeZone: string): string {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
    .formatToParts(at).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}
