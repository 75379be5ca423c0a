import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { readMultipartForm } from '../files/files.web.ts';
import { uploadMessage } from '../files/uploads.ts';
import type { App, Deps } from '../http/deps.ts';
import { redirectWithFlash } from '../http/flash.ts';
import { parseBody } from '../http/forms.ts';
import { Id, Query, SingleLine, Text } from '../http/input.ts';
import { render } from '../http/render.tsx';
import { redirectToSignIn, safeNext } from '../http/request-context.ts';
import { localized } from '../i18n/i18n.ts';
import { onceKey } from '../idempotency/once.ts';
import { Banner, Button, ButtonLink, ErrorSummary, Field, FileField, Form, SummaryList, type FormErrors, type FormValues } from '../views/components.tsx';
import { Content, ContentBlock } from '../views/content.tsx';
import { registerResidentWay } from '../views/level.tsx';
import { latestRequestOf, isConfirmedResident, residenceDistrict } from './residence.repo.ts';
import { districtChoices, districtName, DistrictSelect, foreignDistrict } from './residence.districts.tsx';
import { sendRequest, withdrawRequest } from './request.service.ts';
import { offersWay, REQUEST_WORKING_DAYS } from './residence.ways.ts';
import { offeredGuard } from './residence.refusal.tsx';

const RequestSchema = Type.Object({ address: SingleLine(300), districtId: Type.Optional(Id()), next: Type.Optional(Text(2000)) });
const WithdrawSchema = Type.Object({ id: Id() });

registerResidentWay({
  id: 'request',
  render: ({ t, municipalityName }, req) => (
    <>{t('residence.way.request', { municipality: municipalityName, days: REQUEST_WORKING_DAYS })}{' '}
      <a href={`/${req.locale}/${req.municipality!.slug}/residence/request?next=${encodeURIComponent(req.url)}`}>{t('residence.way.requestLink')}</a></>
  ),
});

/** A resident's request to be confirmed: the form, its state once sent, and taking it back. */
export function registerRequestPages(app: App, deps: Deps): void {
  const offered = offeredGuard(deps, 'request');
  const pathOf = (req: FastifyRequest) => `/${req.locale}/${req.municipality!.slug}/residence/request`;
  const nextOf = (req: FastifyRequest, raw: unknown) => safeNext(raw, `/${req.locale}/${req.municipality!.slug}/`);

  const show = async (req: FastifyRequest, reply: FastifyReply, errors: FormErrors, values: FormValues, status = 200) => {
    const t = req.t;
    const m = req.municipality!;
    const last = await latestRequestOf(deps.db, m.id, req.user!.id);
    // Back to what they were doing: the page they came from, or the one their last request came from.
    const next = nextOf(req, values.next ?? last?.next_path);
    const back = <p><ButtonLink variant="secondary" href={next}>{t('residence.request.back')}</ButtonLink></p>;
    const page = (body: preact.ComponentChildren) => render(deps, req, reply, { title: t('residence.request.title'), status, body: <><h1>{t('residence.request.title')}</h1>{body}</> });
    if (await isConfirmedResident(deps.db, m.id, req.user!.id)) {
      const district = await districtName(deps.db, req, await residenceDistrict(deps.db, m.id, req.user!.id));
      return page(
        <>
          <Banner kind="success">
            {t('residence.request.confirmed', { municipality: localized(m.names, req.locale) })}
            {district && <> {t('residence.request.inDistrict', { district })}</>}
          </Banner>
          {back}
        </>,
      );
    }
    if (last?.status === 'pending') {
      const district = await districtName(deps.db, req, last.district_id);
      return page(
        <>
          <p>{t('residence.request.pending', { due: req.fmt.dateTime(last.due_at) })}</p>
          <SummaryList items={[[t('residence.field.address'), <Content text={last.address} />],
            ...(district ? [[t('residence.field.district'), district] as [string, string]] : []),
            [t('residence.request.sent'), req.fmt.dateTime(last.created_at)],
            [t('residence.field.scan'), last.document_file_id ? t('residence.request.scanAttached') : t('residence.request.noScan')]]} />
          {back}
          <Form action={`${pathOf(req)}/withdraw`} aria-label={t('residence.request.withdraw')}>
            <input type="hidden" name="id" value={String(last.id)} />
            <Button variant="secondary">{t('residence.request.withdraw')}</Button>
          </Form>
        </>,
      );
    }
    const districts = await districtChoices(deps.db, req);
    return page(
      <>
        {last?.status === 'refused' && <Banner kind="warning" title={t('residence.request.refused')}><ContentBlock text={last.reason} /></Banner>}
        <ErrorSummary errors={errors} />
        <p>{t('residence.request.lead', { municipality: localized(m.names, req.locale), days: REQUEST_WORKING_DAYS })}</p>
        <Form action={pathOf(req)} multipart once>
          <input type="hidden" name="next" value={next} />
          <Field name="address" label={t('residence.field.address')} hint={t('residence.request.addressHint')} required maxLength={300} errors={errors} values={values} />
          <DistrictSelect req={req} choices={districts} none={t('residence.district.unknown')}
            hint={t('residence.district.requestHint', { municipality: localized(m.names, req.locale) })} value={values.districtId} errors={errors} />
          <FileField name="scan" label={t('residence.field.scan')} hint={t('residence.request.scanHint')} errors={errors} accept="image/png,image/jpeg,image/webp,application/pdf" />
          <Button>{t('residence.request.submit')}</Button>
        </Form>
      </>,
    );
  };

  app.get(`/:locale/:municipality/residence/request`, { schema: { hide: true, querystring: Query({ next: Text(2000) }) } }, async (req, reply) => {
    if (!req.user) return redirectToSignIn(req, reply);
    return (await offered(req, reply)) ?? show(req, reply, {}, { next: (req.query as { next?: string }).next });
  });

  app.post(`/:locale/:municipality/residence/request`, { config: { csrf: false }, schema: { hide: true } }, async (req, reply) => {
    const { upload, fields } = await readMultipartForm(app, req, reply);
    if (reply.sent) return reply;
    if (!req.user) return redirectToSignIn(req, reply);
    const stop = await offered(req, reply);
    if (stop) return stop;
    const parsed = parseBody(RequestSchema, fields, req.t);
    const scanLabel = req.t('residence.field.scan');
    const scanError: FormErrors = upload?.kind === 'too_large' ? { scan: uploadMessage(req.t, deps, scanLabel, 'image-or-document', upload) } : {};
    if (!parsed.ok || upload?.kind === 'too_large') {
      return show(req, reply, { ...(parsed.ok ? {} : parsed.errors), ...scanError }, parsed.ok ? fields : parsed.values, 400);
    }
    const next = nextOf(req, parsed.value.next);
    const r = await sendRequest(deps, req.user, req.municipality!, { address: parsed.value.address, districtId: parsed.value.districtId, next,
      scan: upload?.kind === 'file' ? { filename: upload.filename, data: upload.data } : null }, onceKey(req, { fields }));
    const t = req.t;
    const again = (errors: FormErrors) => show(req, reply, errors, fields, 400);
    switch (r.kind) {
      case 'sent': return redirectWithFlash(reply, `${pathOf(req)}?next=${encodeURIComponent(next)}`, { kind: 'success', message: t('residence.request.done') });
      case 'email': return again({ _form: t('residence.request.needsEmail') });
      case 'already': case 'pending_exists': return show(req, reply, {}, fields, 409);
      case 'foreign_district': return again(foreignDistrict(req));
      case 'not_offered': return offered(req, reply);
      default: return again({ scan: uploadMessage(t, deps, scanLabel, 'image-or-document', r) });
    }
  });

  app.post(`/:locale/:municipality/residence/request/withdraw`, { schema: { hide: true } }, async (req, reply) => {
    if (!req.user) return redirectToSignIn(req, reply);
    const parsed = parseBody(WithdrawSchema, req.body, req.t);
    const m = req.municipality!;
    // Withdrawing is always possible, even where the municipality stopped offering requests since.
    const r = parsed.ok ? await withdrawRequest(deps, req.user, m, parsed.value.id) : 'not_pending';
    if (r === 'not_pending' && !offersWay(m, 'request')) return offered(req, reply);
    return redirectWithFlash(reply, pathOf(req), r === 'withdrawn'
      ? { kind: 'success', message: req.t('residence.request.withdrawn') }
      : { kind: 'info', message: req.t('residence.request.notPending') });
  });
}
