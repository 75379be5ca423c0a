import type { FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import type { Deps } from '../../../../platform/http/deps.ts';
import { Id } from '../../../../platform/http/input.ts';
import { INTL_TAG, localized } from '../../../../platform/i18n/i18n.ts';
import { parseMoney } from '../../../../platform/i18n/money.ts';
import { Button, Field, Select, type FormErrors, type FormValues } from '../../../../platform/views/components.tsx';
import { useFieldLabel, useView } from '../../../../platform/views/context.ts';
import { PlaceFields, PlaceProperties, typedPlace } from '../../../../platform/views/map.tsx';
import { costTotal, lineTotal, parseQuantity } from '../../cost.ts';
import type { Category, Cycle } from '../../pb.tables.ts';
import { CostProperties, lineFields, MAX_LINES, readCostLines } from '../cost-input.ts';
import type { InputProblem, ProjectInput } from '../project.service.ts';
import { money } from './common.tsx';

/** What the authors type; the same limits as the database's CHECK constraints. Cost lines come as `item_0`, `qty_0`… */
export const ProjectSchema = Type.Object({
  title: Type.String({ minLength: 5, maxLength: 160 }),
  summary: Type.String({ minLength: 10, maxLength: 500 }),
  description: Type.String({ minLength: 20, maxLength: 20_000 }),
  category: Type.String({ minLength: 1, maxLength: 64 }),
  district: Type.Optional(Id()),
  beneficiaries: Type.Optional(Type.String({ maxLength: 2000 })),
  ...PlaceProperties,
  ...CostProperties,
  /** The no-JavaScript "add a line" button: the form comes back with one more empty line, nothing saved. */
  addLine: Type.Optional(Type.Literal('yes')),
}, { additionalProperties: true });

export type ProjectForm = Static<typeof ProjectSchema>;

type District = { id: number; slug: string; names: Parameters<typeof localized>[0] };

/** The label of a cost table's cell, said by screen readers and named by its messages ("Quantity, line 2"). */
const cellLabel = (req: FastifyRequest, column: 'item' | 'qty' | 'unit' | 'price', line: number) => req.t(`pb.projects.cost.cell.${column}`, { line });

function CostCell({ req, name, label, errors, values, numeric }: { req: FastifyRequest; name: string; label: string; errors: FormErrors; values: FormValues; numeric?: boolean }) {
  useFieldLabel(name, label);
  const error = errors[name];
  const id = `f-${name}`;
  const raw = values[name];
  return (
    <td>
      <label for={id} class="visually-hidden">{label}</label>
      {error && <p id={`${id}-error`} class="field__error"><span class="visually-hidden">{req.t('platform.form.errorPrefix')} </span>{error}</p>}
      <input id={id} name={name} class={`input${error ? ' input--error' : ''}`} type="text" value={raw === undefined || raw === null ? undefined : String(raw)}
        inputMode={numeric ? 'decimal' : undefined} aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${id}-error` : undefined} />
    </td>
  );
}

/**
 * The cost table: item, quantity, unit, unit price and the line's total per line, and the table's total. Without
 * JavaScript the totals are those of the last time the form was drawn, and "add a line" draws it again with one
 * more line; empty lines are ignored when saving.
 */
export function CostTable({ req, cycle, errors, values, lines }: { req: FastifyRequest; cycle: Cycle; errors: FormErrors; values: FormValues; lines: number }) {
  const { t } = useView();
  const text = (k: string) => (typeof values[k] === 'string' ? (values[k] as string) : '');
  const totals = Array.from({ length: lines }, (_, i) => {
    const f = lineFields(i);
    const quantity = parseQuantity(text(f.qty));
    const unitPrice = parseMoney(text(f.price));
    return quantity !== undefined && unitPrice !== undefined ? lineTotal({ quantity, unitPrice }) : null;
  });
  const { items } = readCostLines(values);
  return (
    <fieldset class="field-group" id="f-cost">
      <legend>{t('pb.projects.cost.legend')}</legend>
      <p class="field__hint">{t('pb.projects.cost.hint', { currency: cycle.currency })}</p>
      {errors.cost && <p class="field__error"><span class="visually-hidden">{t('platform.form.errorPrefix')} </span>{errors.cost}</p>}
      <div class="table-wrap" role="region" aria-label={t('pb.projects.cost.legend')} tabIndex={0}>
        <table class="table cost-table" data-module="cost-table" data-locale={INTL_TAG[req.locale]} data-currency={cycle.currency}>
          <thead><tr>
            <th scope="col">{t('pb.projects.cost.item')}</th><th scope="col">{t('pb.projects.cost.quantity')}</th><th scope="col">{t('pb.projects.cost.unit')}</th>
            <th scope="col">{t('pb.projects.cost.unitPrice')}</th><th scope="col" class="num">{t('pb.projects.cost.lineTotal')}</th>
          </tr></thead>
          <tbody>
            {Array.from({ length: lines }, (_, i) => {
              const f = lineFields(i);
              const line = i + 1;
              return (
                <tr key={i}>
                  <CostCell req={req} name={f.item} label={cellLabel(req, 'item', line)} errors={errors} values={values} />
                  <CostCell req={req} name={f.qty} label={cellLabel(req, 'qty', line)} errors={errors} values={values} numeric />
                  <CostCell req={req} name={f.unit} label={cellLabel(req, 'unit', line)} errors={errors} values={values} />
                  <CostCell req={req} name={f.price} label={cellLabel(req, 'price', line)} errors={errors} values={values} numeric />
                  <td class="num" data-line-total>{totals[i] === null ? '—' : money(req, cycle, totals[i]!)}</td>
                </tr>
              );
            })}
          </tbody>
          <tfoot><tr><th scope="row" colSpan={4}>{t('pb.projects.cost.total')}</th><td class="num" data-total>{money(req, cycle, costTotal(items))}</td></tr></tfoot>
        </table>
      </div>
      <input type="hidden" name="lines" value={String(lines)} />
      {lines < MAX_LINES && <p><Button variant="secondary" name="addLine" value="yes">{t('pb.projects.cost.addLine')}</Button></p>}
    </fieldset>
  );
}

/** A category as the select shows it: its name and what a project in it may cost. */
const categoryLabel = (req: FastifyRequest, cycle: Cycle, c: Category) =>
  req.t('pb.projects.form.categoryOption', { name: localized(c.names, req.locale), min: money(req, cycle, c.min_cost), max: money(req, cycle, c.max_cost) });

/** Every field of a project, the cost table last. */
export function ProjectFields(p: { deps: Deps; req: FastifyRequest; cycle: Cycle; categories: Category[]; districts: District[]; errors: FormErrors; values: FormValues; lines: number }) {
  const { deps, req, cycle, categories, districts, errors, values } = p;
  const t = req.t;
  return (
    <>
      <Field name="title" label={t('pb.projects.field.title')} hint={t('pb.projects.field.titleHint')} required maxLength={160} errors={errors} values={values} />
      <Field name="summary" label={t('pb.projects.field.summary')} hint={t('pb.projects.field.summaryHint')} required multiline rows={3} maxLength={500} errors={errors} values={values} />
      <Field name="description" label={t('pb.projects.field.description')} hint={t('pb.projects.field.descriptionHint')} required multiline rows={10} maxLength={20_000} errors={errors} values={values} />
      <Select name="category" label={t('pb.projects.field.category')} errors={errors} value={String(values.category ?? '')}
        options={[...(categories.length > 1 ? [{ value: '', label: t('pb.projects.form.chooseCategory') }] : []), ...categories.map((c) => ({ value: c.slug, label: categoryLabel(req, cycle, c) }))]} />
      <PlaceFields deps={deps} req={req} errors={errors} values={values} hint={t('pb.projects.field.placeHint')} />
      {districts.length > 0 && (
        <Select name="district" label={t('pb.projects.field.district')} hint={t('pb.projects.field.districtHint')} errors={errors} value={String(values.district ?? '')}
          options={[{ value: '', label: t('pb.projects.form.districtByPlace') }, ...districts.map((d) => ({ value: String(d.id), label: localized(d.names, req.locale) }))]} />
      )}
      <Field name="beneficiaries" label={t('pb.projects.field.beneficiaries')} hint={t('pb.projects.field.beneficiariesHint')} multiline rows={3} maxLength={2000} errors={errors} values={values} />
      <CostTable req={req} cycle={cycle} errors={errors} values={values} lines={p.lines} />
    </>
  );
}

/** The form's values as a service input, or the field errors of the place and the cost lines. */
export function inputOf(req: FastifyRequest, v: ProjectForm): { input: ProjectInput } | { errors: FormErrors } {
  const place = typedPlace(v, req.t);
  const { items, problems } = readCostLines(v as Record<string, unknown>);
  const errors: FormErrors = 'errors' in place ? { ...place.errors } : {};
  for (const pr of problems) {
    const column = pr.field.split('_')[0] as 'item' | 'qty' | 'price';
    errors[pr.field] ??= req.t(`pb.projects.cost.problem.${pr.code}`, { field: cellLabel(req, column, pr.line) });
  }
  if ('errors' in place || problems.length > 0) return { errors };
  return {
    input: {
      category: v.category, title: v.title, summary: v.summary, description: v.description, beneficiaries: v.beneficiaries ?? '',
      at: place.at, address: v.address ?? null, district: v.district ?? null, items,
    },
  };
}

/** What is wrong with an input the service refused, as messages on its fields. */
export function problemErrors(req: FastifyRequest, cycle: Cycle, problem: InputProblem): FormErrors {
  const t = req.t;
  const m = req.municipality!;
  switch (problem.kind) {
    case 'unknown_category': return { category: t('pb.projects.form.unknownCategory') };
    case 'no_place': return { address: t('pb.projects.form.noPlace') };
    case 'outside': return { lat: t('pb.projects.form.outside', { km: problem.km, municipality: localized(m.names, req.locale) }) };
    case 'unknown_district': return { district: t('pb.projects.form.unknownDistrict') };
    case 'district_differs': return { district: t('pb.projects.form.districtDiffers', { district: localized(problem.district, req.locale) }) };
    case 'category_district': return { district: t('pb.projects.form.categoryDistrict', { district: localized(problem.district, req.locale) }) };
    case 'no_cost': return { cost: t('pb.projects.cost.empty') };
    case 'cost_range': return {
      cost: t('pb.projects.cost.range', {
        total: money(req, cycle, problem.total), min: money(req, cycle, problem.category.min_cost), max: money(req, cycle, problem.category.max_cost),
        category: localized(problem.category.names, req.locale),
      }),
    };
  }
}
