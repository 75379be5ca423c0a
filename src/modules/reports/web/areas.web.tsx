import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { App, Deps } from '../../../platform/http/deps.ts';
import { sendPageFeed } from '../../../platform/feeds/atom.ts';
import { redirectWithFlash } from '../../../platform/http/flash.ts';
import { formRoute } from '../../../platform/http/form-route.tsx';
import { redirectToSignIn, signedIn } from '../../../platform/http/request-context.ts';
import { localized } from '../../../platform/i18n/i18n.ts';
import { contentPart, contentText } from '../../../platform/views/content.tsx';
import { Button, ErrorSummary, Form, Select, Table, type FormErrors } from '../../../platform/views/components.tsx';
import { findCategory, listCategories, listPublicEvents, listReports } from '../report.repo.ts';
import { listSubscriptions, MAX_AREAS, subscribe, unsubscribe, type SubscribeOutcome } from '../report.subscriptions.ts';
import { listDistricts } from '../../../platform/tenancy/districts.repo.ts';
import { parseBody } from '../../../platform/http/forms.ts';
import { notFound } from '../../../platform/http/errors.tsx';
import { loadReport, reportPath, reportsBase } from './common.tsx';
import { PlaceFields } from '../../../platform/views/map.tsx';
import { Query, Text } from '../../../platform/http/input.ts';
import { onceKey } from '../../../platform/idempotency/once.ts';

const RADII = [250, 500, 1000, 2000, 5000];
const AreaSchema = Type.Object({
  lat: Type.Number({ minimum: -90, maximum: 90 }), lng: Type.Number({ minimum: -180, maximum: 180 }),
  radius: Type.Integer({ minimum: 50, maximum: 10_000 }), category: Type.Optional(Type.String({ maxLength: 64 })),
});
// The category is `districtCategory`: both forms are on one page, and a field's id follows its name.
const DistrictAreaSchema = Type.Object({ district: Type.Integer({ minimum: 1 }), districtCategory: Type.Optional(Type.String({ maxLength: 64 })) });
const FEED_SIZE = 50;

type Subscription = Awaited<ReturnType<typeof listSubscriptions>>[number];

/** Following new reports in an area (notified in-app and by e-mail as the resident's settings say), and Atom feeds. */
export function registerAreaPages(app: App, deps: Deps): void {

  formRoute(app, deps, {
    url: '/:locale/:municipality/reports/areas',
    schema: AreaSchema,
    title: (req) => req.t('reports.areas.title'),
    guard: signedIn,
    initial: (req) => ({ lat: req.municipality!.center_lat, lng: req.municipality!.center_lng, radius: 500 }),
    view: async (req, { errors, values }) => {
      const t = req.t;
      const m = req.municipality!;
      const [areas, categories, districts] = await Promise.all([
        listSubscriptions(deps.db, m.id, req.user!.id), listCategories(deps.db, m.id, { activeOnly: true }), listDistricts(deps.db, m.id)]);
      const base = reportsBase(req);
      const categoryOptions = [{ value: '', label: t('reports.web.anyCategory') }, ...categories.map((c) => ({ value: c.slug, label: localized(c.names, req.locale) }))];
      const place = (a: Subscription) => (a.district_names
        ? <>{localized(a.district_names, req.locale)} (<a href={`${base}/feed.atom?district=${a.district_slug}`}>{t('reports.areas.districtFeed')}</a>)</>
        : `${req.fmt.number(a.lat!)}, ${req.fmt.number(a.lng!)}`);
      return (
        <>
          <h1>{t('reports.areas.title')}</h1>
          <p class="lead">{t('reports.areas.lead')}</p>
          {areas.length > 0 && (
            <Table caption={t('reports.areas.mine')} head={[t('reports.web.place'), t('reports.areas.radius'), t('reports.web.category'), '']}
              rows={areas.map((a) => [place(a), a.radius_m === null ? t('reports.areas.wholeDistrict') : t('reports.areas.meters', { meters: a.radius_m }),
                a.category_names ? localized(a.category_names, req.locale) : t('reports.web.anyCategory'),
                <Form action={`${base}/areas/${a.id}/delete`}><Button variant="danger">{t('reports.areas.stop')}</Button></Form>])} />
          )}
          <h2>{t('reports.areas.add')}</h2>
          <ErrorSummary errors={errors} />
          <Form action={`${base}/areas`} once>
            <PlaceFields deps={deps} req={req} errors={errors} values={values} address={false} grouped={false} required />
            <Select name="radius" label={t('reports.areas.radius')} errors={errors} value={String(values.radius ?? 500)} options={RADII.map((r) => ({ value: String(r), label: t('reports.areas.meters', { meters: r }) }))} />
            <Select name="category" label={t('reports.web.category')} errors={errors} value={String(values.category ?? '')} options={categoryOptions} />
            <Button>{t('reports.areas.follow')}</Button>
          </Form>
          {districts.length > 0 && (
            <>
              <h2>{t('reports.areas.addDistrict')}</h2>
              <Form action={`${base}/areas/district`} once>
                <Select name="district" label={t('reports.areas.district')} errors={errors} value={String(values.district ?? '')}
                  options={districts.map((d) => ({ value: String(d.id), label: localized(d.names, req.locale) }))} />
                <Select name="districtCategory" label={t('reports.web.category')} value="" options={categoryOptions} />
                <Button>{t('reports.areas.followDistrict')}</Button>
              </Form>
            </>
          )}
          <p class="data-links"><a href={`${base}/feed.atom`}>{t('reports.areas.feed')}</a></p>
        </>
      );
    },
    async handle(v, req, reply): Promise<FastifyReply | FormErrors> {
      const m = req.municipality!;
      const category = v.category ? await findCategory(deps.db, m.id, v.category) : undefined;
      if (v.category && !category) return { category: req.t('reports.web.unknownCategory') };
      const wrong = refusal(req, await subscribe(deps.db, m, req.user!.id, { at: { lat: v.lat, lng: v.lng }, radiusM: v.radius, categoryId: category?.id ?? null }, onceKey(req)));
      return wrong ? { [wrong.field === 'area' ? 'lat' : wrong.field]: wrong.message } : added(req, reply);
    },
  });

  /** Following a whole district: the same page, its own small form (shown only where districts are drawn). */
  app.post('/:locale/:municipality/reports/areas/district', { schema: { hide: true } }, async (req, reply) => {
    if (!req.user) return redirectToSignIn(req, reply);
    const back = `${reportsBase(req)}/areas`;
    const parsed = parseBody(DistrictAreaSchema, req.body, req.t);
    if (!parsed.ok) return redirectWithFlash(reply, back, { kind: 'error', message: req.t('reports.areas.unknownDistrict') });
    const m = req.municipality!;
    const slug = parsed.value.districtCategory;
    const category = slug ? await findCategory(deps.db, m.id, slug) : undefined;
    if (slug && !category) return redirectWithFlash(reply, back, { kind: 'error', message: req.t('reports.web.unknownCategory') });
    const wrong = refusal(req, await subscribe(deps.db, m, req.user.id, { districtId: parsed.value.district, categoryId: category?.id ?? null }, onceKey(req)));
    return wrong ? redirectWithFlash(reply, back, { kind: 'error', message: wrong.message }) : added(req, reply);
  });

  const added = (req: FastifyRequest, reply: FastifyReply) => redirectWithFlash(reply, `${reportsBase(req)}/areas`, { kind: 'success', message: req.t('reports.areas.added') });

  /** Why a subscription was refused, and which field it concerns; null when it was added. */
  function refusal(req: FastifyRequest, r: SubscribeOutcome): { field: 'area' | 'category' | 'district'; message: string } | null {
    if (r.kind === 'too_many') return { field: 'area', message: req.t('reports.areas.tooMany', { max: MAX_AREAS }) };
    if (r.kind === 'unknown_category') return { field: 'category', message: req.t('reports.web.unknownCategory') };
    if (r.kind === 'unknown_district') return { field: 'district', message: req.t('reports.areas.unknownDistrict') };
    return null;
  }

  app.post('/:locale/:municipality/reports/areas/:id/delete', { schema: { hide: true } }, async (req, reply) => {
    if (!req.user) return redirectToSignIn(req, reply);
    const done = await unsubscribe(deps.db, req.municipality!.id, req.user.id, Number((req.params as { id: string }).id) || 0);
    return redirectWithFlash(reply, `${reportsBase(req)}/areas`, done ? { kind: 'success', message: req.t('reports.areas.stopped') } : { kind: 'error', message: req.t('reports.areas.noSuchArea') });
  });

  app.get('/:locale/:municipality/reports/feed.atom', { schema: { hide: true, querystring: Query({ district: Text(100) }) } }, async (req, reply) => {
    const m = req.municipality!;
    const slug = (req.query as { district?: string }).district;
    const district = slug ? (await listDistricts(deps.db, m.id)).find((d) => d.slug === slug) : undefined;
    if (slug && !district) return notFound(deps, req, reply);
    const rows = await listReports(deps.db, m.id, { limit: FEED_SIZE, offset: 0, districtId: district?.id });
    const where = localized(district ? district.names : m.names, req.locale);
    return sendPageFeed(req, reply, deps.config.baseUrl, req.t('reports.areas.feedTitle', { municipality: where }), `${reportsBase(req)}${district ? `?district=${district.slug}` : ''}`,
      rows.map((r) => ({
        id: `${deps.config.baseUrl}/${m.slug}/reports/${r.number}`, title: [`${req.t('reports.number', { number: r.number })}: `, contentPart(req, r.title)],
        updated: new Date(r.created_at), link: `${deps.config.baseUrl}${reportPath(req, r.number)}`,
        summary: [`${localized(r.category_names, req.locale)} · ${req.t(`reports.status.${r.status}`)}`, ...(r.address ? [' · ', contentPart(req, r.address)] : [])],
      })), district ? `?district=${district.slug}` : '');
  });

  app.get('/:locale/:municipality/reports/:number/feed.atom', { schema: { hide: true } }, async (req, reply) => {
    const r = await loadReport(deps, req, reply);
    if (!r) return reply;
    const m = req.municipality!;
    const link = `${deps.config.baseUrl}${reportPath(req, r.number)}`;
    return sendPageFeed(req, reply, deps.config.baseUrl, contentText(req, r.title), reportPath(req, r.number),
      (await listPublicEvents(deps.db, r.id)).map((e) => ({
        id: `${deps.config.baseUrl}/${m.slug}/reports/${r.number}/events/${e.id}`, title: req.t(`reports.event.${e.kind}`),
        updated: new Date(e.created_at), link, ...(e.note ? { summary: [contentPart(req, e.note)] } : {}),
      })));
  });
}
