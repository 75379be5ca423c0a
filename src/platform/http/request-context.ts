import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Municipality } from '../../db/schema.ts';
import type { CurrentUser } from '../auth/current-user.ts';
import { loadSessionUser, SESSION_COOKIE } from '../auth/sessions.ts';
import { DEFAULT_LOCALE, formatters, isLocale, translator, type Locale, type Translate } from '../i18n/i18n.ts';
import { findMunicipalityBySlug } from '../tenancy/municipality.repo.ts';
import type { App, Deps } from './deps.ts';
import { allModules } from '../modules-registry.ts';

declare module 'fastify' {
  interface FastifyRequest {
    locale: Locale;
    t: Translate;
    fmt: ReturnType<typeof formatters>;
    municipality: Municipality | null;
    user: CurrentUser | null;
  }
}

/** First path segments that are platform pages, never municipality slugs. */
export const RESERVED_SLUGS = ['account', 'admin', 'api', 'assets', 'setup', 'dev', 'auth', 'healthz', 'readyz', 'metrics', 'open311', 'feeds', 'search', 'about', 'ledger', 'openapi', '.well-known'];

// Municipalities are read on every request and change rarely: a 2-second cache per process keeps
// several web processes consistent enough while sparing the database most of those reads.
const MUNICIPALITY_TTL_MS = 2000;
const municipalityCache = new Map<string, { at: number; value: Municipality | null }>();

async function municipalityBySlug(deps: Deps, slug: string): Promise<Municipality | null> {
  const hit = municipalityCache.get(slug);
  if (hit && Date.now() - hit.at < MUNICIPALITY_TTL_MS) return hit.value;
  const value = (await findMunicipalityBySlug(deps.db, slug)) ?? null;
  if (municipalityCache.size > 1000) municipalityCache.clear();
  municipalityCache.set(slug, { at: Date.now(), value });
  return value;
}

/** Forgets cached municipalities after an administrator changes one. */
export function forgetMunicipality(slug: string): void {
  municipalityCache.delete(slug);
}

function segments(url: string): string[] {
  return url.split('?')[0]!.split('/').filter(Boolean);
}

/** Resolves locale, municipality and signed-in user before any handler runs. */
export function registerRequestContext(app: App, deps: Deps): void {
  app.decorateRequest('locale', DEFAULT_LOCALE);
  app.decorateRequest('t', null as unknown as Translate);
  app.decorateRequest('fmt', null as unknown as ReturnType<typeof formatters>);
  app.decorateRequest('municipality', null);
  app.decorateRequest('user', null);

  app.addHook('onRequest', async (req, reply) => {
    const parts = segments(req.url);
    const pathLocale = isLocale(parts[0]) ? parts[0] : null;
    // The municipality is the segment after the locale on pages, and after /api/v1 in the JSON API.
    const slug = pathLocale ? parts[1] : parts[0] === 'api' && parts[1] === 'v1' ? parts[2] : undefined;
    if (slug && !RESERVED_SLUGS.includes(slug) && /^[a-z0-9-]+$/.test(slug)) {
      req.municipality = await municipalityBySlug(deps, slug);
    }
    const token = req.cookies[SESSION_COOKIE];
    if (token) req.user = await loadSessionUser(deps.db, token);
    req.locale = pathLocale ?? (isLocale(req.user?.locale) ? req.user.locale as Locale : DEFAULT_LOCALE);
    req.t = translator(req.locale);
    req.fmt = formatters(req.locale, req.municipality?.time_zone);
    // Routes under /:locale and /:locale/:municipality (or /api/v1/:municipality) answer 404 for an unknown
    // locale or municipality, and a module's pages 404 where the municipality has not switched it on.
    const route = req.routeOptions.url ?? '';
    if (route.startsWith('/:locale') && !pathLocale) return reply.callNotFound();
    const scoped = route.startsWith('/:locale/:municipality') ? 3 : route.startsWith('/api/v1/:municipality') ? 4 : 0;
    if (scoped) {
      if (!req.municipality) return reply.callNotFound();
      // `petitions.csv` belongs to the petitions module as much as `petitions/12` does.
      const moduleId = route.split('/')[scoped]?.split('.')[0];
      const mod = moduleId ? allModules().find((m) => m.id === moduleId) : undefined;
      if (mod && !req.municipality.enabled_modules.includes(mod.id)) return reply.callNotFound();
    }
  });
}

/** Sends the visitor to the sign-in page, returning here afterwards. */
export function redirectToSignIn(req: FastifyRequest, reply: FastifyReply, reason?: string) {
  // `reason` (registered with registerSignInReason) lets the sign-in page say why and offer a guest route.
  return reply.redirect(`/${req.locale}/account/sign-in?next=${encodeURIComponent(req.url)}${reason ? `&reason=${reason}` : ''}`, 303);
}

/** A formRoute guard: visitors who are not signed in are sent to sign in first. */
export const signedIn = (req: FastifyRequest, reply: FastifyReply) => (req.user ? undefined : redirectToSignIn(req, reply));

// Bases no one can reach: a `next` that resolves elsewhere against either was not a path of this site.
// Both schemes, since `https:evil.example` is a path on an https site and another host on an http one.
const NEXT_BASES = [new URL('https://next.invalid/'), new URL('http://next.invalid/')];

function sameOriginPath(next: string, base: URL): string | null {
  try {
    const url = new URL(next, base);
    return url.origin === base.origin && !url.username && !url.password ? url.pathname + url.search + url.hash : null;
  } catch {
    return null;
  }
}

/**
 * The one check of a post-sign-in destination (no open redirects): `next` is parsed as a browser would
 * (WHATWG URL against a base, so tabs and newlines vanish and `\` counts as `/`) and kept only when it
 * stays on the same origin; the answer is the normalised path, query and fragment, safe in a header.
 */
export function safeNext(next: unknown, fallback: string): string {
  if (typeof next !== 'string' || next.trim() === '' || next.length > 2000) return fallback;
  const [https, http] = NEXT_BASES.map((base) => sameOriginPath(next, base));
  return https && https === http ? https : fallback;
}
