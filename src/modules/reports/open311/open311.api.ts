import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { Municipality } from '../../../db/schema.ts';
import type { QuestionKind, ReportQuestion, ReportStatus } from '../../../db/schema.reports.ts';
import { randomToken, tokenHash } from '../../../platform/auth/tokens.ts';
import type { App, Deps } from '../../../platform/http/deps.ts';
import { localized, type Locale } from '../../../platform/i18n/i18n.ts';
import { findCategory, listCategories, OPEN_STATUSES } from '../report.repo.ts';
import { onceKey } from '../../../platform/idempotency/once.ts';
import { fileReport } from '../report.service.ts';
import { sendOpen311, sendOpen311Error, splitFormat, type Format } from './format.ts';
import { findLiveKey, numberForToken, open311Requests } from './open311.repo.ts';

const DATATYPE: Record<QuestionKind, string> = { text: 'string', number: 'number', date: 'datetime', single: 'singlevaluelist', multiple: 'multivaluelist' };
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
const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);

function attribute(m: Municipality, q: ReportQuestion, order: number) {
  return {
    variable: true, code: q.key, datatype: DATATYPE[q.kind], required: q.required, datatype_description: null, order, description: name(m, q.labels),
    ...(q.options ? { values: q.options.map((o) => ({ key: o.value, name: name(m, o.labels) })) } : {}),
  };
}

type RequestRow = Awaited<ReturnType<typeof open311Requests>>[number];
function request(m: Municipality, r: RequestRow) {
  const open = OPEN_STATUSES.includes(r.status);
  return {
    service_request_id: String(r.number), status: open ? 'open' : 'closed', status_notes: r.status_notes ?? null,
    service_name: name(m, r.service_names), service_code: r.service_code, description: r.description || r.title,
    agency_responsible: r.department_names ? name(m, r.department_names) : null, service_notice: null,
    requested_datetime: iso(r.created_at), updated_datetime: iso(r.updated_at),
    expected_datetime: open ? iso(new Date(new Date(r.created_at).getTime() + r.fix_days * 86_400_000)) : null,
    address: r.address, address_id: null, zipcode: null, lat: r.located ? r.lat : null, long: r.located ? r.lng : null, media_url: null,
  };
}

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
  const noCsrf = { config: { csrf: false }, schema: { hide: true } };
  // Each handler gets the format and the municipality, or has answered the error already.
  const withJurisdiction = (file: string, handle: (format: Format, m: Municipality, base: string, req: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>) =>
    async (req: FastifyRequest, reply: FastifyReply) => {
      const split = splitFormat(file === '' ? '' : (req.params as Record<string, string>)[file] ?? '');
      if (!split) return reply.code(404).send({ error: { code: 'not_found', message: 'Use the .json or .xml extension.' } });
      const [base, format] = split;
      const m = await jurisdiction(deps, { ...(req.query as Query), ...(req.body as Query | undefined) });
      if (m === 'missing') return sendOpen311Error(reply, format, 400, 'jurisdiction_id is required: this endpoint serves several municipalities.');
      if (m === 'unknown') return sendOpen311Error(reply, format, 404, 'No municipality serves reports under this jurisdiction_id.');
      return handle(format, m, base, req, reply);
    };

  app.get('/open311/v2/:file', noCsrf, async (req, reply) => {
    const split = splitFormat((req.params as { file: string }).file);
    if (split?.[0] === 'discovery') {
      const url = `${deps.config.baseUrl}/open311/v2/`;
      return sendOpen311(reply, split[1], 'discovery', {
        changeset: '2026-12-01T00:00:00Z', contact: deps.config.baseUrl, key_service: `${deps.config.baseUrl}/en/admin`,
        endpoints: [{ specification: 'http://wiki.open311.org/GeoReport_v2', url, changeset: '2026-12-01T00:00:00Z', type: 'production', formats: ['text/xml', 'application/json'] }],
      });
    }
    return withJurisdiction('file', async (format, m, base) => {
      if (base === 'services') {
        const categories = await listCategories(deps.db, m.id, { activeOnly: true });
        return sendOpen311(reply, format, 'services', categories.map((c) => ({
          service_code: c.slug, service_name: name(m, c.names), description: name(m, c.names), metadata: c.questions.length > 0, type: 'realtime', keywords: '', group: '',
        })));
      }
      if (base === 'requests') {
        const q = req.query as Query;
        const ids = one(q.service_request_id)?.split(',').map((x) => Number(x.trim()));
        if (ids?.some((x) => !Number.isInteger(x) || x < 1)) return sendOpen311Error(reply, format, 400, 'service_request_id must be report numbers separated by commas.');
        const dates = ['start_date', 'end_date'].map((k) => one(q[k]));
        if (dates.some((d) => d !== undefined && Number.isNaN(Date.parse(d)))) return sendOpen311Error(reply, format, 400, 'start_date and end_date must be W3C date-times.');
        const status = one(q.status);
        if (status && !['open', 'closed'].includes(status)) return sendOpen311Error(reply, format, 400, 'status must be open or closed.');
        const statuses: ReportStatus[] | undefined = status === 'open' ? OPEN_STATUSES : status === 'closed' ? ['fixed', 'closed'] : undefined;
        // Without dates, the specification's default window: the last 90 days.
        const start = dates[0] ? new Date(dates[0]) : ids ? undefined : new Date(Date.now() - 90 * 86_400_000);
        const rows = await open311Requests(deps.db, m.id, { numbers: ids, serviceCode: one(q.service_code), start, end: dates[1] ? new Date(dates[1]) : undefined, statuses, limit: MAX_REQUESTS });
        return sendOpen311(reply, format, 'service_requests', rows.map((r) => request(m, r)));
      }
      return sendOpen311Error(reply, format, 404, 'Unknown resource.');
    })(req, reply);
  });

  app.get('/open311/v2/services/:file', noCsrf, async (req, reply) => withJurisdiction('file', async (format, m, code, _req, reply) => {
    const c = await findCategory(deps.db, m.id, code);
    if (!c || !c.active) return sendOpen311Error(reply, format, 404, 'No such service_code.');
    return sendOpen311(reply, format, 'service_definition', { service_code: c.slug, attributes: c.questions.map((q, i) => attribute(m, q, i + 1)) });
  })(req, reply));

  app.get('/open311/v2/requests/:file', noCsrf, async (req, reply) => withJurisdiction('file', async (format, m, id, _req, reply) => {
    const n = Number(id);
    const rows = Number.isInteger(n) && n > 0 ? await open311Requests(deps.db, m.id, { numbers: [n], limit: 1 }) : [];
    if (rows.length === 0) return sendOpen311Error(reply, format, 404, 'No such service_request_id.');
    return sendOpen311(reply, format, 'service_requests', rows.map((r) => request(m, r)));
  })(req, reply));

  app.get('/open311/v2/tokens/:file', noCsrf, async (req, reply) => withJurisdiction('file', async (format, m, token, _req, reply) => {
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
    if (description.length > 5000 || (address?.length ?? 0) > 300) return sendOpen311Error(reply, format, 400, 'description is limited to 5000 characters and address_string to 300.');
    const contact = Object.fromEntries(['first_name', 'last_name', 'email', 'phone', 'device_id', 'account_id'].map((k) => [k, one(body[k])]).filter(([, v]) => v)) as Record<string, string>;
    const token = randomToken(12);
    const code = one(body.service_code) ?? '';
    // GeoReport v2 has no title: the description's first sentence, or the service's name.
    const sentence = (description.split(/[.\n]/)[0] ?? '').trim().slice(0, 120);
    const service = await findCategory(deps.db, m.id, code);
    const title = sentence.length >= 5 ? sentence : `${service ? name(m, service.names) : code} (Open311)`.slice(0, 120);
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
