import { Type } from 'typebox';
import { parseBox } from '../../../platform/geo/geo.ts';
import type { App, Deps } from '../../../platform/http/deps.ts';
import { apiError } from '../../../platform/http/errors.tsx';
import { Id, SingleLine } from '../../../platform/http/input.ts';
import { localized } from '../../../platform/i18n/i18n.ts';
import { listDistricts } from '../../../platform/tenancy/districts.repo.ts';
import { countedCost } from '../cost.ts';
import { cycleCategories, findCycle } from '../cycle.repo.ts';
import { placedProjects, STATUS_FILTERS, type StatusFilter } from './list.repo.ts';

const MAX_FEATURES = 2000;
const Slug = (description: string) => Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$', description });

const Feature = Type.Object({
  type: Type.Literal('Feature'), id: Type.Integer(),
  geometry: Type.Object({ type: Type.Literal('Point'), coordinates: Type.Array(Type.Number(), { minItems: 2, maxItems: 2, description: '[longitude, latitude]' }) }),
  properties: Type.Object({
    number: Type.Integer(), title: Type.String(),
    status: Type.String({ description: 'submitted, returned, admitted or rejected' }),
    funded: Type.Union([Type.Boolean(), Type.Null()], { description: 'Once results are published: whether the project won funding' }),
    category: Type.String(), category_name: Type.String(),
    cost: Type.Integer({ description: "The cost that counts, in minor units: the department's estimate where there is one, else the author's total" }),
    currency: Type.String(), url: Type.String({ format: 'uri' }),
  }),
});

/** The route's parameters and answer, for validation and the OpenAPI document. */
const GeoJsonSchema = {
  tags: ['participatory-budget'],
  summary: "A cycle's public projects that have a place, as GeoJSON (RFC 7946), by number, at most 2,000",
  params: Type.Object({ municipality: Type.String(), number: Id({ maximum: 999_999_999 }) }),
  querystring: Type.Object({
    category: Type.Optional(Slug("A category's slug")),
    district: Type.Optional(Slug("A district's slug")),
    status: Type.Optional(Type.Enum([...STATUS_FILTERS], { description: 'A public status, or funded / not_funded once results are published' })),
    q: Type.Optional(SingleLine(200)),
    bbox: Type.Optional(Type.String({ maxLength: 200, description: 'west,south,east,north in degrees' })),
  }),
  response: {
    200: {
      description: 'A FeatureCollection of Point features',
      content: { 'application/geo+json': { schema: Type.Object({ type: Type.Literal('FeatureCollection'), features: Type.Array(Feature) }) } },
    },
  },
};

/** A cycle's placed public projects as a GeoJSON FeatureCollection, for the map of the list and for GIS. */
export function registerProjectsGeoJson(app: App, deps: Deps): void {
  app.get('/api/v1/:municipality/participatory-budget/cycles/:number/projects.geojson', { schema: GeoJsonSchema }, async (req, reply) => {
    const m = req.municipality!;
    const q = req.query as { category?: string; district?: string; status?: StatusFilter; q?: string; bbox?: string };
    const cycle = await findCycle(deps.db, m.id, (req.params as { number: number }).number);
    if (!cycle || cycle.status !== 'published') return apiError(reply, 404, 'not_found', req.t('platform.error.notFound.title'));
    const [categories, districts] = await Promise.all([cycleCategories(deps.db, cycle.id), listDistricts(deps.db, m.id)]);
    const category = q.category ? categories.find((c) => c.slug === q.category) : undefined;
    const district = q.district ? districts.find((d) => d.slug === q.district) : undefined;
    const box = parseBox(q.bbox);
    const fields = {
      ...(q.category && !category ? { category: req.t('platform.validation.enum', { field: 'category' }) } : {}),
      ...(q.district && !district ? { district: req.t('platform.validation.enum', { field: 'district' }) } : {}),
      ...(box === null ? { bbox: req.t('platform.validation.invalid', { field: 'bbox' }) } : {}),
    };
    if (Object.keys(fields).length > 0) return apiError(reply, 400, 'invalid_input', req.t('platform.error.invalidInput'), fields);
    const rows = await placedProjects(deps.db, { cycleId: cycle.id, status: q.status, categoryId: category?.id, districtId: district?.id, q: q.q, box: box ?? undefined }, MAX_FEATURES);
    const base = `${deps.config.baseUrl}/${m.default_locale}/${m.slug}/participatory-budget/projects`;
    return reply.header('content-type', 'application/geo+json; charset=utf-8').header('access-control-allow-origin', '*').send({
      type: 'FeatureCollection',
      features: rows.map((r) => ({
        type: 'Feature', id: r.number,
        geometry: { type: 'Point', coordinates: [r.lng!, r.lat!] },
        properties: {
          number: r.number, title: r.title, status: r.status, funded: r.funded, category: r.category_slug, category_name: localized(r.category_names, req.locale),
          cost: countedCost(r), currency: cycle.currency, url: `${base}/${r.number}`,
        },
      })),
    });
  });
}
