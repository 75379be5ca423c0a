import type { FastifyRequest } from 'fastify';
import type { LocalizedText, Municipality } from '../../../db/schema.ts';
import type { QuestionKind, ReportQuestion } from '../../../db/schema.reports.ts';
import { isLocale, localized, negotiateLocale, type Locale } from '../../../platform/i18n/i18n.ts';
import type { ReportCategory } from '../report.repo.ts';
import { OPEN_STATUSES } from '../report.repo.ts';
import { DESCRIPTION_MAX } from '../report.service.ts';
import type { open311Requests } from './open311.repo.ts';

const DATATYPE: Record<QuestionKind, string> = { text: 'string', number: 'number', date: 'datetime', single: 'singlevaluelist', multiple: 'multivaluelist' };

/**
 * The language of names in an answer: `locale` or `lang` in the query, else Accept-Language, else the
 * municipality's own. Clients of a Polish or Serbian town should not have to read Ukrainian.
 */
export function open311Locale(req: FastifyRequest, m: Municipality): Locale {
  const q = req.query as Record<string, unknown> | undefined;
  const asked = [q?.locale, q?.lang].map((v) => (Array.isArray(v) ? v[0] : v)).find((v): v is string => typeof v === 'string' && v.trim() !== '');
  const fallback: Locale = isLocale(m.default_locale) ? m.default_locale : 'uk';
  return negotiateLocale(asked ?? req.headers['accept-language'], fallback);
}

/**
 * A description as GeoReport v2 may publish it: at most 4,000 characters (code points, as JSON Schema
 * counts them). New reports are held to that; older, longer ones are cut with an ellipsis.
 */
export function publishedDescription(text: string): string {
  const chars = Array.from(text);
  return chars.length <= DESCRIPTION_MAX ? text : `${chars.slice(0, DESCRIPTION_MAX - 1).join('')}…`;
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
const name = (locale: Locale, text: LocalizedText | null | undefined) => localized(text, locale);

/** A category as a GeoReport v2 service. */
export function service(locale: Locale, c: ReportCategory) {
  return { service_code: c.slug, service_name: name(locale, c.names), description: name(locale, c.names), metadata: c.questions.length > 0, type: 'realtime', keywords: '', group: '' };
}

/** A category's question as a service definition's attribute. */
export function attribute(locale: Locale, q: ReportQuestion, order: number) {
  return {
    variable: true, code: q.key, datatype: DATATYPE[q.kind], required: q.required, datatype_description: null, order, description: name(locale, q.labels),
    ...(q.options ? { values: q.options.map((o) => ({ key: o.value, name: name(locale, o.labels) })) } : {}),
  };
}

type RequestRow = Awaited<ReturnType<typeof open311Requests>>[number];

/** A report as a GeoReport v2 service request. */
export function request(locale: Locale, r: RequestRow) {
  const open = OPEN_STATUSES.includes(r.status);
  return {
    service_request_id: String(r.number), status: open ? 'open' : 'closed', status_notes: r.status_notes ?? null,
    service_name: name(locale, r.service_names), service_code: r.service_code, description: publishedDescription(r.description || r.title),
    agency_responsible: r.department_names ? name(locale, r.department_names) : null, service_notice: null,
    requested_datetime: iso(r.created_at), updated_datetime: iso(r.updated_at),
    expected_datetime: open ? iso(new Date(new Date(r.created_at).getTime() + r.fix_days * 86_400_000)) : null,
    address: r.address, address_id: null, zipcode: null, lat: r.located ? r.lat : null, long: r.located ? r.lng : null, media_url: null,
  };
}
