import type { CostItem, Project } from './pb.tables.ts';

/** A cost line's total in minor units: quantity is in thousandths of a unit, rounded half up to a minor unit. */
export const lineTotal = (i: Pick<CostItem, 'quantity' | 'unitPrice'>): number => Math.round((i.quantity * i.unitPrice) / 1000);

/** A cost table's total: the sum of its line totals (what the author's total must equal). */
export const costTotal = (items: readonly Pick<CostItem, 'quantity' | 'unitPrice'>[]): number => items.reduce((s, i) => s + lineTotal(i), 0);

/** The cost that counts for limits, ballots and results: the department's estimate where there is one, else the author's. */
export const countedCost = (p: Pick<Project, 'cost_total' | 'department_cost'>): number => p.department_cost ?? p.cost_total;
