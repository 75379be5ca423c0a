import { Type, type Static } from 'typebox';
import type { Transaction } from 'kysely';
import type { DB, Municipality } from '../../../db/schema.ts';
import type { Deps } from '../../../platform/http/deps.ts';
import type { Translate } from '../../../platform/i18n/i18n.ts';
import { parseMoney } from '../../../platform/i18n/money.ts';
import { createOnce, type OnceKey } from '../../../platform/idempotency/once.ts';
import { findDistrict } from '../../../platform/tenancy/districts.repo.ts';
import { localizedNames, namesFrom } from '../../../platform/tenancy/municipality.schemas.ts';
import type { FormErrors } from '../../../platform/views/components.tsx';
import type { Category, Cycle } from '../pb.tables.ts';
import { MoneyText } from './cycle.input.ts';
import { auditCycle, frozenSince, type Actor } from './cycle.service.ts';
import { categoriesTotal, categoryInUse, deleteCategoryRow, findCategory, insertCategory, lockCycle, updateCategoryRow, type CategoryValues } from './cycles.repo.ts';

const Fields = { ...localizedNames(120), districtId: Type.Optional(Type.Integer({ minimum: 1 })), amount: MoneyText, minCost: Type.Optional(MoneyText), maxCost: MoneyText };
export const NewCategorySchema = Type.Object({ slug: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' }), ...Fields });
export const EditCategorySchema = Type.Object(Fields);
type CategoryForm = Static<typeof EditCategorySchema>;

/** A category form as columns, or which amounts are wrong: no amount, a minimum above the maximum, a maximum above the category's money. */
export function readCategoryForm(v: CategoryForm, t: Translate): { ok: true; values: CategoryValues } | { ok: false; errors: FormErrors } {
  const errors: FormErrors = {};
  const label = (f: string) => t(`pb.categories.field.${f}`);
  const money = (f: 'amount' | 'minCost' | 'maxCost', text: string | undefined, positive: boolean) => {
    const n = text === undefined ? 0 : parseMoney(text);
    if (n === undefined) errors[f] = t('pb.cycles.error.money', { field: label(f) });
    else if (positive && n === 0) errors[f] = t('pb.categories.error.zero', { field: label(f) });
    return n ?? 0;
  };
  const amount = money('amount', v.amount, true);
  const min = money('minCost', v.minCost, false);
  const max = money('maxCost', v.maxCost, true);
  if (!errors.maxCost && !errors.amount && max > amount) errors.maxCost = t('pb.categories.error.maxAboveAmount', { field: label('maxCost'), other: label('amount') });
  if (!errors.minCost && !errors.maxCost && min > max) errors.minCost = t('pb.categories.error.minAboveMax', { field: label('minCost'), other: label('maxCost') });
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, values: { names: namesFrom(v), district_id: v.districtId ?? null, amount, min_cost: min, max_cost: max } };
}

export type CategoryOutcome =
  | { kind: 'done' }
  | { kind: 'gone' }
  | { kind: 'frozen'; since: Date }
  | { kind: 'over_total'; sum: number; total: number }
  | { kind: 'slug_taken' }
  | { kind: 'unknown_district' }
  | { kind: 'in_use' };

/**
 * Runs a category change with the cycle's row held and its rules lock taken (categories freeze at the first
 * ballot), after the checks every change shares: the category named exists (`slug`, for edits and deletes), the
 * district is the municipality's, and the categories' amounts together stay within the cycle's total.
 */
async function change(trx: Transaction<DB>, m: Pick<Municipality, 'id'>, number: number, slug: string | null, values: CategoryValues | null,
  write: (c: Cycle, category: Category | null) => Promise<CategoryOutcome>): Promise<CategoryOutcome> {
  const c = await lockCycle(trx, m.id, number);
  if (!c) return { kind: 'gone' };
  const category = slug === null ? null : await findCategory(trx, c.id, slug);
  if (category === undefined) return { kind: 'gone' };
  const since = await frozenSince(trx, c.id);
  if (since) return { kind: 'frozen', since };
  if (values) {
    if (values.district_id !== null && !(await findDistrict(trx, m.id, values.district_id))) return { kind: 'unknown_district' };
    const sum = (await categoriesTotal(trx, c.id, category?.id ?? null)) + values.amount;
    if (sum > c.total_amount) return { kind: 'over_total', sum, total: c.total_amount };
  }
  return write(c, category);
}

const described = (k: Pick<Category, 'slug' | 'names' | 'district_id' | 'amount' | 'min_cost' | 'max_cost'>) =>
  ({ slug: k.slug, names: k.names, district_id: k.district_id, amount: k.amount, min_cost: k.min_cost, max_cost: k.max_cost });

/** Adds a category to a cycle (once per form; the slug is judged after the claim, so a resend is answered "added"). */
export async function addCategory(deps: Deps, actor: Actor, m: Pick<Municipality, 'id'>, number: number, slug: string, values: CategoryValues, once: OnceKey | null): Promise<CategoryOutcome> {
  return createOnce(deps.db, once, 'pb.category', (trx) => change(trx, m, number, null, values, async (c) => {
    if (await insertCategory(trx, c, slug, values) === undefined) return { kind: 'slug_taken' };
    await auditCycle(trx, actor, c, 'pb.category.add', undefined, { slug, ...values });
    return { kind: 'done' };
  }), (r) => r.kind === 'done');
}

/** Changes a category's names, district, amount and cost limits (its slug is in addresses and the ledger, and stays). */
export async function editCategory(deps: Deps, actor: Actor, m: Pick<Municipality, 'id'>, number: number, slug: string, values: CategoryValues): Promise<CategoryOutcome> {
  return deps.db.transaction().execute((trx) => change(trx, m, number, slug, values, async (c, category) => {
    await updateCategoryRow(trx, category!.id, values);
    await auditCycle(trx, actor, c, 'pb.category.edit', described(category!), { slug, ...values });
    return { kind: 'done' };
  }));
}

/** Deletes a category no project is in. */
export async function deleteCategory(deps: Deps, actor: Actor, m: Pick<Municipality, 'id'>, number: number, slug: string): Promise<CategoryOutcome> {
  return deps.db.transaction().execute((trx) => change(trx, m, number, slug, null, async (c, category) => {
    if (await categoryInUse(trx, category!.id)) return { kind: 'in_use' };
    await deleteCategoryRow(trx, category!.id);
    await auditCycle(trx, actor, c, 'pb.category.delete', described(category!), undefined);
    return { kind: 'done' };
  }));
}
