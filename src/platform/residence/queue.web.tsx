import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { contentDisposition } from '../files/files.web.ts';
import { downloadName, readUpload } from '../files/uploads.ts';
import type { App, Deps } from '../http/deps.ts';
import { notFound } from '../http/errors.tsx';
import { redirectWithFlash } from '../http/flash.ts';
import { parseBody } from '../http/forms.ts';
import { render } from '../http/render.tsx';
import { AdminNav, requirePermission } from '../tenancy/admin.web.tsx';
import { Button, EmptyState, ErrorSummary, Field, Form, SummaryList, Table, Tag, type FormErrors, type FormValues } from '../views/components.tsx';
import { Content, ContentBlock } from '../views/content.tsx';
import { Id } from '../http/input.ts';
import { listPendingRequests } from './residence.repo.ts';
import { districtChoices, districtName, DistrictSelect, foreignDistrict } from './residence.districts.tsx';
import { decideRequest, requestOf, type Decision } from './request.service.ts';

const routeId = (req: FastifyRequest): number => (req.params as { id: number }).id;
const RefuseSchema = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 2000 }) });
const ApproveSchema = Type.Object({ districtId: Type.Optional(Id()) });

/** The registrars' queue of residence requests: the list by deadline, one request with its scan, and the decision. */
export function registerQueuePages(app: App, deps: Deps): void {
  const base = (req: FastifyRequest) => `/${req.locale}/${req.municipality!.slug}/residence/requests`;
  const guard = (req: FastifyRequest, reply: FastifyReply) => requirePermission(deps, req, reply, 'residence.decide', { municipalityId: req.municipality!.id });

  app.get('/:locale/:municipality/residence/requests', { schema: { hide: true } }, async (req, reply) => {
    const stop = guard(req, reply);
    if (stop) return stop;
    const t = req.t;
    const list = await listPendingRequests(deps.db, req.municipality!.id);
    const now = Date.now();
    return render(deps, req, reply, {
      title: t('residence.queue.title'),
      body: (
        <>
          <h1>{t('residence.queue.title')}</h1>
          <AdminNav req={req} />
          {list.length === 0 ? <EmptyState title={t('residence.queue.empty')} /> : (
            <Table caption={t('residence.queue.title')} captionHidden head={[t('field.fullName'), t('residence.field.address'), t('residence.request.sent'), t('residence.queue.due')]}
              rows={list.map((r) => [
                <a href={`${base(req)}/${r.id}`}>{r.full_name}</a>, <Content text={r.address} />, req.fmt.dateTime(r.created_at),
                <>{req.fmt.dateTime(r.due_at)}{new Date(r.due_at).getTime() < now && <> <Tag tone="danger">{t('residence.queue.overdue')}</Tag></>}</>,
              ])} />
          )}
        </>
      ),
    });
  });

  const showOne = async (req: FastifyRequest, reply: FastifyReply, errors: FormErrors = {}, values: FormValues = {}, status = 200) => {
    const t = req.t;
    const r = await requestOf(deps, req.municipality!, routeId(req));
    if (!r) return notFound(deps, req, reply);
    const path = `${base(req)}/${r.id}`;
    const overdue = new Date(r.due_at).getTime() < Date.now();
    const [district, districts] = await Promise.all([districtName(deps.db, req, r.district_id), districtChoices(deps.db, req)]);
    return render(deps, req, reply, {
      title: t('residence.queue.one', { name: r.full_name }), status,
      body: (
        <>
          <h1>{t('residence.queue.one', { name: r.full_name })}</h1>
          <AdminNav req={req} />
          <ErrorSummary errors={errors} />
          <SummaryList items={[
            [t('field.fullName'), r.full_name], [t('field.email'), r.email ?? '—'], [t('residence.field.address'), <Content text={r.address} />],
            ...(districts.length || district ? [[t('residence.field.district'), district ?? '—'] as [string, string]] : []),
            [t('residence.request.sent'), req.fmt.dateTime(r.created_at)],
            [t('residence.queue.due'), <>{req.fmt.dateTime(r.due_at)}{overdue && r.status === 'pending' && <> <Tag tone="danger">{t('residence.queue.overdue')}</Tag></>}</>],
            [t('residence.queue.state'), t(`residence.state.${r.status}`)],
            [t('residence.field.scan'), r.document_file_id ? <a href={`${path}/scan`}>{t('residence.queue.openScan')}</a> : t('residence.request.noScan')],
            ...(r.reason ? [[t('residence.field.reason'), <ContentBlock text={r.reason} />] as [string, preact.ComponentChildren]] : []),
          ]} />
          {r.status === 'pending' && (
            <>
              <h2>{t('residence.queue.decide')}</h2>
              <Form action={`${path}/approve`} aria-label={t('residence.queue.approve')}>
                <DistrictSelect req={req} choices={districts} none={t('residence.district.none')} hint={t('residence.district.approveHint')}
                  value={'districtId' in values ? values.districtId : r.district_id} errors={errors} />
                <Button>{t('residence.queue.approve')}</Button>
              </Form>
              <Form action={`${path}/refuse`} aria-label={t('residence.queue.refuse')}>
                <Field name="reason" label={t('residence.field.reason')} hint={t('residence.queue.reasonHint')} multiline rows={3} required maxLength={2000} errors={errors} values={values} />
                <Button variant="danger">{t('residence.queue.refuse')}</Button>
              </Form>
            </>
          )}
        </>
      ),
    });
  };

  app.get('/:locale/:municipality/residence/requests/:id', { schema: { hide: true } }, async (req, reply) => guard(req, reply) ?? showOne(req, reply));

  // Not /files/:id, which serves any id to anyone: a scan of a document is for this municipality's registrars only.
  app.get('/:locale/:municipality/residence/requests/:id/scan', { schema: { hide: true } }, async (req, reply) => {
    const stop = guard(req, reply);
    if (stop) return stop;
    const r = await requestOf(deps, req.municipality!, routeId(req));
    const found = r?.document_file_id ? await readUpload(deps, r.document_file_id) : null;
    if (!found) return notFound(deps, req, reply);
    return reply.type(found.row.mime).header('cache-control', 'private, no-store').header('x-content-type-options', 'nosniff')
      .header('content-disposition', contentDisposition(downloadName(found.row.original_name, found.row.mime))).send(found.body);
  });

  const decide = async (req: FastifyRequest, reply: FastifyReply, d: Decision) => {
    const r = await decideRequest(deps, { id: req.user!.id, ip: req.ip }, req.municipality!, routeId(req), d);
    if (r === 'foreign_district') return showOne(req, reply, foreignDistrict(req), req.body as FormValues, 400);
    return redirectWithFlash(reply, base(req), r === 'decided'
      ? { kind: 'success', message: req.t(d.kind === 'approve' ? 'residence.queue.approved' : 'residence.queue.refused') }
      : { kind: 'info', message: req.t('residence.queue.notPending') });
  };

  app.post('/:locale/:municipality/residence/requests/:id/approve', { config: { form: ApproveSchema }, schema: { hide: true } }, async (req, reply) => {
    const stop = guard(req, reply);
    if (stop) return stop;
    const parsed = parseBody(ApproveSchema, req.body, req.t);
    if (!parsed.ok) return showOne(req, reply, parsed.errors, parsed.values, 400);
    // The form's select sends the district (empty for none); a post without the field keeps the one the resident named.
    const sent = Object.hasOwn((req.body ?? {}) as object, 'districtId');
    return decide(req, reply, { kind: 'approve', ...(sent ? { districtId: parsed.value.districtId ?? null } : {}) });
  });

  app.post('/:locale/:municipality/residence/requests/:id/refuse', { config: { form: RefuseSchema }, schema: { hide: true } }, async (req, reply) => {
    const stop = guard(req, reply);
    if (stop) return stop;
    const parsed = parseBody(RefuseSchema, req.body, req.t);
    if (!parsed.ok) return showOne(req, reply, parsed.errors, parsed.values, 400);
    return decide(req, reply, { kind: 'refuse', reason: parsed.value.reason });
  });
}
