import { Type } from 'typebox';
import { audit } from '../../../platform/audit/audit.ts';
import type { App, Deps } from '../../../platform/http/deps.ts';
import { redirectWithFlash } from '../../../platform/http/flash.ts';
import { formRoute } from '../../../platform/http/form-route.tsx';
import { municipalGuard } from '../../../platform/tenancy/admin.web.tsx';
import { Button, ErrorSummary, Field, Form, Table } from '../../../platform/views/components.tsx';
import { deleteTemplate, insertTemplate, listTemplates } from '../report.repo.ts';
import { staffBase, StaffNav } from './nav.tsx';
import { createOnce, onceKey } from '../../../platform/idempotency/once.ts';

const TemplateSchema = Type.Object({ title: Type.String({ minLength: 2, maxLength: 120 }), body: Type.String({ minLength: 2, maxLength: 2000 }) });

/** Ready answers for public messages: officials keep them here and start a message from one on a report's page. */
export function registerTemplatePages(app: App, deps: Deps): void {
  const guard = municipalGuard(deps, 'reports.handle');
  formRoute(app, deps, {
    url: '/:locale/:municipality/reports/staff/templates',
    schema: TemplateSchema,
    title: (req) => req.t('reports.templates.title'),
    guard,
    view: async (req, { errors, values }) => {
      const t = req.t;
      const list = await listTemplates(deps.db, req.municipality!.id);
      return (
        <>
          <h1>{t('reports.templates.title')}</h1>
          <StaffNav req={req} />
          <p class="lead">{t('reports.templates.lead')}</p>
          {list.length > 0 && (
            <Table caption={t('reports.templates.title')} captionHidden head={[t('field.title'), t('reports.templates.text'), '']}
              rows={list.map((x) => [x.title, x.body, <Form action={`${staffBase(req)}/templates/${x.id}/delete`}><Button variant="danger">{t('reports.staff.deleteQuestion')}</Button></Form>])} />
          )}
          <h2>{t('reports.templates.add')}</h2>
          <ErrorSummary errors={errors} />
          <Form action={`${staffBase(req)}/templates`} once>
            <Field name="title" label={t('field.title')} required maxLength={120} errors={errors} values={values} />
            <Field name="body" label={t('reports.templates.text')} multiline rows={4} required maxLength={2000} errors={errors} values={values} />
            <Button>{t('reports.templates.add')}</Button>
          </Form>
        </>
      );
    },
    async handle(v, req, reply) {
      const m = req.municipality!;
      await createOnce(deps.db, onceKey(req), 'reports.template', async (trx) => {
        const row = await insertTemplate(trx, m.id, v, req.user!.id);
        await audit(trx, { municipalityId: m.id, actorId: req.user!.id, action: 'reports.template.add', subjectType: 'report_template', subjectId: row.id, after: v, ip: req.ip });
      });
      return redirectWithFlash(reply, `${staffBase(req)}/templates`, { kind: 'success', message: req.t('reports.staff.saved') });
    },
  });

  app.post('/:locale/:municipality/reports/staff/templates/:id/delete', { schema: { hide: true } }, async (req, reply) => {
    await guard(req, reply);
    if (reply.sent) return reply;
    const m = req.municipality!;
    const id = Number((req.params as { id: string }).id) || 0;
    const done = await deps.db.transaction().execute(async (trx) => {
      const deleted = await deleteTemplate(trx, m.id, id);
      if (deleted) await audit(trx, { municipalityId: m.id, actorId: req.user!.id, action: 'reports.template.delete', subjectType: 'report_template', subjectId: id, ip: req.ip });
      return deleted;
    });
    return redirectWithFlash(reply, `${staffBase(req)}/templates`, done ? { kind: 'success', message: req.t('reports.staff.saved') } : { kind: 'error', message: req.t('reports.templates.none') });
  });
}
