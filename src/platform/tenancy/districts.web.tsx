import type { FastifyReply, FastifyRequest } from 'fastify';
import { readMultipartFile } from '../files/files.web.ts';
import type { App, Deps } from '../http/deps.ts';
import { redirectWithFlash } from '../http/flash.ts';
import { render } from '../http/render.tsx';
import { localized } from '../i18n/i18n.ts';
import { Button, ErrorSummary, FileField, Form, Table, type FormErrors } from '../views/components.tsx';
import { AdminNav, requirePermission } from './admin.web.tsx';
import { MAX_DISTRICTS } from './districts.parse.ts';
import { listDistricts } from './districts.repo.ts';
import { importDistricts, removeDistrict, type ImportOutcome } from './districts.service.ts';

const ACTION = 'district.manage';
/** Names in the file format, quoted in messages as they are (never translated). */
const TERMS = { format: 'GeoJSON', collection: 'FeatureCollection', osm: 'OpenStreetMap', name: 'name', nameUk: 'name:uk', nameEn: 'name:en', slug: 'slug', ref: 'ref' };

/** The message of a refused import: `admin.districts.problem.<problem>`, naming the feature where one is at fault. */
const problemMessage = (req: FastifyRequest, r: Extract<ImportOutcome, { kind: 'invalid' }>) =>
  req.t(`admin.districts.problem.${r.problem}`, { feature: 'feature' in r ? r.feature : 0, max: MAX_DISTRICTS, ...TERMS });

/** The municipality's districts (city districts, villages), drawn from a GeoJSON file, that residents follow reports in. */
export function registerDistrictPages(app: App, deps: Deps): void {
  const path = '/:locale/:municipality/admin/districts';
  const base = (req: FastifyRequest) => `/${req.locale}/${req.municipality!.slug}/admin/districts`;

  async function show(req: FastifyRequest, reply: FastifyReply, errors: FormErrors = {}, status = 200) {
    const t = req.t;
    const list = await listDistricts(deps.db, req.municipality!.id);
    return render(deps, req, reply, {
      title: t('admin.districts'), status,
      body: (
        <>
          <h1>{t('admin.districts')}</h1>
          <AdminNav req={req} />
          <p class="lead">{t('admin.districts.lead')}</p>
          <ErrorSummary errors={errors} />
          {list.length === 0
            ? <p>{t('admin.districts.none')}</p>
            : <Table caption={t('admin.districts')} captionHidden head={[t('admin.districts.name'), t('field.slug'), t('admin.districts.parts'), '']}
              rows={list.map((d) => [localized(d.names, req.locale), d.slug, req.fmt.number(Number(d.parts)),
                <Form action={`${base(req)}/${d.id}/delete`} aria-label={t('admin.districts.delete', { name: localized(d.names, req.locale) })}>
                  <Button variant="danger">{t('admin.districts.deleteShort')}<span class="visually-hidden"> {localized(d.names, req.locale)}</span></Button>
                </Form>])} />}
          <h2>{t('admin.districts.import')}</h2>
          <Form action={base(req)} multipart aria-label={t('admin.districts.import')}>
            <FileField name="file" label={t('admin.districts.file')} hint={t('admin.districts.fileHint', { max: MAX_DISTRICTS, ...TERMS })} errors={errors}
              accept=".geojson,.json,application/geo+json,application/json" />
            <Button>{t('admin.districts.importButton')}</Button>
          </Form>
        </>
      ),
    });
  }

  app.get(path, { schema: { hide: true } }, async (req, reply) =>
    requirePermission(deps, req, reply, ACTION, { municipalityId: req.municipality!.id }) ?? show(req, reply));

  app.post(path, { config: { csrf: false }, schema: { hide: true } }, async (req, reply) => {
    const m = req.municipality!;
    const upload = await readMultipartFile(app, req, reply);
    const stop = requirePermission(deps, req, reply, ACTION, { municipalityId: m.id });
    if (stop) return stop;
    if (!upload) return show(req, reply, { file: req.t('admin.districts.problem.missing') }, 400);
    if (upload.kind === 'too_large') return show(req, reply, { file: req.t('admin.districts.problem.tooLarge') }, 400);
    const r = await importDistricts(deps, { id: req.user!.id, ip: req.ip }, m, upload.data.toString('utf8'));
    if (r.kind === 'invalid') return show(req, reply, { file: problemMessage(req, r) }, 400);
    return redirectWithFlash(reply, base(req), { kind: 'success', message: req.t('admin.districts.imported', { added: r.added, redrawn: r.redrawn }) });
  });

  app.post(`${path}/:id/delete`, { schema: { hide: true } }, async (req, reply) => {
    const m = req.municipality!;
    const stop = requirePermission(deps, req, reply, ACTION, { municipalityId: m.id });
    if (stop) return stop;
    const done = await removeDistrict(deps, { id: req.user!.id, ip: req.ip }, m, Number((req.params as { id: string }).id) || 0);
    return redirectWithFlash(reply, base(req), done ? { kind: 'success', message: req.t('admin.districts.deleted') } : { kind: 'error', message: req.t('admin.districts.noSuch') });
  });
}
