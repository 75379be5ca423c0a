import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { MunicipalRole } from '../../db/schema.ts';
import type { App, Deps } from '../http/deps.ts';
import { redirectWithFlash } from '../http/flash.ts';
import { parseBody } from '../http/forms.ts';
import { render } from '../http/render.tsx';
import { localized } from '../i18n/i18n.ts';
import { Button, ErrorSummary, Field, Form, NameFields, Select, Table, type FormErrors, type FormValues } from '../views/components.tsx';
import { AdminNav, requirePermission } from './admin.web.tsx';
import { addDepartment, addStaff, removeStaff, verifyResidentByEmail } from './admin.service.ts';
import { listDepartments } from './municipality.repo.ts';
import { DepartmentSchema, StaffSchema } from './municipality.schemas.ts';
import { listResidentVerifications, listStaff } from './staff.repo.ts';
import { countCensus } from '../residence/census.repo.ts';
import { countAudit, listAudit } from '../audit/audit.ts';
import { AuditTable } from '../audit/audit.view.tsx';
import { describeAudit } from '../audit/audit.subjects.ts';
import { Pagination } from '../views/components.tsx';
import { Query, Page } from '../http/input.ts';
import { onceKey } from '../idempotency/once.ts';
import { can } from './policy.ts';

const RemoveSchema = Type.Object({ userId: Type.Integer({ minimum: 1 }), role: Type.Enum(['moderator', 'official', 'registrar', 'admin']) });
const ResidentSchema = Type.Object({ email: Type.String({ format: 'email', maxLength: 254 }) });

type Page = (req: FastifyRequest, errors: FormErrors, values: FormValues) => Promise<preact.ComponentChildren>;

/** Departments, staff roles and resident verification of a municipality. */
export function registerStaffPages(app: App, deps: Deps): void {
  const page = (path: string, action: string, titleKey: string, body: Page) => {
    const show = async (req: FastifyRequest, reply: FastifyReply, errors: FormErrors, values: FormValues, status = 200) =>
      render(deps, req, reply, {
        title: req.t(titleKey), status,
        body: <><h1>{req.t(titleKey)}</h1><AdminNav req={req} /><ErrorSummary errors={errors} />{await body(req, errors, values)}</>,
      });
    app.get(`/:locale/:municipality/admin/${path}`, { schema: { hide: true, querystring: Query({ page: Page }) } }, async (req, reply) =>
      requirePermission(deps, req, reply, action, { municipalityId: req.municipality!.id }) ?? show(req, reply, {}, {}));
    return show;
  };

  /** Registers a POST that validates, checks the permission, and either redirects or re-renders with errors. */
  function post<S extends import('typebox').TSchema>(path: string, action: string, schema: S, show: ReturnType<typeof page>,
    handle: (v: import('typebox').Static<S>, req: FastifyRequest) => Promise<string | FormErrors>) {
    app.post(`/:locale/:municipality/admin/${path}`, { schema: { hide: true } }, async (req, reply) => {
      const stop = requirePermission(deps, req, reply, action, { municipalityId: req.municipality!.id });
      if (stop) return stop;
      const parsed = parseBody(schema, req.body, req.t);
      if (!parsed.ok) return show(req, reply, parsed.errors, parsed.values, 400);
      const result = await handle(parsed.value, req);
      if (typeof result !== 'string') return show(req, reply, result, parsed.value as FormValues, 400);
      const base = req.url.split('?')[0]!.replace(/\/remove$/, '');
      return redirectWithFlash(reply, base, { kind: 'success', message: result });
    });
  }

  const actor = (req: FastifyRequest) => ({ id: req.user!.id, ip: req.ip });

  const departments = page('departments', 'department.manage', 'admin.departments', async (req, errors, values) => {
    const list = await listDepartments(deps.db, req.municipality!.id);
    const t = req.t;
    const f = { errors, values };
    return (
      <>
        <Table caption={t('admin.departments')} captionHidden head={[t('field.nameEn'), t('field.slug'), t('field.email')]}
          rows={list.map((d) => [localized(d.names, req.locale), d.slug, d.email ?? '—'])} />
        <h2>{t('admin.addDepartment')}</h2>
        <Form action={req.url.split('?')[0]!} once>
          <NameFields {...f} />
          <Field name="email" type="email" label={t('field.email')} {...f} />
          <Button>{t('admin.addDepartment')}</Button>
        </Form>
      </>
    );
  });
  post('departments', 'department.manage', DepartmentSchema, departments, async (v, req): Promise<string | FormErrors> => {
    const r = await addDepartment(deps, actor(req), req.municipality!, v, onceKey(req));
    return r === 'slug_taken' ? { slug: req.t('admin.departmentSlugTaken') } : req.t('admin.departmentAdded');
  });

  const staff = page('staff', 'staff.manage', 'admin.staff', async (req, errors, values) => {
    const m = req.municipality!;
    const [people, depts] = await Promise.all([listStaff(deps.db, m.id), listDepartments(deps.db, m.id)]);
    const t = req.t;
    const deptName = (id: number) => localized(depts.find((d) => d.id === id)?.names, req.locale);
    return (
      <>
        <Table caption={t('admin.staff')} captionHidden head={[t('field.fullName'), t('field.email'), t('field.role'), t('admin.departments'), '']}
          rows={people.map((p) => [p.full_name, p.email ?? '—', t(`role.${p.role}`), p.departmentIds.map(deptName).join(', ') || '—',
            <Form action={`${req.url.split('?')[0]}/remove`} aria-label={t('admin.removeRole', { name: p.full_name })}>
              <input type="hidden" name="userId" value={String(p.id)} />
              <input type="hidden" name="role" value={p.role} />
              <Button variant="secondary">{t('admin.remove')}<span class="visually-hidden"> {p.full_name}, {t(`role.${p.role}`)}</span></Button>
            </Form>])} />
        <h2>{t('admin.addStaff')}</h2>
        <p>{t('admin.addStaffHint')}</p>
        <Form action={req.url.split('?')[0]!}>
          <Field name="email" type="email" label={t('field.email')} required errors={errors} values={values} />
          <Select name="role" label={t('field.role')} value={String(values.role ?? 'official')} errors={errors}
            options={(['official', 'moderator', 'registrar', 'admin'] as MunicipalRole[]).map((r) => ({ value: r, label: t(`role.${r}`) }))} />
          <Select name="departmentId" label={t('field.departmentId')} value={String(values.departmentId ?? '')} errors={errors}
            options={[{ value: '', label: t('admin.noDepartment') }, ...depts.map((d) => ({ value: String(d.id), label: localized(d.names, req.locale) }))]} />
          <Button>{t('admin.addStaff')}</Button>
        </Form>
      </>
    );
  });
  post('staff', 'staff.manage', StaffSchema, staff, async (v, req): Promise<string | FormErrors> => {
    const r = await addStaff(deps, actor(req), req.municipality!, v);
    if (r === 'no_user') return { email: req.t('admin.noSuchUser') };
    if (r === 'bad_department') return { departmentId: req.t('admin.badDepartment') };
    if (r === 'exists') return { email: req.t('admin.alreadyStaff') };
    return req.t('admin.staffAdded');
  });
  post('staff/remove', 'staff.manage', RemoveSchema, staff, async (v, req): Promise<string | FormErrors> => {
    const r = await removeStaff(deps, actor(req), req.municipality!, v.userId, v.role as MunicipalRole);
    if (r === 'last_admin') return { _form: req.t('admin.lastAdmin') };
    if (r === 'not_found') return { _form: req.t('admin.noSuchUser') };
    return req.t('admin.staffRemoved');
  });

  const residents = page('residents', 'residents.verify', 'admin.residents', async (req, errors, values) => {
    const m = req.municipality!;
    const [list, census] = await Promise.all([listResidentVerifications(deps.db, m.id), countCensus(deps.db, m.id)]);
    const t = req.t;
    return (
      <>
        <p>{t('admin.residentsLead')}</p>
        {can(req.user, 'residence.confirm', { municipalityId: m.id }) && (
          <p>{t('admin.residentsRegistrar')} <a href={`/${req.locale}/${m.slug}/residence/confirm`}>{t('residence.confirm.title')}</a> · <a href={`/${req.locale}/${m.slug}/residence/requests`}>{t('residence.queue.title')}</a></p>
        )}
        <h2>{t('admin.verifyResident')}</h2>
        <Form action={req.url.split('?')[0]!}>
          <Field name="email" type="email" label={t('field.email')} required errors={errors} values={values} />
          <Button>{t('admin.verifyResident')}</Button>
        </Form>
        <h2>{t('admin.census')}</h2>
        <p>{t('residence.census.counts', census)} <a href={`${req.url.split('?')[0]}/census`}>{t('residence.census.manage')}</a></p>
        <Table caption={t('admin.verifiedResidents')} head={[t('field.fullName'), t('field.email'), t('admin.method'), t('admin.when')]}
          rows={list.map((r) => [r.full_name, r.email ?? '—', t(`admin.method.${r.method}`), req.fmt.dateTime(r.created_at)])} />
      </>
    );
  });
  post('residents', 'residents.verify', ResidentSchema, residents, async (v, req): Promise<string | FormErrors> => {
    const r = await verifyResidentByEmail(deps, actor(req), req.municipality!, v.email);
    return r === 'no_user' ? { email: req.t('admin.noSuchUser') } : req.t('admin.residentVerified');
  });
  page('audit', 'audit.view', 'admin.audit', async (req) => {
    const m = req.municipality!;
    const pageNo = Math.max(1, Number((req.query as { page?: string }).page) || 1);
    const [listed, total] = await Promise.all([listAudit(deps.db, m.id, 50, (pageNo - 1) * 50), countAudit(deps.db, m.id)]);
    const rows = await describeAudit(deps.db, listed);
    return (
      <>
        <AuditTable rows={rows} caption={req.t('admin.audit')} />
        <Pagination page={pageNo} pages={Math.ceil(total / 50)} hrefFor={(n) => `?page=${n}`} />
      </>
    );
  });
}
