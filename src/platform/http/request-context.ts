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
export const RESERVED_SLUGS = ['account', 'admin', 'api', 'assets', 'setup', 'dev', 'auth', 'healthz', 'readyz', 'metrics', 'open311', 'feeds', 'search', 'about'];

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
    const [first, second] = segments(req.url);
    const pathLocale = isLocale(first) ? first : null;
    if (pathLocale && second && !RESERVED_SLUGS.includes(second) && /^[a-z0-9-]+$/.test(second)) {
      req.municipality = await municipalityBySlug(deps, second);
    }
    const token = req.cookies[SESSION_COOKIE];
    if (token) req.user = await loadSessionUser(deps.db, token);
    req.locale = pathLocale ?? (isLocale(req.user?.locale) ? req.user.locale as Locale : DEFAULT_LOCALE);
    req.t = translator(req.locale);
    req.fmt = formatters(req.locale, req.municipality?.time_zone);
    // Routes under /:locale and /:locale/:municipality answer 404 for an unknown locale or municipality,
    // and a module's pages 404 where the municipality has not switched it on.
    const route = req.routeOptions.url ?? '';
    if (route.startsWith('/:locale') && !pathLocale) return reply.callNotFound();
    if (route.startsWith('/:locale/:municipality')) {
      if (!req.municipality) return reply.callNotFound();
      const moduleId = route.split('/')[3];
      const mod = moduleId ? allModules().find((m) => m.id === moduleId) : undefined;
      if (mod && !req.municipality.enabled_modules.includes(mod.id)) return reply.callNotFound();
    }
  });
}

/** Sends the visitor to the sign-in page, returning here afterwards. */
export function redirectToSignIn(req: FastifyRequest, reply: FastifyReply) {
  return reply.redirect(`/${req.locale}/account/sign-in?next=${encodeURIComponent(req.url)}`, 303);
}

/** Only local paths may be a post-sign-in destination (no open redirects). */
export function safeNext(next: unknown, fallback: string): string {
  return typeof next === 'string' && /^\/[^/\\]/.test(next) ? next : fallback;
}
