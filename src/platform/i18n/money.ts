/**
 * Money in minor units (kopiykas, grosze, pare): integers, so sums are exact and amounts can go into the ledger.
 * Residents and officials type amounts as they write them ("1 250 000", "1 250 000,50", "1250000.5").
 */

/** Minor units per major unit: every currency the platform's municipalities use has two decimals. */
export const MINOR_PER_MAJOR = 100;

/** The largest amount accepted anywhere (10^13 minor units: a hundred billion), well inside safe integers. */
export const MONEY_MAX = 10_000_000_000_000;

/**
 * An amount as typed, in minor units; undefined when it is not a non-negative amount with at most two decimals.
 * Spaces (also no-break and thin spaces) and apostrophes group thousands; a comma or a point marks the decimals.
 */
export function parseMoney(text: string): number | undefined {
  const s = text.trim().replace(/[\s\u00a0\u202f'’]/g, '');
  const m = /^(\d{1,13})(?:[.,](\d{1,2}))?$/.exec(s);
  if (!m) return undefined;
  const minor = Number(m[1]) * MINOR_PER_MAJOR + Number((m[2] ?? '').padEnd(2, '0'));
  return minor <= MONEY_MAX ? minor : undefined;
}

/** Minor units as a form shows them for editing again: "1250000" or "1250000.50". */
export function moneyInput(minor: number): string {
  const major = Math.floor(minor / MINOR_PER_MAJOR);
  const cents = minor % MINOR_PER_MAJOR;
  return cents === 0 ? String(major) : `${major}.${String(cents).padStart(2, '0')}`;
}

/** Minor units in the locale's currency format (the page's formatter's `money`, which takes major units). */
export function formatMoney(fmt: { money: (n: number, currency: string) => string }, minor: number, currency: string): string {
  return fmt.money(minor / MINOR_PER_MAJOR, currency);
}
