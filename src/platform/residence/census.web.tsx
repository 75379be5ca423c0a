import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { readMultipartFile } from '../files/files.web.ts';
import type { App, Deps } from '../http/deps.ts';
import { redirectWithFlash } from '../http/flash.ts';
import { parseBody } from '../http/forms.ts';
import { Query, SingleLine } from '../http/input.ts';
import { render } from '../http/render.tsx';
import { safeNext } from '../http/request-context.ts';
import { localized } from '../i18n/i18n.ts';
import { AdminNav, requirePermission } from '../tenancy/admin.web.tsx';
import { Banner, Button, ErrorSummary, Field, FileField, Form, Table, type FormErrors, type FormValues } from '../views/components.tsx';
import { countCensus } from './census.repo.ts';
import { CENSUS_COLUMNS, CENSUS_REPORT_MAX, claimByCensus, importCensusCsv, importCensusList, type ImportReport } from './census.service.ts';
import { guardWay, registerWayPage } from './way-guard.tsx';

const ACTION = 'residents.verify';
const ListSchema = Type.Object({ census: Type.String({ minLength: 3, maxLength: 2_000_000 }) });
const ClaimSchema = Type.Object({ document: Type.String({ minLength: 3, maxLength: 64, pattern: '^[^\\u0000-\\u001f\\u007f]*$' }), address: Type.String({ minLength: 5, maxLength: 300 }) });
const NextQuery = Query({ next: SingleLine(500) });

registerWayPage('census');

/** The census list: the admin's import (a CSV file or typed addresses, with a report of bad rows) and the resident's census way. */
export function registerCensusPages(app: App, deps: Deps): void {
  const adminPath = '/:locale/:municipality/admin/residents/census';
  const adminBase = (req: FastifyRequest) => `/${req.locale}/${req.municipality!.slug}/admin/residents/census`;

  async function showImport(req: FastifyRequest, reply: FastifyReply, o: { errors?: FormErrors; values?: FormValues; report?: ImportReport; status?: number } = {}) {
    const t = req.t;
    const counts = await countCensus(deps.db, req.municipality!.id);
    const title = t('residence.census.title');
    const r = o.report;
    return render(deps, req, reply, {
      title, status: o.status ?? 200,
      body: (
        <>
          <h1>{title}</h1>
          <AdminNav req={req} />
          <ErrorSummary errors={o.errors} />
          {r && (
            <Banner kind={r.badCount ? 'warning' : 'success'} title={t('residence.census.reportTitle')} focus>
              {t('residence.census.report', { rows: r.rows, entries: r.entries, verified: r.verified, bad: r.badCount })}
            </Banner>
          )}
          {r && r.badCount > 0 && (
            <>
              <Table caption={t('residence.census.badRows')} head={[t('residence.census.row'), t('residence.census.problem')]}
                rows={r.bad.map((b) => [req.fmt.number(b.row), t(`residence.census.problem.${b.problem}`)])} numeric={[0]} />
              {r.badCount > r.bad.length && <p>{t('residence.census.moreBad', { shown: CENSUS_REPORT_MAX, count: r.badCount })}</p>}
            </>
          )}
          <p class="lead">{t('residence.census.counts', { email: counts.email, document: counts.document })}</p>
          <h2>{t('residence.census.fileTitle')}</h2>
          <p>{t('residence.census.fileLead', { email: CENSUS_COLUMNS.email[0], document: CENSUS_COLUMNS.document[0], address: CENSUS_COLUMNS.address[0] })}</p>
          <Form action={`${adminBase(req)}/file`} multipart aria-label={t('residence.census.fileTitle')}>
            <FileField name="file" label={t('residence.census.file')} hint={t('residence.census.fileHint')} accept=".csv,text/csv,text/plain" errors={o.errors} />
            <Button>{t('residence.census.import')}</Button>
          </Form>
          <h2>{t('residence.census.listTitle')}</h2>
          <Form action={adminBase(req)} aria-label={t('residence.census.listTitle')}>
            <Field name="census" label={t('field.census')} hint={t('admin.censusHint')} multiline rows={6} errors={o.errors} values={o.values} />
            <Button variant="secondary">{t('admin.censusImport')}</Button>
          </Form>
        </>
      ),
    });
  }

  const guard = (req: FastifyRequest, reply: FastifyReply) => requirePermission(deps, req, reply, ACTION, { municipalityId: req.municipality!.id });
  const actor = (req: FastifyRequest) => ({ id: req.user!.id, ip: req.ip });

  app.get(adminPath, { schema: { hide: true } }, async (req, reply) => guard(req, reply) ?? showImport(req, reply));

  // The result is shown at once (a report is too long for a flash message); importing again changes nothing, so a reload is harmless.
  app.post(adminPath, { schema: { hide: true }, config: { form: ListSchema } }, async (req, reply) => {
    const stop = guard(req, reply);
    if (stop) return stop;
    const parsed = parseBody(ListSchema, req.body, req.t);
    if (!parsed.ok) return showImport(req, reply, { errors: parsed.errors, values: parsed.values, status: 400 });
    return showImport(req, reply, { report: await importCensusList(deps, actor(req), req.municipality!, parsed.value.census) });
  });

  app.post(`${adminPath}/file`, { schema: { hide: true }, config: { csrf: false } }, async (req, reply) => {
    const upload = await readMultipartFile(app, req, reply);
    const stop = guard(req, reply);
    if (stop) return stop;
    const bad = (key: string, params = {}) => showImport(req, reply, { errors: { file: req.t(key, params) }, status: 400 });
    if (!upload) return bad('residence.census.fileMissing');
    if (upload.kind === 'too_large') return bad('residence.census.fileTooLarge', { mb: Math.floor(deps.config.uploadMaxBytes / 1_048_576) });
    const r = await importCensusCsv(deps, actor(req), req.municipality!, upload.data);
    if (r.kind === 'no_columns') return bad('residence.census.noColumns', { email: CENSUS_COLUMNS.email[0], document: CENSUS_COLUMNS.document[0] });
    if (r.kind === 'not_csv') return bad('residence.census.notCsv', { row: r.row });
    return showImport(req, reply, { report: r.report });
  });

  const path = '/:locale/:municipality/residence/census';
  const done = (req: FastifyRequest) => safeNext((req.query as { next?: string }).next, `/${req.locale}/${req.municipality!.slug}/`);

  async function showClaim(req: FastifyRequest, reply: FastifyReply, errors: FormErrors = {}, values: FormValues = {}, status = 200) {
    const t = req.t;
    const m = req.municipality!;
    const title = t('residence.census.claimTitle');
    const already = req.user!.residentOf.includes(m.id);
    return render(deps, req, reply, {
      title, status,
      body: (
        <>
          <h1>{title}</h1>
          <ErrorSummary errors={errors} />
          {already
            ? <Banner kind="success">{t('residence.letter.alreadyResident')} <a href={done(req)}>{t('residence.letter.continue')}</a></Banner>
            : <>
              <p class="lead">{t('residence.census.claimLead', { municipality: localized(m.names, req.locale) })}</p>
              <Form action={req.url} aria-label={title}>
                <Field name="document" label={t('residence.census.document')} hint={t('residence.census.documentHint')} autocomplete="off" maxLength={64} required errors={errors} values={values} />
                <Field name="address" label={t('residence.census.address')} hint={t('residence.census.addressHint')} multiline rows={3} autocomplete="street-address" maxLength={300} required errors={errors} values={values} />
                <Button>{t('residence.census.claim')}</Button>
              </Form>
            </>}
        </>
      ),
    });
  }

  const opts = { schema: { hide: true, querystring: NextQuery } };
  app.get(path, opts, async (req, reply) => (await guardWay(deps, req, reply, 'census')) ?? showClaim(req, reply));

  app.post(path, { ...opts, config: { form: ClaimSchema } }, async (req, reply) => {
    const stop = await guardWay(deps, req, reply, 'census');
    if (stop) return stop;
    const parsed = parseBody(ClaimSchema, req.body, req.t);
    if (!parsed.ok) return showClaim(req, reply, parsed.errors, { address: parsed.values.address }, 400);
    const m = req.municipality!;
    const r = await claimByCensus(deps, req.user!, m, parsed.value, req.ip);
    const again = { address: parsed.value.address };
    switch (r.kind) {
      case 'confirmed': return redirectWithFlash(reply, done(req), { kind: 'success', message: req.t('residence.letter.confirmed', { municipality: localized(m.names, req.locale) }) });
      case 'already_resident': return redirectWithFlash(reply, done(req), { kind: 'info', message: req.t('residence.letter.alreadyResident') });
      case 'bad_document': return showClaim(req, reply, { document: req.t('residence.census.badDocument') }, again, 400);
      case 'limited':
        reply.header('retry-after', String(r.retryAfterSeconds));
        return showClaim(req, reply, { document: req.t('residence.census.limited', { minutes: Math.ceil(r.retryAfterSeconds / 60) }) }, again, 429);
      case 'document_used': return showClaim(req, reply, { document: req.t('residence.census.documentUsed') }, again, 409);
      default: return showClaim(req, reply, { document: req.t('residence.census.noMatch') }, again, 400);
    }
  });
}
