import { Type } from 'typebox';
import type { App, Deps } from '../../../platform/http/deps.ts';
import { apiError } from '../../../platform/http/errors.tsx';
import { localized } from '../../../platform/i18n/i18n.ts';
import { parseBox } from '../../../platform/geo/geo.ts';
import { listReports, STATUS_GROUPS } from '../report.repo.ts';
import { Query, Text } from '../../../platform/http/input.ts';

const MAX_FEATURES = 2000;

const Feature = Type.Object({
  type: Type.Literal('Feature'), id: Type.Integer(),
  geometry: Type.Object({ type: Type.Literal('Point'), coordinates: Type.Array(Type.Number(), { minItems: 2, maxItems: 2, description: '[longitude, latitude]' }) }),
  properties: Type.Object({
    number: Type.Integer(), title: Type.String(), status: Type.String(), category: Type.String(), category_name: Type.String(),
    supporters: Type.Integer(), created_at: Type.String({ format: 'date-time' }), url: Type.String({ format: 'uri' }),
  }),
});

/** The route's parameters and answer for the OpenAPI document; the handler checks the filters itself and names each bad one. */
const GeoJsonSchema = {
  tags: ['reports'], summary: 'Placed reports of a municipality as GeoJSON (RFC 7946), newest first, at most 2,000',
  params: Type.Object({ municipality: Type.String() }),
  querystring: Type.Object({
    status: Type.Optional(Type.String({ maxLength: 20, description: 'open, fixed, closed or all (default all)' })),
    bbox: Type.Optional(Type.String({ maxLength: 200, description: 'west,south,east,north in degrees' })),
  }),
  response: {
    200: {
      description: 'A FeatureCollection of Point features',
      content: { 'application/geo+json': { schema: Type.Object({ type: Type.Literal('FeatureCollection'), features: Type.Array(Feature) }) } },
    },
  },
};

/** The placed reports of a municipality as a GeoJSON FeatureCollection (RFC 7946), for maps and GIS. */
export function registerGeoJson(app: App, deps: Deps): void {
  app.get('/api/v1/:municipality/reports.geojson', { schema: GeoJsonSchema }, async (req, reply) => {
    const m = req.municipality!;
    const q = req.query as { status?: string; bbox?: string };
    const statuses = STATUS_GROUPS[q.status ?? 'all'];
    const box = parseBox(q.bbox);
    if (!statuses || box === null) {
      return apiError(reply, 400, 'invalid_input', req.t('platform.error.invalidInput'), {
        ...(!statuses ? { status: req.t('platform.validation.enum', { field: 'status' }) } : {}), ...(box === null ? { bbox: req.t('platform.validation.invalid', { field: 'bbox' }) } : {}),
      });
    }
    const rows = await listReports(deps.db, m.id, { statuses, box: box ?? undefined, limit: MAX_FEATURES, offset: 0 });
    const base = `${deps.config.baseUrl}/${m.default_locale}/${m.slug}/reports`;
    return reply.header('content-type', 'application/geo+json; charset=utf-8').header('access-control-allow-origin', '*').send({
      type: 'FeatureCollection',
      features: rows.filter((r) => r.located).map((r) => ({
        type: 'Feature', id: r.number,
        geometry: { type: 'Point', coordinates: [r.lng, r.lat] },
        properties: { number: r.number, title: r.title, status: r.status, category: r.category_slug, category_name: localized(r.category_names, req.locale), supporters: r.supporters, created_at: new Date(r.created_at).toISOString(), url: `${base}/${r.number}` },
      })),
    });
  });
}
