/**
 * Statistics of a cycle's ballots that identify nobody. Only one breakdown is published at a time (by day, by
 * district, by age band, by channel), never two crossed, and in each a count from 1 to 4 is not shown. Since the
 * total is published, the hidden counts' sum can be worked out from the others, and with it a single hidden count
 * (or two hidden ones that sum to 2): so the smallest shown count is hidden with them (complementary suppression),
 * and their sum then says nothing of any small one.
 */

/** Counts under this are not published. */
export const MIN_CELL = 5;

export interface Cell<K> { key: K; n: number }
export interface ShownCell<K> { key: K; n: number | null }

/** The cells as published: small counts (and, where needed, one more) replaced by null; zeros are shown, they name nobody. */
export function suppressSmall<K>(cells: Cell<K>[], min = MIN_CELL): ShownCell<K>[] {
  const hidden = new Set<number>();
  cells.forEach((c, i) => { if (c.n > 0 && c.n < min) hidden.add(i); });
  if (hidden.size > 0) {
    let next = -1;
    cells.forEach((c, i) => { if (!hidden.has(i) && c.n > 0 && (next < 0 || c.n < cells[next]!.n)) next = i; });
    if (next >= 0) hidden.add(next);
  }
  return cells.map((c, i) => ({ key: c.key, n: hidden.has(i) ? null : c.n }));
}

/** Whether any count of a breakdown was left out. */
export const anyHidden = (cells: ShownCell<unknown>[]) => cells.some((c) => c.n === null);

/** The days from `first` to `last` (YYYY-MM-DD, inclusive), each with its count (0 where no ballot was cast). */
export function everyDay(counts: Cell<string>[], first: string, last: string): Cell<string>[] {
  const by = new Map(counts.map((c) => [c.key, c.n]));
  const out: Cell<string>[] = [];
  // Days outside the range (a ballot recorded late on paper) are kept, in order.
  const start = [first, ...counts.map((c) => c.key)].sort()[0]!;
  const end = [last, ...counts.map((c) => c.key)].sort().at(-1)!;
  for (let d = new Date(`${start}T12:00:00Z`); d.toISOString().slice(0, 10) <= end; d.setUTCDate(d.getUTCDate() + 1)) {
    const key = d.toISOString().slice(0, 10);
    out.push({ key, n: by.get(key) ?? 0 });
    if (out.length > 400) break;
  }
  return out;
}

/** Age bands in order of age ("16–17", "18–29", "70+"), the unknown (null) last. */
export function byAge<T extends { key: string | null }>(cells: T[]): T[] {
  const lower = (k: string | null) => (k === null ? Infinity : Number(/\d+/.exec(k)?.[0] ?? Infinity));
  return [...cells].sort((a, b) => lower(a.key) - lower(b.key) || String(a.key).localeCompare(String(b.key)));
}
