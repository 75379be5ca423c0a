import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { Municipality } from '../../../db/schema.ts';
import type { ReportStatus } from '../../../db/schema.reports.ts';
import { randomToken, tokenHash } from '../../../platform/auth/tokens.ts';
import type { App, Deps } from '../../../platform/http/deps.ts';
import { localized, type Locale } from '../../../platform/i18n/i18n.ts';
import { findCategory, listCategories, OPEN_STATUSES } from '../report.repo.ts';
import { onceKey } from '../../../platform/idempotency/once.ts';
import { DESCRIPTION_MAX, fileReport } from '../report.service.ts';
import { open311ErrorHandler, sendOpen311, sendOpen311Error, splitFormat, type Format } from './format.ts';
import { MAX_INT, Query, Text } from '../../../platform/http/input.ts';
import { Type } from 'typebox';
import { findLiveKey, numberForToken, open311Requests } from './open311.repo.ts';
import { checkContact, parseW3cDate, type ContactField } from './params.ts';
import { attribute, open311Locale, request, service } from './present.ts';
const MAX_REQUESTS = 1000;
type Query = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;

/** The municipality a request is for: `jurisdiction_id` (its slug), or the only one serving reports. */
async function jurisdiction(deps: Deps, q: Query): Promise<Municipality | 'missing' | 'unknown'> {
  const id = one(q.jurisdiction_id);
  const serving = await deps.db.selectFrom('municipalities').selectAll().where(sql<boolean>`enabled_modules ? 'reports'`)
    .$if(id !== undefined, (b) => b.where('slug', '=', id!)).limit(2).execute();
  if (id) return serving[0] ?? 'unknown';
  return serving.length === 1 ? serving[0]! : 'missing';
}

const name = (m: Municipality, text: Parameters<typeof localized>[0]) => localized(text, m.default_locale as Locale);

/** `attribute[code]=v` and `attribute[code][]=v` of a form post, as the answers filing takes. */
function attributesOf(body: Query): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(body)) {
    const m = /^attribute\[([a-z][a-z0-9_]*)\](\[\])?$/.exec(k);
    if (m) out[m[1]!] = m[2] ? ([] as string[]).concat(v ?? []) : one(v);
  }
  return out;
}

/** The Open311 GeoReport v2 endpoint (see docs/API.md): discovery, services, requests and tokens, in JSON and XML. */
export function registerOpen311(app: App, deps: Deps): void {
  const noCsrf = { config: { csrf: false }, schema: { hide: true }, errorHandler: open311ErrorHandler as never };
  // Every parameter a GET reads (GeoReport v2 "GET Service Requests"); `one()` below only ever sees single values.
  const listQuery = { ...noCsrf, schema: { hide: true, querystring: Query({
    jurisdiction_id: Text(100), service_request_id: Type.String({ maxLength: 2000, pattern: '^\\s*[1-9][0-9]{0,8}\\s*(,\\s*[1-9][0-9]{0,8}\\s*)*$' }),
    service_code: Text(100), start_date: Text(40), end_date: Text(40), status: Text(20),
  }) } };
  const oneQuery = { ...noCsrf, schema: { hide: true, querystring: Query({ jurisdiction_id: Text(100) }) } };
  // Each handler gets the format and the municipality, or has answered the error already.
  const withJurisdiction = (file: string, handle: (format: Format, m: Municipality, base: string, req: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>) =>
    async (req: FastifyRequest, reply: FastifyReply) => {
      const split = splitFormat(file === '' ? '' : (req.params as Record<string, string>)[file] ?? '');
      // No format to answer in: the specification's error shape all the same, in JSON.
      if (!split) return sendOpen311Error(reply, 'json', 404, 'Unknown format: use the .json or .xml extension.');
      const [base, format] = split;
      const m = await jurisdiction(deps, { ...(req.query as Query), ...(req.body as Query | undefined) });
      if (m === 'missing') return sendOpen311Error(reply, format, 400, 'jurisdiction_id is required: this endpoint serves several municipalities.');
      if (m === 'unknown') return sendOpen311Error(reply, format, 404, 'No municipality serves reports under this jurisdiction_id.');
      return handle(format, m, base, req, reply);
    };

  app.get('/open311/v2/:file', listQuery, async (req, reply) => {
    const split = splitFormat((req.params as { file: string }).file);
    if (split?.[0] === 'discovery') {
      const url = `${deps.config.baseUrl}/open311/v2/`;
      const m = await jurisdiction(deps, req.query as Query);
      if (m === 'unknown') return sendOpen311Error(reply, split[1], 404, 'No municipality serves reports under this jurisdiction_id.');
      // Keys are issued per municipality by its administrator, on the reports' staff page.
      const keys = (slug: string, locale: string) => `${deps.config.baseUrl}/${locale}/${slug}/reports/staff/keys`;
      const keyService = m === 'missing'
        ? `API keys are issued by the administrator of each municipality at ${keys('{jurisdiction_id}', 'en')}; discovery.json?jurisdiction_id=… names the page.`
        : keys(m.slug, open311Locale(req, m));
      return sendOpen311(reply, split[1], 'discovery', {
        changeset: '2026-12-01T00:00:00Z', contact: deps.config.baseUrl, key_service: keyService,
        endpoints: [{ specification: 'http://wiki.open311.org/GeoReport_v2', url, changeset: '2026-12-01T00:00:00Z', type: 'production', formats: ['text/xml', 'application/json'] }],
      });
    }
    return withJurisdiction('file', async (format, m, base) => {
      if (base === 'services') {
        const categories = await listCategories(deps.db, m.id, { activeOnly: true });
        const locale = open311Locale(req, m);
        return sendOpen311(reply, format, 'services', categories.map((c) => service(locale, c)));
      }
      if (base === 'requests') {
        const q = req.query as Query;
        const ids = one(q.service_request_id)?.split(',').map((x) => Number(x.trim()));
        if (ids?.some((x) => !Number.isInteger(x) || x < 1)) return sendOpen311Error(reply, format, 400, 'service_request_id must be report numbers separated by commas.');
        const [rawStart, rawEnd] = [one(q.start_date), one(q.end_date)];
        const dates = [rawStart && parseW3cDate(rawStart, 'start'), rawEnd && parseW3cDate(rawEnd, 'end')];
        if (dates.some((d) => d === null)) return sendOpen311Error(reply, format, 400, 'start_date and end_date must be W3C date-times with a time zone (2026-12-02T10:00:00Z) or days (2026-12-02).');
        const serviceCode = one(q.service_code);
        if (serviceCode && !(await findCategory(deps.db, m.id, serviceCode))) return sendOpen311Error(reply, format, 400, 'service_code is not a service of this jurisdiction.');
        const status = one(q.status);
        if (status && !['open', 'closed'].includes(status)) return sendOpen311Error(reply, format, 400, 'status must be open or closed.');
        const statuses: ReportStatus[] | undefined = status === 'open' ? OPEN_STATUSES : status === 'closed' ? ['fixed', 'closed'] : undefined;
        // Without dates, the specification's default window: the last 90 days.
        const start = dates[0] || (ids ? undefined : new Date(Date.now() - 90 * 86_400_000));
        const rows = await open311Requests(deps.db, m.id, { numbers: ids, serviceCode, start, end: dates[1] || undefined, statuses, limit: MAX_REQUESTS });
        const locale = open311Locale(req, m);
        return sendOpen311(reply, format, 'service_requests', rows.map((r) => request(locale, r)));
      }
      return sendOpen311Error(reply, format, 404, 'Unknown resource.');
    })(req, reply);
  });

  app.get('/open311/v2/services/:file', oneQuery, async (req, reply) => withJurisdiction('file', async (format, m, code, _req, reply) => {
    const c = await findCategory(deps.db, m.id, code);
    if (!c || !c.active) return sendOpen311Error(reply, format, 404, 'No such service_code.');
    const locale = open311Locale(req, m);
    return sendOpen311(reply, format, 'service_definition', { service_code: c.slug, attributes: c.questions.map((q, i) => attribute(locale, q, i + 1)) });
  })(req, reply));

  app.get('/open311/v2/requests/:file', oneQuery, async (req, reply) => withJurisdiction('file', async (format, m, id, _req, reply) => {
    const n = Number(id);
    const rows = Number.isInteger(n) && n > 0 && n <= MAX_INT ? await open311Requests(deps.db, m.id, { numbers: [n], limit: 1 }) : [];
    if (rows.length === 0) return sendOpen311Error(reply, format, 404, 'No such service_request_id.');
    return sendOpen311(reply, format, 'service_requests', rows.map((r) => request(open311Locale(req, m), r)));
  })(req, reply));

  app.get('/open311/v2/tokens/:file', oneQuery, async (req, reply) => withJurisdiction('file', async (format, m, token, _req, reply) => {
    const row = await numberForToken(deps.db, m.id, token);
    if (!row) return sendOpen311Error(reply, format, 404, 'No such token.');
    return sendOpen311(reply, format, 'service_requests', [{ service_request_id: String(row.number), token }]);
  })(req, reply));

  app.post('/open311/v2/:file', noCsrf, async (req, reply) => withJurisdiction('file', async (format, m, base) => {
    if (base !== 'requests') return sendOpen311Error(reply, format, 404, 'Unknown resource.');
    const body = (req.body ?? {}) as Query;
    const apiKey = one(body.api_key);
    const key = apiKey ? await findLiveKey(deps.db, m.id, tokenHash(apiKey)) : undefined;
    if (!key) return sendOpen311Error(reply, format, 403, 'A valid api_key of this jurisdiction is required.');
    const lat = one(body.lat);
    const lng = one(body.long);
    const at = lat !== undefined && lng !== undefined ? { lat: Number(lat), lng: Number(lng) } : null;
    if ((lat === undefined) !== (lng === undefined) || (at && (!Number.isFinite(at.lat) || !Number.isFinite(at.lng) || Math.abs(at.lat) > 90 || Math.abs(at.lng) > 180))) {
      return sendOpen311Error(reply, format, 400, 'lat and long must both be given, as decimal degrees.');
    }
    const description = one(body.description) ?? '';
    const address = one(body.address_string) ?? null;
    if (Array.from(description).length > DESCRIPTION_MAX) return sendOpen311Error(reply, format, 400, `description is limited to ${DESCRIPTION_MAX} characters.`);
    if ((address?.length ?? 0) > 300) return sendOpen311Error(reply, format, 400, 'address_string is limited to 300 characters.');
    const checked = checkContact((k: ContactField) => one(body[k]));
    if ('problem' in checked) return sendOpen311Error(reply, format, 400, checked.problem);
    const { contact } = checked;
    const token = randomToken(12);
    const code = one(body.service_code) ?? '';
    // GeoReport v2 has no title: the description's first sentence, or the service's name.
    const sentence = (description.split(/[.\n]/)[0] ?? '').trim().slice(0, 120);
    const category = await findCategory(deps.db, m.id, code);
    const title = sentence.length >= 5 ? sentence : `${category ? name(m, category.names) : code} (Open311)`.slice(0, 120);
    const r = await fileReport(deps, { kind: 'open311', apiKeyId: key.id, contact: Object.keys(contact).length ? contact : null, token }, m, {
      category: code, title, description, at, address, showName: false, answers: attributesOf(body),
    }, onceKey(req, { actor: `k${key.id}`, municipalityId: m.id }));
    switch (r.kind) {
      case 'created': return sendOpen311(reply, format, 'service_requests', [{ service_request_id: String(r.number), token: r.token ?? token, service_notice: null, account_id: null }], 201);
      case 'unknown_category': return sendOpen311Error(reply, format, 400, 'service_code is not a service of this jurisdiction.');
      case 'no_place': return sendOpen311Error(reply, format, 400, 'A location is required: lat and long, or address_string.');
      case 'outside': return sendOpen311Error(reply, format, 400, `The location is outside this jurisdiction (more than ${r.radiusKm} km from its centre).`);
      case 'answers': return sendOpen311Error(reply, format, 400, `Attributes missing or not valid: ${Object.entries(r.problems).map(([k, p]) => `${k} (${p})`).join(', ')}.`);
      case 'level': return sendOpen311Error(reply, format, 403, 'Not allowed.');
    }
  })(req, reply));
}
