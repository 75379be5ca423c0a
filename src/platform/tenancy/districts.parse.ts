import slugify from '@sindresorhus/slugify';
import type { LocalizedText } from '../../db/schema.ts';

/** A district read from GeoJSON: its slug, names and outer rings as [longitude, latitude] points. */
export interface ParsedDistrict { slug: string; names: LocalizedText; rings: [number, number][][] }

export type ParseProblem =
  | { problem: 'json' | 'collection' | 'empty' | 'tooMany' }
  | { problem: 'geometry' | 'name' | 'ring' | 'duplicate'; feature: number };

/** The most districts a municipality has, and the most points one may be drawn with. */
export const MAX_DISTRICTS = 200;
const MAX_POINTS = 50_000;

// OpenStreetMap's name tags, as boundary exports carry them, to Hromada's locales.
const NAME_TAGS: Record<string, string> = { 'name:uk': 'uk', 'name:en': 'en', 'name:pl': 'pl', 'name:sr': 'sr-Cyrl', 'name:sr-Latn': 'sr-Latn' };
const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

const isPoint = (p: unknown): p is [number, number] =>
  Array.isArray(p) && p.length >= 2 && typeof p[0] === 'number' && typeof p[1] === 'number' && Math.abs(p[0]) <= 180 && Math.abs(p[1]) <= 90;

/** The outer ring of each polygon (holes are left out: a place in a hole counts as in the district). */
function ringsOf(geometry: { type?: unknown; coordinates?: unknown } | null | undefined): unknown[][] | null {
  if (geometry?.type === 'Polygon' && Array.isArray(geometry.coordinates)) return [geometry.coordinates[0]];
  if (geometry?.type === 'MultiPolygon' && Array.isArray(geometry.coordinates)) return geometry.coordinates.map((p) => (Array.isArray(p) ? p[0] : null));
  return null;
}

function namesOf(props: Record<string, unknown>, defaultLocale: string): LocalizedText | null {
  const names: LocalizedText = {};
  for (const [tag, locale] of Object.entries(NAME_TAGS)) if (typeof props[tag] === 'string' && props[tag]) names[locale] = String(props[tag]).slice(0, 120);
  if (typeof props.name === 'string' && props.name && !names[defaultLocale]) names[defaultLocale] = props.name.slice(0, 120);
  return Object.keys(names).length > 0 ? names : null;
}

/**
 * Reads districts from a GeoJSON FeatureCollection of Polygon or MultiPolygon features named by `name`
 * (and `name:uk`, `name:en`…); the slug is `slug` or `ref` where given, else made from the name.
 */
export function parseDistricts(text: string, defaultLocale: string): { ok: true; districts: ParsedDistrict[] } | ({ ok: false } & ParseProblem) {
  let doc: { type?: unknown; features?: unknown };
  try {
    doc = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'json' };
  }
  if (doc?.type !== 'FeatureCollection' || !Array.isArray(doc.features)) return { ok: false, problem: 'collection' };
  if (doc.features.length === 0) return { ok: false, problem: 'empty' };
  if (doc.features.length > MAX_DISTRICTS) return { ok: false, problem: 'tooMany' };
  const districts: ParsedDistrict[] = [];
  const slugs = new Set<string>();
  for (const [i, f] of (doc.features as { properties?: Record<string, unknown>; geometry?: { type?: unknown; coordinates?: unknown } }[]).entries()) {
    const feature = i + 1;
    const rings = ringsOf(f?.geometry);
    if (!rings) return { ok: false, problem: 'geometry', feature };
    const props = f.properties ?? {};
    const names = namesOf(props, defaultLocale);
    if (!names) return { ok: false, problem: 'name', feature };
    if (!rings.every((r) => Array.isArray(r) && r.length >= 4 && r.length <= MAX_POINTS && r.every(isPoint))) return { ok: false, problem: 'ring', feature };
    const given = [props.slug, props.ref].find((v) => typeof v === 'string' && SLUG.test(v.toLowerCase())) as string | undefined;
    const slug = (given?.toLowerCase() ?? slugify(names.en ?? names['sr-Latn'] ?? names.pl ?? Object.values(names)[0]!)).slice(0, 63);
    if (!SLUG.test(slug) || slugs.has(slug)) return { ok: false, problem: 'duplicate', feature };
    slugs.add(slug);
    districts.push({ slug, names, rings: rings.map((r) => (r as [number, number][]).map(([x, y]) => [x, y])) });
  }
  return { ok: true, districts };
}

/** A ring as PostgreSQL polygon text: `((lng,lat),…)`. */
export const polygonText = (ring: [number, number][]) => `(${ring.map(([x, y]) => `(${x},${y})`).join(',')})`;
