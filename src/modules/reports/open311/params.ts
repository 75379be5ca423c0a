import { Type } from 'typebox';
import { Value } from 'typebox/value';

/**
 * GeoReport v2 dates are "a common subset of ISO 8601 as per the W3C note", with a time zone: a day
 * (`2026-12-02`) or a date-time with `Z` or `±hh:mm`. `Date.parse` alone takes far more ("1", "March 7",
 * "2026-02-31"), so a typo would silently become another window. An end given as a day includes that day.
 */
const W3C = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2})))?$/;

/** The instant a W3C date or date-time names, or null when it is not one. */
export function parseW3cDate(raw: string, edge: 'start' | 'end' = 'start'): Date | null {
  const m = W3C.exec(raw);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [number, number, number, number, number, number];
  const realDay = new Date(Date.UTC(year, month - 1, day));
  if (realDay.getUTCMonth() !== month - 1 || realDay.getUTCDate() !== day) return null;
  if (hour > 23 || minute > 59 || second > 59 || Number(m[9] ?? 0) > 23 || Number(m[10] ?? 0) > 59) return null;
  if (!m[4]) return edge === 'start' ? realDay : new Date(realDay.getTime() + 86_400_000 - 1);
  const at = new Date(raw);
  return Number.isNaN(at.getTime()) ? null : at;
}

/** What a client may say of the person reporting, and how much: the fields staff read, never published. */
export const CONTACT_LIMITS = { email: 254, first_name: 100, last_name: 100, phone: 40, device_id: 200, account_id: 200 } as const;
export type ContactField = keyof typeof CONTACT_LIMITS;

// The same notion of an e-mail address as the platform's forms (TypeBox's `email` format).
const Email = Type.String({ format: 'email' });

/** The contact fields of a POST, or the first problem with them in words for the client's developer. */
export function checkContact(value: (k: ContactField) => string | undefined): { contact: Record<string, string> } | { problem: string } {
  const contact: Record<string, string> = {};
  for (const [k, limit] of Object.entries(CONTACT_LIMITS) as [ContactField, number][]) {
    const v = value(k);
    if (!v) continue;
    if (Array.from(v).length > limit) return { problem: `${k} is limited to ${limit} characters.` };
    if (k === 'email' && !Value.Check(Email, v)) return { problem: 'email is not a valid e-mail address.' };
    contact[k] = v;
  }
  return { contact };
}
