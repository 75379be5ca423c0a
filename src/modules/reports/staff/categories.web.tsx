import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { QuestionKind, ReportQuestion } from '../../../db/schema.reports.ts';
import { audit } from '../../../platform/audit/audit.ts';
import type { App, Deps } from '../../../platform/http/deps.ts';
import { notFound } from '../../../platform/http/errors.tsx';
import { redirectWithFlash } from '../../../platform/http/flash.ts';
import { formRoute } from '../../../platform/http/form-route.tsx';
import { createOnce, onceKey } from '../../../platform/idempotency/once.ts';
import { localized } from '../../../platform/i18n/i18n.ts';
import { municipalGuard } from '../../../platform/tenancy/admin.web.tsx';
import { listDepartments } from '../../../platform/tenancy/municipality.repo.ts';
import { localizedNames, namesFrom, nameValues } from '../../../platform/tenancy/municipality.schemas.ts';
import { Button, Checkboxes, ErrorSummary, Field, Form, NameFields, Select, Table, type FormErrors, type FormValues } from '../../../platform/views/components.tsx';
import { findCategory, insertCategory, listCategories, setQuestions, updateCategory, type ReportCategory } from '../report.repo.ts';
import { staffBase, StaffNav } from './nav.tsx';

const Settings = {
  departmentId: Type.Optional(Type.Integer({ minimum: 1 })),
  ackHours: Type.Integer({ minimum: 1, maximum: 8760 }),
  fixDays: Type.Integer({ minimum: 1, maximum: 3650 }),
};
const NewCategorySchema = Type.Object({ slug: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' }), ...localizedNames(120), ...Settings });
const EditCategorySchema = Type.Object({ ...localizedNames(120), ...Settings, active: Type.Optional(Type.Literal('yes')) });
const KINDS: QuestionKind[] = ['text', 'number', 'date', 'single', 'multiple'];
const QuestionSchema = Type.Object({
  key: Type.String({ pattern: '^[a-z][a-z0-9_]{0,30}$' }), kind: Type.Enum(KINDS), required: Type.Optional(Type.Literal('yes')),
  ...localizedNames(200), options: Type.Optional(Type.String({ maxLength: 2000 })),
});

/** Department and service levels: where reports of the category go and how fast they are due. */
async function SettingsFields({ deps, req, errors, values }: { deps: Deps; req: FastifyRequest; errors: FormErrors; values: FormValues }) {
  const t = req.t;
  const departments = await listDepartments(deps.db, req.municipality!.id);
  return (
    <>
      <Select name="departmentId" label={t('reports.staff.department')} errors={errors} value={String(values.departmentId ?? '')}
        options={[{ value: '', label: t('reports.staff.noDepartment') }, ...departments.map((d) => ({ value: String(d.id), label: localized(d.names, req.locale) }))]} />
      <Field name="ackHours" label={t('reports.staff.ackHours')} hint={t('reports.staff.ackHoursHint')} inputMode="numeric" required errors={errors} values={values} />
      <Field name="fixDays" label={t('reports.staff.fixDays')} hint={t('reports.staff.fixDaysHint')} inputMode="numeric" required errors={errors} values={values} />
    </>
  );
}

const settingsOf = (v: { departmentId?: number | undefined; ackHours: number; fixDays: number }) => ({ department_id: v.departmentId ?? null, ack_hours: v.ackHours, fix_days: v.fixDays });

/** Report categories: each named in every language, routed to a department, with service levels and questions. */
export function registerCategoryPages(app: App, deps: Deps): void {
  const guard = municipalGuard(deps, 'reports.categories');
  const base = (req: FastifyRequest) => `${staffBase(req)}/categories`;
  const audited = (req: FastifyRequest, action: string, subjectId: number, after: unknown) =>
    ({ municipalityId: req.municipality!.id, actorId: req.user!.id, action, subjectType: 'report_category', subjectId, after, ip: req.ip });

  formRoute(app, deps, {
    url: '/:locale/:municipality/reports/staff/categories',
    schema: NewCategorySchema,
    title: (req) => req.t('reports.staff.categories'),
    guard,
    initial: () => ({ ackHours: 48, fixDays: 10 }),
    view: async (req, { errors, values }) => {
      const t = req.t;
      const list = await listCategories(deps.db, req.municipality!.id);
      return (
        <>
          <h1>{t('reports.staff.categories')}</h1>
          <StaffNav req={req} />
          <Table caption={t('reports.staff.categories')} captionHidden
            head={[t('reports.web.category'), t('reports.staff.ackHours'), t('reports.staff.fixDays'), t('reports.staff.questions'), t('reports.staff.state')]}
            rows={list.map((c) => [<a href={`${base(req)}/${c.slug}`}>{localized(c.names, req.locale)}</a>, String(c.ack_hours), String(c.fix_days), String(c.questions.length),
              t(c.active ? 'reports.staff.active' : 'reports.staff.inactive')])} numeric={[1, 2, 3]} />
          <h2>{t('reports.staff.addCategory')}</h2>
          <ErrorSummary errors={errors} />
          <Form action={base(req)} once>
            <NameFields errors={errors} values={values} />
            {await SettingsFields({ deps, req, errors, values })}
            <Button>{t('reports.staff.addCategory')}</Button>
          </Form>
        </>
      );
    },
    async handle(v, req, reply): Promise<FastifyReply | FormErrors> {
      const m = req.municipality!;
      if (v.departmentId && !(await listDepartments(deps.db, m.id)).some((d) => d.id === v.departmentId)) return { departmentId: req.t('reports.staff.unknownDepartment') };
      const values = { slug: v.slug, names: namesFrom(v), ...settingsOf(v) };
      // The slug is checked after the claim: a resend is answered "added", not "slug taken".
      const id = await createOnce(deps.db, onceKey(req), 'reports.category', async (trx) => {
        const added = await insertCategory(trx, m.id, values);
        if (added) await audit(trx, audited(req, 'reports.category.add', added, values));
        return added;
      }, Boolean);
      if (!id) return { slug: req.t('reports.staff.slugTaken') };
      return redirectWithFlash(reply, `${base(req)}/${v.slug}`, { kind: 'success', message: req.t('reports.staff.categoryAdded') });
    },
  });

  const current = async (req: FastifyRequest, reply: FastifyReply): Promise<ReportCategory | null> => {
    const c = await findCategory(deps.db, req.municipality!.id, (req.params as { slug: string }).slug);
    if (!c) await notFound(deps, req, reply);
    return c ?? null;
  };
  const guardAndLoad = async (req: FastifyRequest, reply: FastifyReply) => {
    await guard(req, reply);
    if (!reply.sent) await current(req, reply);
    return reply.sent ? reply : undefined;
  };

  formRoute(app, deps, {
    url: '/:locale/:municipality/reports/staff/categories/:slug',
    schema: EditCategorySchema,
    title: (req) => req.t('reports.staff.editCategory'),
    guard: guardAndLoad,
    initial: async (req) => {
      const c = (await findCategory(deps.db, req.municipality!.id, (req.params as { slug: string }).slug))!;
      return { ...nameValues(c.names), departmentId: c.department_id ?? '', ackHours: c.ack_hours, fixDays: c.fix_days, active: c.active ? 'yes' : '' };
    },
    view: async (req, { errors, values }) => {
      const t = req.t;
      const c = (await findCategory(deps.db, req.municipality!.id, (req.params as { slug: string }).slug))!;
      const path = `${base(req)}/${c.slug}`;
      return (
        <>
          <h1>{localized(c.names, req.locale)}</h1>
          <StaffNav req={req} />
          <ErrorSummary errors={errors} />
          <Form action={path}>
            <NameFields errors={errors} values={{ ...values, slug: c.slug }} fixedSlug />
            {await SettingsFields({ deps, req, errors, values })}
            <Checkboxes name="active" legend={t('reports.staff.state')} options={[{ value: 'yes', label: t('reports.staff.activeHint') }]} checked={values.active === 'yes' ? ['yes'] : []} />
            <Button>{t('reports.staff.save')}</Button>
          </Form>
          <h2>{t('reports.staff.questions')}</h2>
          {c.questions.length === 0 ? <p>{t('reports.staff.noQuestions')}</p> : (
            <ul class="report-list">
              {c.questions.map((q) => (
                <li key={q.key}>
                  {localized(q.labels, req.locale)} ({t(`reports.staff.kind.${q.kind}`)}{q.required ? `, ${t('reports.staff.requiredQ')}` : ''})
                  <Form action={`${path}/questions/delete`}><input type="hidden" name="key" value={q.key} /><Button variant="danger">{t('reports.staff.deleteQuestion')}</Button></Form>
                </li>
              ))}
            </ul>
          )}
          <p><a href={`${path}/questions`}>{t('reports.staff.addQuestion')}</a></p>
        </>
      );
    },
    async handle(v, req, reply): Promise<FastifyReply | FormErrors> {
      const m = req.municipality!;
      const c = (await findCategory(deps.db, m.id, (req.params as { slug: string }).slug))!;
      if (v.departmentId && !(await listDepartments(deps.db, m.id)).some((d) => d.id === v.departmentId)) return { departmentId: req.t('reports.staff.unknownDepartment') };
      const values = { names: namesFrom(v), ...settingsOf(v), active: v.active === 'yes' };
      await deps.db.transaction().execute(async (trx) => {
        await updateCategory(trx, c.id, values);
        await audit(trx, audited(req, 'reports.category.edit', c.id, values));
      });
      return redirectWithFlash(reply, `${base(req)}/${c.slug}`, { kind: 'success', message: req.t('reports.staff.saved') });
    },
  });

  formRoute(app, deps, {
    url: '/:locale/:municipality/reports/staff/categories/:slug/questions',
    schema: QuestionSchema,
    title: (req) => req.t('reports.staff.addQuestion'),
    guard: guardAndLoad,
    initial: () => ({ kind: 'text' }),
    view: (req, { errors, values }) => {
      const t = req.t;
      const slug = (req.params as { slug: string }).slug;
      return (
        <>
          <h1>{t('reports.staff.addQuestion')}</h1>
          <StaffNav req={req} />
          <ErrorSummary errors={errors} />
          <Form action={`${base(req)}/${slug}/questions`} once>
            <Field name="key" label={t('field.key')} hint={t('reports.staff.keyHint')} required errors={errors} values={values} />
            <Select name="kind" label={t('field.kind')} errors={errors} value={String(values.kind ?? 'text')} options={KINDS.map((k) => ({ value: k, label: t(`reports.staff.kind.${k}`) }))} />
            <Checkboxes name="required" legend={t('reports.staff.requiredQ')} options={[{ value: 'yes', label: t('reports.staff.requiredHint') }]} checked={values.required === 'yes' ? ['yes'] : []} />
            <NameFields errors={errors} values={{ ...values, slug: 'q' }} fixedSlug />
            <Field name="options" label={t('field.options')} hint={t('reports.staff.optionsHint')} multiline rows={5} maxLength={2000} errors={errors} values={values} />
            <Button>{t('reports.staff.addQuestion')}</Button>
          </Form>
        </>
      );
    },
    async handle(v, req, reply): Promise<FastifyReply | FormErrors> {
      const m = req.municipality!;
      const slug = (req.params as { slug: string }).slug;
      const lines = (v.options ?? '').split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
      const choice = v.kind === 'single' || v.kind === 'multiple';
      if (choice && lines.length < 2) return { options: req.t('reports.staff.optionsNeeded') };
      // An option's text is shown in every language as typed; its value is its position, so edits keep answers apart.
      const question: ReportQuestion = {
        key: v.key, kind: v.kind, required: v.required === 'yes', labels: namesFrom(v),
        ...(choice ? { options: lines.map((l, i) => ({ value: String(i + 1), labels: { [m.default_locale]: l, en: l } })) } : {}),
      };
      // Read after the claim, so a resend is answered "saved", not "key taken".
      const r = await createOnce(deps.db, onceKey(req), 'reports.question', async (trx) => {
        const c = (await findCategory(trx, m.id, slug))!;
        if (c.questions.some((q) => q.key === v.key)) return 'key_taken' as const;
        await setQuestions(trx, c.id, [...c.questions, question]);
        await audit(trx, audited(req, 'reports.question.add', c.id, question));
        return 'added' as const;
      }, (outcome) => outcome === 'added');
      if (r === 'key_taken') return { key: req.t('reports.staff.keyTaken') };
      return redirectWithFlash(reply, `${base(req)}/${slug}`, { kind: 'success', message: req.t('reports.staff.saved') });
    },
  });

  app.post('/:locale/:municipality/reports/staff/categories/:slug/questions/delete', { schema: { hide: true } }, async (req, reply) => {
    await guardAndLoad(req, reply);
    if (reply.sent) return reply;
    const c = (await findCategory(deps.db, req.municipality!.id, (req.params as { slug: string }).slug))!;
    const key = String((req.body as { key?: string } | undefined)?.key ?? '');
    if (!c.questions.some((q) => q.key === key)) return redirectWithFlash(reply, `${base(req)}/${c.slug}`, { kind: 'error', message: req.t('reports.staff.noSuchQuestion') });
    await deps.db.transaction().execute(async (trx) => {
      await setQuestions(trx, c.id, c.questions.filter((q) => q.key !== key));
      await audit(trx, audited(req, 'reports.question.delete', c.id, { key }));
    });
    return redirectWithFlash(reply, `${base(req)}/${c.slug}`, { kind: 'success', message: req.t('reports.staff.saved') });
  });
}
