import type { CostItem, Project } from './pb.tables.ts';

/** A cost line's total in minor units: quantity is in thousandths of a unit, rounded half up to a minor unit. */
export const lineTotal = (i: Pick<CostItem, 'quantity' | 'unitPrice'>): number => Math.round((i.quantity * i.unitPrice) / 1000);

/** A cost table's total: the sum of its line totals (what the author's total must equal). */
export const costTotal = (items: readonly Pick<CostItem, 'quantity' | 'unitPrice'>[]): number => items.reduce((s, i) => s + lineTotal(i), 0);

/** The cost that counts for limits, ballots and results: the department's estimate where there is one, else the author's. */
export const countedCost = (p: Pick<Project, 'cost_total' | 'department_cost'>): number => p.department_cost ?? p.cost_total;

/** A quantity as typed, in thousandths of a unit; undefined unless a positive number with at most three decimals. */
export function parseQuantity(text: string): number | undefined {
  const m = /^(\d{1,9})(?:[.,](\d{1,3}))?$/.exec(text.trim().replace(/[\s\u00a0\u202f'’]/g, ''));
  if (!m) return undefined;
  const q = Number(m[1]) * 1000 + Number((m[2] ?? '').padEnd(3, '0'));
  return q > 0 ? q : undefined;
}
