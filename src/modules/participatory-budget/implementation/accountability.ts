import type { LocalizedText } from '../../../db/schema.ts';
import { countedCost } from '../cost.ts';
import type { Category } from '../pb.tables.ts';
import type { FundedRow } from './impl.repo.ts';

/** What a cycle promised and delivered in one category (or in all of them): money in minor units. */
export interface Delivered {
  names: LocalizedText | null;
  /** The category's amount (what residents could spend in it). */
  amount: number;
  funded: number;
  completed: number;
  cancelled: number;
  overdue: number;
  /** The counted cost of the funded projects: what they were voted with. */
  budget: number;
  contracted: number;
  spent: number;
}

const empty = (names: LocalizedText | null, amount: number): Delivered => ({ names, amount, funded: 0, completed: 0, cancelled: 0, overdue: 0, budget: 0, contracted: 0, spent: 0 });

function add(d: Delivered, r: FundedRow): void {
  d.funded += 1;
  if (r.impl_status === 'completed') d.completed += 1;
  if (r.impl_status === 'cancelled') d.cancelled += 1;
  if (r.overdue) d.overdue += 1;
  d.budget += countedCost(r);
  d.contracted += r.contracted ?? 0;
  d.spent += r.spent;
}

/** Funded against completed against spent, per category in the cycle's order, and the cycle's total. */
export function accountability(categories: Category[], rows: FundedRow[]): { categories: Delivered[]; total: Delivered } {
  const per = new Map(categories.map((c) => [c.id, empty(c.names, c.amount)]));
  const total = empty(null, categories.reduce((s, c) => s + c.amount, 0));
  for (const r of rows) {
    const d = per.get(r.category_id);
    if (d) add(d, r);
    add(total, r);
  }
  return { categories: [...per.values()], total };
}

/** A share (0…1) of a whole, or null where there is no whole to share. */
export const share = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);
