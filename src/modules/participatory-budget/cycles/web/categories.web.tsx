import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import type { App, Deps } from '../../../../platform/http/deps.ts';
import { notFound } from '../../../../platform/http/errors.tsx';
import { redirectWithFlash } from '../../../../platform/http/flash.ts';
import { formRoute } from '../../../../platform/http/form-route.tsx';
import { localized } from '../../../../platform/i18n/i18n.ts';
import { formatMoney, moneyInput } from '../../../../platform/i18n/money.ts';
import { onceKey } from '../../../../platform/idempotency/once.ts';
import { listDistricts } from '../../../../platform/tenancy/districts.repo.ts';
import { nameValues } from '../../../../platform/tenancy/municipality.schemas.ts';
import { Button, EmptyState, ErrorSummary, Field, Form, NameFields, Select, Table, type FormErrors, type FormValues } from '../../../../platform/views/components.tsx';
import { Name } from '../../../../platform/views/content.tsx';
import { cycleCategories, findCycle } from '../../cycle.repo.ts';
import type { Cycle } from '../../pb.tables.ts';
import { addCategory, deleteCategory, EditCategorySchema, editCategory, NewCategorySchema, readCategoryForm, type CategoryOutcome } from '../category.service.ts';
import { findCategory, type CategoryValues } from '../cycles.repo.ts';
import { staffCyclePath } from '../staff-nav.tsx';
import { cycleGuard, staffCycle } from './cycle-form.tsx';
import { CycleStaffHead } from './cycles.web.tsx';

const actor = (req: FastifyRequest) => ({ id: req.user!.id, ip: req.ip });
const params = (req: FastifyRequest) => req.params as { number: number; slug?: string };
const base = (req: FastifyRequest) => `${staffCyclePath(req, params(req).number)}/categories`;

/** A category's money and district fields. */
async function CategoryFields({ deps, req, errors, values }: { deps: Deps; req: FastifyRequest; errors: FormErrors; values: FormValues }) {
  const t = req.t;
  const f = { errors, values };
  const districts = await listDistricts(deps.db, req.municipality!.id);
  const label = (name: string) => t(`pb.categories.field.${name}`);
  return (
    <>
      <Field name="amount" label={label('amount')} hint={t('pb.cycles.hint.money')} inputMode="decimal" required {...f} />
      <Field name="minCost" label={label('minCost')} inputMode="decimal" {...f} />
      <Field name="maxCost" label={label('maxCost')} hint={t('pb.categories.hint.maxCost')} inputMode="decimal" required {...f} />
      {districts.length > 0 && (
        <Select name="districtId" label={label('districtId')} hint={t('pb.categories.hint.district')} errors={errors} value={String(values.districtId ?? '')}
          options={[{ value: '', label: t('pb.categories.wholeMunicipality') }, ...districts.map((d) => ({ value: String(d.id), label: localized(d.names, req.locale) }))]} />
      )}
    </>
  );
}

/** A refused category change: a field message, or (frozen, in use, gone) a flash on the categories page. */
async function refused(deps: Deps, req: FastifyRequest, reply: FastifyReply, cycle: Cycle, r: Exclude<CategoryOutcome, { kind: 'done' }>): Promise<FastifyReply | FormErrors> {
  const t = req.t;
  const label = (name: string) => t(`pb.categories.field.${name}`);
  switch (r.kind) {
    case 'gone': return notFound(deps, req, reply);
    case 'frozen': return redirectWithFlash(reply, base(req), { kind: 'error', message: t('pb.categories.error.frozen', { since: req.fmt.dateTime(r.since) }) });
    case 'in_use': return redirectWithFlash(reply, base(req), { kind: 'error', message: t('pb.categories.error.inUse') });
    case 'slug_taken': return { slug: t('pb.categories.error.slugTaken') };
    case 'unknown_district': return { districtId: t('pb.categories.error.unknownDistrict', { field: label('districtId') }) };
    case 'over_total': return { amount: t('pb.categories.error.overTotal', { field: label('amount'), sum: formatMoney(req.fmt, r.sum, cycle.currency), total: formatMoney(req.fmt, r.total, cycle.currency) }) };
  }
}

/** A cycle's categories: each with its money, cost limits and optionally a district; frozen at the first ballot. */
export function registerCategoryPages(app: App, deps: Deps): void {
  const current = async (req: FastifyRequest) => (await findCycle(deps.db, req.municipality!.id, params(req).number))!;
  /** Reads a category form and runs its change: back to the categories, or the form with what was refused. */
  const save = async (v: Static<typeof EditCategorySchema>, req: FastifyRequest, reply: FastifyReply, done: string,
    write: (cycle: Cycle, values: CategoryValues) => Promise<CategoryOutcome>): Promise<FastifyReply | FormErrors> => {
    const read = readCategoryForm(v, req.t);
    if (!read.ok) return read.errors;
    const cycle = await current(req);
    const r = await write(cycle, read.values);
    if (r.kind !== 'done') return refused(deps, req, reply, cycle, r);
    return redirectWithFlash(reply, base(req), { kind: 'success', message: req.t(done) });
  };

  formRoute(app, deps, {
    url: '/:locale/:municipality/participatory-budget/staff/cycles/:number/categories',
    schema: NewCategorySchema,
    title: (req) => req.t('pb.staff.categories'),
    guard: cycleGuard(deps),
    view: async (req, { errors, values }) => {
      const t = req.t;
      const cycle = await current(req);
      const categories = await cycleCategories(deps.db, cycle.id);
      const money = (n: number) => formatMoney(req.fmt, n, cycle.currency);
      const used = categories.reduce((s, c) => s + c.amount, 0);
      return (
        <>
          {await CycleStaffHead({ deps, req, cycle, now: new Date() })}
          <h2>{t('pb.staff.categories')}</h2>
          <p>{t('pb.categories.allotted', { used: money(used), total: money(cycle.total_amount), left: money(cycle.total_amount - used) })}</p>
          {categories.length === 0 ? <EmptyState title={t('pb.categories.none')} /> : (
            <Table caption={t('pb.staff.categories')} captionHidden numeric={[1, 2, 3]}
              head={[t('pb.categories.field.name'), t('pb.categories.field.amount'), t('pb.categories.field.minCost'), t('pb.categories.field.maxCost'), t('pb.categories.actions')]}
              rows={categories.map((c) => [
                <a href={`${base(req)}/${c.slug}`}><Name names={c.names} /></a>, money(c.amount), money(c.min_cost), money(c.max_cost),
                <Form action={`${base(req)}/${c.slug}/delete`} aria-label={t('pb.categories.deleteNamed', { name: localized(c.names, req.locale) })}>
                  <Button variant="danger">{t('pb.categories.delete')}</Button>
                </Form>,
              ])} />
          )}
          <h2>{t('pb.categories.add')}</h2>
          <ErrorSummary errors={errors} />
          <Form action={base(req)} once>
            <NameFields errors={errors} values={values} />
            {await CategoryFields({ deps, req, errors, values })}
            <Button>{t('pb.categories.add')}</Button>
          </Form>
        </>
      );
    },
    handle: (v, req, reply) => save(v, req, reply, 'pb.categories.added',
      (cycle, values) => addCategory(deps, actor(req), req.municipality!, cycle.number, v.slug, values, onceKey(req))),
  });

  const category = async (req: FastifyRequest) => findCategory(deps.db, (await current(req)).id, params(req).slug!);
  formRoute(app, deps, {
    url: '/:locale/:municipality/participatory-budget/staff/cycles/:number/categories/:slug',
    schema: EditCategorySchema,
    title: (req) => req.t('pb.categories.edit'),
    async guard(req, reply) {
      await staffCycle(deps, req, reply);
      if (!reply.sent && !(await category(req))) await notFound(deps, req, reply);
      return reply.sent ? reply : undefined;
    },
    initial: async (req) => {
      const c = (await category(req))!;
      return { ...nameValues(c.names), amount: moneyInput(c.amount), minCost: moneyInput(c.min_cost), maxCost: moneyInput(c.max_cost), districtId: c.district_id ?? '' };
    },
    view: async (req, { errors, values }) => {
      const cycle = await current(req);
      const c = (await category(req))!;
      return (
        <>
          {await CycleStaffHead({ deps, req, cycle, now: new Date() })}
          <h2>{req.t('pb.categories.editNamed', { name: localized(c.names, req.locale) })}</h2>
          <ErrorSummary errors={errors} />
          <Form action={`${base(req)}/${c.slug}`}>
            <NameFields errors={errors} values={{ ...values, slug: c.slug }} fixedSlug />
            {await CategoryFields({ deps, req, errors, values })}
            <Button>{req.t('pb.cycles.save')}</Button>
          </Form>
        </>
      );
    },
    handle: (v, req, reply) => save(v, req, reply, 'pb.cycles.saved',
      (cycle, values) => editCategory(deps, actor(req), req.municipality!, cycle.number, params(req).slug!, values)),
  });

  app.post('/:locale/:municipality/participatory-budget/staff/cycles/:number/categories/:slug/delete', { schema: { hide: true } }, async (req, reply) => {
    const cycle = await staffCycle(deps, req, reply);
    if (!cycle) return reply;
    const r = await deleteCategory(deps, actor(req), req.municipality!, cycle.number, params(req).slug!);
    if (r.kind !== 'done') {
      const answer = await refused(deps, req, reply, cycle, r);
      return reply.sent ? reply : redirectWithFlash(reply, base(req), { kind: 'error', message: Object.values(answer as FormErrors)[0]! });
    }
    return redirectWithFlash(reply, base(req), { kind: 'success', message: req.t('pb.categories.deleted') });
  });
}
