import type { CycleEntry } from './compute.ts';

/**
 * The exact forms of the participatory budget's ledger payloads (docs/LEDGER.md "Participatory budget"): each
 * kind has exactly its keys, each value its form. A checker refuses anything else rather than interpret it.
 */

type Payload = Record<string, unknown>;

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const positive = (v: unknown): v is number => isInt(v) && v > 0;
const countOrNull = (v: unknown) => v === null || positive(v);
const isObject = (v: unknown): v is Payload => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether `p` has exactly these keys. */
export function exactKeys(p: unknown, keys: readonly string[]): p is Payload {
  if (!isObject(p)) return false;
  const own = Object.keys(p);
  return own.length === keys.length && keys.every((k) => Object.hasOwn(p, k));
}

const LEDGER_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

/** Whether `at` is a ledger time: `YYYY-MM-DDTHH:MM:SSZ` naming a real UTC second (no leap second). */
export function isLedgerTime(at: unknown): boolean {
  if (typeof at !== 'string') return false;
  const m = LEDGER_TIME.exec(at);
  if (!m) return false;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const t = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d && t.getUTCHours() === h && t.getUTCMinutes() === mi && t.getUTCSeconds() === s;
}

/** A ledger time of a moment: UTC, truncated to the second. */
export const ledgerTime = (d: Date) => `${d.toISOString().slice(0, 19)}Z`;

export const CYCLE_KEYS = ['cycle', 'currency', 'rule', 'maxChoices', 'maxPerCategory', 'minChoices', 'minSharePct', 'ballotChanges', 'categories', 'projects'] as const;
const CATEGORY_KEYS = ['slug', 'amount', 'district'] as const;
const PROJECT_KEYS = ['number', 'category', 'cost'] as const;
export const BALLOT_KEYS = ['voter', 'channel', 'choices', 'version', 'at'] as const;
export const RESULTS_KEYS = ['votes', 'funded'] as const;
const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** The payload as a cycle entry, or null where it is not exactly one. */
export function cycleEntry(p: unknown): CycleEntry | null {
  if (!exactKeys(p, CYCLE_KEYS)) return null;
  if (!positive(p.cycle) || typeof p.currency !== 'string' || !/^[A-Z]{3}$/.test(p.currency)) return null;
  if (p.rule !== 'approval' && p.rule !== 'knapsack') return null;
  if (![p.maxChoices, p.maxPerCategory, p.minChoices, p.minSharePct].every(countOrNull) || typeof p.ballotChanges !== 'boolean') return null;
  if (!Array.isArray(p.categories) || p.categories.length === 0 || !Array.isArray(p.projects)) return null;
  const slugs = new Set<string>();
  for (const c of p.categories as unknown[]) {
    if (!exactKeys(c, CATEGORY_KEYS) || typeof c.slug !== 'string' || !SLUG.test(c.slug) || slugs.has(c.slug) || !positive(c.amount)) return null;
    if (c.district !== null && (typeof c.district !== 'string' || !SLUG.test(c.district))) return null;
    slugs.add(c.slug);
  }
  let last = 0;
  for (const x of p.projects as unknown[]) {
    if (!exactKeys(x, PROJECT_KEYS) || !positive(x.number) || x.number <= last || typeof x.category !== 'string' || !slugs.has(x.category) || !isInt(x.cost) || x.cost < 0) return null;
    last = x.number;
  }
  return p as unknown as CycleEntry;
}

/** A ballot entry's payload, or null where it is not exactly one. */
export function ballotEntry(p: unknown): { voter: string; channel: 'online' | 'paper'; choices: number[]; version: number; at: string } | null {
  if (!exactKeys(p, BALLOT_KEYS)) return null;
  if (typeof p.voter !== 'string' || !/^[0-9a-f]{64}$/.test(p.voter) || (p.channel !== 'online' && p.channel !== 'paper')) return null;
  if (!positive(p.version) || !isLedgerTime(p.at) || !Array.isArray(p.choices)) return null;
  let last = 0;
  for (const n of p.choices as unknown[]) {
    if (!positive(n) || n <= last) return null;
    last = n;
  }
  return p as ReturnType<typeof ballotEntry>;
}

/** A results entry's payload, or null where it is not exactly one. */
export function resultsEntry(p: unknown): { votes: [number, number][]; funded: number[] } | null {
  if (!exactKeys(p, RESULTS_KEYS) || !Array.isArray(p.votes) || !Array.isArray(p.funded)) return null;
  const pair = (v: unknown) => Array.isArray(v) && v.length === 2 && positive(v[0]) && isInt(v[1]) && v[1] >= 0;
  if (!(p.votes as unknown[]).every(pair) || !(p.funded as unknown[]).every(positive)) return null;
  return p as ReturnType<typeof resultsEntry>;
}
