import type { FastifyRequest, FastifySchema, RouteOptions } from 'fastify';
import { Type, type TSchema } from 'typebox';
import type { App } from './deps.ts';

/**
 * The platform's rules for input that arrives outside a route's own schema (docs/ARCHITECTURE.md, "Bad input"):
 *
 * - Every path parameter is declared in the route's `params` schema (checked when the route is registered), and
 *   query parameters a route reads are declared in its `querystring` schema; Fastify validates both before the
 *   handler runs, the same as bodies.
 * - A query parameter given more than once (`?q=a&q=b`) is refused with a field error unless its schema is an
 *   array: one rule everywhere, since silently taking the first or the last hides a client's bug.
 * - Control characters are refused in ONE place, here: NUL and the other C0 controls and DEL anywhere in the
 *   query, the path and the keys and values of a body; TAB, LF and CR are allowed only in bodies (multi-line text).
 *   PostgreSQL cannot store NUL, and no single-line value needs the others.
 */

/** A route as registered, for tests that walk every route. */
export interface RouteEntry {
  method: string;
  url: string;
  schema?: FastifySchema;
  config?: unknown;
}

/** Largest value of a PostgreSQL `integer`: ids, numbers and counts in paths and queries stay below it. */
export const MAX_INT = 2_147_483_647;

/** A positive id or number (petition, report, row id) as it appears in a path or query. */
export const Id = (opts: { maximum?: number } = {}) => Type.Integer({ minimum: 1, maximum: opts.maximum ?? MAX_INT });

/** A short single-line text parameter (search words, slugs, tokens). */
export const Text = (maxLength = 200) => Type.String({ maxLength });

/** A slug as the platform makes them (categories, modules, providers). */
export const Slug = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' });

/**
 * Path parameters with one meaning across the platform, declared here once, so a parameter's name says what it
 * is: request-context resolves the locale and the municipality (404 when unknown); `:number` (a petition's, a
 * report's) and `:id` (a row of an `integer` column) are positive integers in range; `:token` is a random
 * URL-safe secret; `:file` a file name with its extension. A route declares any other parameter (or a different
 * meaning of one of these, e.g. a UUID `:id`) in its own `params` schema, which wins.
 */
export const SHARED_PARAMS: Record<string, TSchema> = {
  locale: Type.String({ maxLength: 10 }),
  municipality: Type.String({ maxLength: 100 }),
  number: Id({ maximum: 999_999_999 }),
  id: Id(),
  slug: Slug,
  module: Slug,
  provider: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$' }),
  token: Type.String({ pattern: '^[A-Za-z0-9_-]{1,200}$' }),
  file: Type.String({ pattern: '^[^/]{1,200}$' }),
};

export type InputProblem = { keyword: 'controlCharacters' | 'repeated' | 'maximum'; field: string; context: 'querystring' | 'params' | 'body'; limit?: number };

// C0 controls and DEL; in bodies TAB, LF and CR are text.
const SINGLE_LINE = /[\u0000-\u001f\u007f]/;
const MULTI_LINE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** The first key or value of `input` (nested) holding a control character, as a field name; null when clean. */
function controlField(input: unknown, bad: RegExp, field = '', depth = 0, seen = new WeakSet<object>()): string | null {
  if (typeof input === 'string') return bad.test(input) ? field || '_form' : null;
  if (input === null || typeof input !== 'object' || depth > 20 || seen.has(input)) return null;
  seen.add(input);
  // Uploaded files (multipart) are buffers and streams, checked by content elsewhere.
  if (Buffer.isBuffer(input) || typeof (input as { pipe?: unknown }).pipe === 'function') return null;
  for (const [k, v] of Object.entries(input)) {
    const name = field || k;
    if (bad.test(k)) return name;
    const found = controlField(v, bad, name, depth + 1, seen);
    if (found) return found;
  }
  return null;
}

/** Whether a schema property accepts a list (then repeating its key is how the list is sent). */
function acceptsArray(schema: unknown): boolean {
  if (!schema || typeof schema !== 'object') return true; // undeclared: the route does not read it
  const s = schema as { type?: unknown; anyOf?: unknown[]; oneOf?: unknown[] };
  if (s.type === 'array' || (Array.isArray(s.type) && s.type.includes('array'))) return true;
  return [...(s.anyOf ?? []), ...(s.oneOf ?? [])].some(acceptsArray);
}

function isNumeric(schema: unknown): schema is { maximum?: number } {
  const type = (schema as { type?: unknown } | undefined)?.type;
  return type === 'integer' || type === 'number';
}

/**
 * A declared number given as text that is no finite number ("1e309", "-1e999"): Ajv's coercion turns it into
 * ±Infinity, which then passes `integer`, `minimum` and `maximum` alike and reaches the database.
 */
function overflow(values: unknown, schema: unknown, context: 'querystring' | 'params'): InputProblem | null {
  const declared = (schema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
  for (const [k, v] of Object.entries((values ?? {}) as Record<string, unknown>)) {
    const s = declared[k];
    if (isNumeric(s) && typeof v === 'string' && v.trim() !== '' && Number.isNaN(Number(v)) === false && !Number.isFinite(Number(v))) {
      return { keyword: 'maximum', field: k, context, ...(s.maximum !== undefined ? { limit: s.maximum } : {}) };
    }
  }
  return null;
}

/** The first problem of a request's input that schemas cannot express, or null. */
export function inputProblem(req: FastifyRequest): InputProblem | null {
  const rawPath = req.url.split('?')[0]!;
  let path = rawPath;
  try { path = decodeURIComponent(rawPath); } catch { /* the router has refused it already */ }
  if (SINGLE_LINE.test(path)) {
    const names = Object.keys((req.params ?? {}) as object);
    const field = controlField(req.params, SINGLE_LINE) ?? names[names.length - 1] ?? '_path';
    return { keyword: 'controlCharacters', field, context: 'params' };
  }
  const query = controlField(req.query, SINGLE_LINE);
  if (query) return { keyword: 'controlCharacters', field: query, context: 'querystring' };
  const declared = (req.routeOptions.schema?.querystring as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
  for (const [k, v] of Object.entries((req.query ?? {}) as Record<string, unknown>)) {
    if (Array.isArray(v) && k in declared && !acceptsArray(declared[k])) return { keyword: 'repeated', field: k, context: 'querystring' };
  }
  const schema = req.routeOptions.schema;
  const tooBig = overflow(req.params, schema?.params, 'params') ?? overflow(req.query, schema?.querystring, 'querystring');
  if (tooBig) return tooBig;
  const body = controlField(req.body, MULTI_LINE);
  if (body) return { keyword: 'controlCharacters', field: body, context: 'body' };
  return null;
}

/**
 * The control-character rule for fields a handler reads itself (a multipart form's, parsed after the hooks have
 * run): the first field holding one, as a problem to throw with validationError; null when clean.
 */
export function fieldsProblem(fields: Record<string, string>): InputProblem | null {
  const field = controlField(fields, MULTI_LINE);
  return field ? { keyword: 'controlCharacters', field, context: 'body' } : null;
}

/** A Fastify validation error, so the route's error handler answers it like any schema error. */
export function validationError(problem: InputProblem): Error {
  return Object.assign(new Error(`${problem.field}: ${problem.keyword}`), {
    statusCode: 400,
    validationContext: problem.context,
    validation: [{ keyword: problem.keyword, instancePath: `/${problem.field}`, params: problem.limit === undefined ? {} : { limit: problem.limit }, message: problem.keyword }],
  });
}

/**
 * Installs the input rules on `app`, before any route is registered; returns the list of registered routes.
 * A route with path parameters and no `params` schema fails at start, so a new module cannot forget it.
 */
export function registerInputRules(app: App): RouteEntry[] {
  const routes: RouteEntry[] = [];
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = ([] as string[]).concat(route.method);
    const names = [...route.url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
    const own = (route.schema?.params as { properties?: Record<string, TSchema> } | undefined)?.properties ?? {};
    const missing = names.filter((n) => !(n in own) && !(n in SHARED_PARAMS));
    if (missing.length > 0) throw new Error(`Route ${methods.join(',')} ${route.url}: path parameters ${missing.join(', ')} need a params schema`);
    if (names.length > 0) {
      const properties = Object.fromEntries(names.map((n) => [n, own[n] ?? SHARED_PARAMS[n]!]));
      route.schema = { ...(route.schema ?? {}), params: Type.Object(properties) };
    }
    for (const method of methods) {
      if (method === 'HEAD' && methods.length === 1 && routes.some((r) => r.url === route.url && r.method === 'GET')) continue;
      routes.push({ method, url: route.url, schema: route.schema, config: route.config });
    }
  });
  app.addHook('preValidation', async (req) => {
    const problem = inputProblem(req);
    if (problem) throw validationError(problem);
  });
  return routes;
}

/** A query string schema: every parameter optional, parameters nobody declared ignored. */
export const Query = (properties: Record<string, TSchema>) =>
  Type.Object(Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, Type.Optional(v)])));

/** A page number of a paginated list; beyond the last page the list is simply empty. */
export const Page = Type.Integer({ minimum: 1, maximum: 100_000 });

/** Text on one line (a return address, a search): no control characters, CR and LF included, wherever it comes from. */
export const SingleLine = (maxLength = 200) => Type.String({ maxLength, pattern: '^[^\\u0000-\\u001f\\u007f]*$' });
