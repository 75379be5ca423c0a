import { Type, type TSchema } from 'typebox';
import { moneyInput, parseMoney } from '../../../platform/i18n/money.ts';
import { parseQuantity } from '../cost.ts';
import type { CostItem } from '../pb.tables.ts';

/**
 * The cost table as a form sends it: line i is `item_i`, `qty_i`, `unit_i` and `price_i` (no arrays, so every
 * line keeps its place when another is left empty, and a message names its field). Quantities are typed with up
 * to three decimals ("2,5", "0.125") and kept in thousandths; prices as money (platform/i18n/money.ts), in minor
 * units. Empty lines are ignored.
 */

/** Lines a cost table may have. */
export const MAX_LINES = 30;

/** The largest quantity × unit price (thousandths × minor units) whose line total is still an exact number. */
const MAX_PRODUCT = BigInt(Number.MAX_SAFE_INTEGER);

export const lineFields = (i: number) => ({ item: `item_${i}`, qty: `qty_${i}`, unit: `unit_${i}`, price: `price_${i}` });

/** The schema properties of every line (all optional), and `lines`, how many the form shows. */
export const CostProperties: Record<string, TSchema> = {
  lines: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LINES })),
  ...Object.fromEntries(Array.from({ length: MAX_LINES }, (_, i) => {
    const f = lineFields(i);
    return [
      [f.item, Type.Optional(Type.String({ maxLength: 200 }))], [f.qty, Type.Optional(Type.String({ maxLength: 20 }))],
      [f.unit, Type.Optional(Type.String({ maxLength: 30 }))], [f.price, Type.Optional(Type.String({ maxLength: 30 }))],
    ];
  }).flat()),
};

/** Thousandths as a form shows them again: "2.5", "12". */
export function quantityInput(thousandths: number): string {
  const whole = Math.floor(thousandths / 1000);
  const rest = thousandths % 1000;
  return rest === 0 ? String(whole) : `${whole}.${String(rest).padStart(3, '0').replace(/0+$/, '')}`;
}

export type LineProblem = { field: string; line: number; code: 'item' | 'quantity' | 'price' | 'tooLarge' };

const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** The filled lines of a posted cost table, in order, or what is wrong with them (each naming its field). */
export function readCostLines(values: Record<string, unknown>): { items: CostItem[]; problems: LineProblem[] } {
  const items: CostItem[] = [];
  const problems: LineProblem[] = [];
  for (let i = 0; i < MAX_LINES; i++) {
    const f = lineFields(i);
    const [item, qty, unit, price] = [text(values[f.item]), text(values[f.qty]), text(values[f.unit]), text(values[f.price])];
    if (!item && !qty && !unit && !price) continue;
    const line = i + 1;
    const quantity = parseQuantity(qty);
    const unitPrice = parseMoney(price);
    if (!item) problems.push({ field: f.item, line, code: 'item' });
    if (quantity === undefined) problems.push({ field: f.qty, line, code: 'quantity' });
    if (unitPrice === undefined) problems.push({ field: f.price, line, code: 'price' });
    if (quantity !== undefined && unitPrice !== undefined && BigInt(quantity) * BigInt(unitPrice) > MAX_PRODUCT) problems.push({ field: f.price, line, code: 'tooLarge' });
    if (item && quantity !== undefined && unitPrice !== undefined) items.push({ item, quantity, unit, unitPrice });
  }
  return { items, problems };
}

/** A saved cost table as the form's values, for editing it again. */
export function costFormValues(items: readonly CostItem[]): Record<string, string | number> {
  const out: Record<string, string | number> = { lines: Math.max(1, items.length) };
  items.forEach((it, i) => {
    const f = lineFields(i);
    Object.assign(out, { [f.item]: it.item, [f.qty]: quantityInput(it.quantity), [f.unit]: it.unit, [f.price]: moneyInput(it.unitPrice) });
  });
  return out;
}

/** How many lines the form shows: as many as it showed (or any filled one needs), one more when "add a line" was pressed. */
export function shownLines(values: Record<string, unknown>, addLine: boolean): number {
  let last = 0;
  for (let i = 0; i < MAX_LINES; i++) {
    const f = lineFields(i);
    if ([f.item, f.qty, f.unit, f.price].some((k) => text(values[k]) !== '')) last = i + 1;
  }
  const shown = Math.max(1, last, typeof values.lines === 'number' ? values.lines : Number(values.lines) || 1);
  return Math.min(MAX_LINES, shown + (addLine ? 1 : 0));
}
