import { providerName } from '../auth/identity/finish.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren, VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { localized } from '../i18n/i18n.ts';
import { enabledModules } from '../modules-registry.ts';
import { ViewCtx, type Flash, type ViewContext } from '../views/context.ts';
import { Layout } from '../views/layout.tsx';
import { csrfToken as makeCsrfToken } from './csrf.ts';
import type { PageMeta } from '../views/head.tsx';
import { takeFlash } from './flash.ts';
import { resolveLabels } from './forms.ts';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
import type { Deps } from './deps.ts';
import { assetUrls } from './assets.ts';
import { associationNames } from '../tenancy/municipality.repo.ts';
import { unreadCount } from '../notify/notify.repo.ts';

let associationCache: { at: number; names: Awaited<ReturnType<typeof associationNames>> } | null = null;

async function associationName(deps: Deps, req: FastifyRequest): Promise<string> {
  if (!associationCache || Date.now() - associationCache.at > 5000) {
    associationCache = { at: Date.now(), names: await associationNames(deps.db) };
  }
  return localized(associationCache.names, req.locale) || 'Hromada';
}

/** What every view of this request knows without asking the database: language, formatters, municipality, path. */
function requestBasics(req: FastifyRequest) {
  const m = req.municipality;
  const path = req.url.split('?')[0]!;
  return {
    locale: req.locale,
    t: req.t,
    fmt: req.fmt,
    municipality: m,
    municipalityName: m ? localized(m.names, req.locale) : '',
    pathAfterLocale: path.replace(/^\/[^/]+/, '') || '/',
    currentPath: path,
    assets: assetUrls(),
  };
}

/** Builds the view context of this request. */
export async function viewContext(deps: Deps, req: FastifyRequest, reply: FastifyReply, flash?: Flash | null): Promise<ViewContext> {
  const m = req.municipality;
  const nav = m
    ? enabledModules(m).map((mod) => ({ href: `/${req.locale}/${m.slug}/${mod.id}`, label: req.t(mod.nameKey) }))
    : [];
  let csrfToken: string | undefined;
  return {
    ...requestBasics(req),
    baseUrl: deps.config.baseUrl,
    user: req.user,
    associationName: await associationName(deps, req),
    nav,
    // Made only when a form asks for it: a page without a form then sets no CSRF cookie and is the same for
    // every anonymous visitor, so the shared cache may keep it (page-cache.ts); one with a form is personal.
    get csrfToken() {
      if (csrfToken === undefined) {
        csrfToken = makeCsrfToken(req, reply);
        markPersonal(reply);
      }
      return csrfToken;
    },
    flash: flash === undefined ? takeFlash(req, reply) : flash,
    unreadNotifications: req.user ? await unreadCount(deps.db, req.user.id) : 0,
    identityProviders: deps.config.identityProviders.map((p) => ({ id: p.id, name: providerName(p, req.locale) })),
    shownLabels: new Map(),
  };
}

/** This answer is for one visitor only (signed in, a flash, a CSRF token): no shared cache, no browser cache. */
export function markPersonal(reply: FastifyReply): void {
  reply.header('cache-control', 'private, no-store');
}

/** Renders a page inside the layout and sends it. */
export async function render(
  deps: Deps,
  req: FastifyRequest,
  reply: FastifyReply,
  page: { title: string; body: ComponentChildren; status?: number; wide?: boolean; meta?: PageMeta },
): Promise<FastifyReply> {
  const ctx = await viewContext(deps, req, reply);
  const tree: VNode = (
    <ViewCtx.Provider value={ctx}>
      <Layout title={page.title} wide={page.wide} meta={page.meta} status={page.status}>{page.body}</Layout>
    </ViewCtx.Provider>
  );
  // An anonymous page may be reused, but only after asking again (the shared cache, when it keeps the page,
  // says for how long); the CSRF token's getter marks a page with a form while it renders.
  reply.header('cache-control', 'no-cache');
  // Error messages were written before the page: name each field by the label the page shows for it.
  const html = `<!doctype html>${resolveLabels(renderToString(tree), ctx.shownLabels, req.t, escapeHtml)}`;
  if (ctx.user || ctx.flash) markPersonal(reply);
  return reply.code(page.status ?? 200).header('content-type', 'text/html; charset=utf-8').send(html);
}

/**
 * Sends a piece of a page (no layout) that scripts fetch to refresh part of a page they show. It is the
 * same for everyone who may see it, so it carries no user, CSRF token or flash; `cacheSeconds` lets
 * browsers and a proxy in front absorb polling during a rush.
 */
export function renderFragment(req: FastifyRequest, reply: FastifyReply, body: ComponentChildren, cacheSeconds: number | null): FastifyReply {
  const ctx: ViewContext = {
    ...requestBasics(req), baseUrl: '', user: null, associationName: '', nav: [], csrfToken: '', flash: null, unreadNotifications: 0, identityProviders: [],
    shownLabels: new Map(),
  };
  return reply
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', cacheSeconds === null ? 'private, no-store' : `public, max-age=${cacheSeconds}`)
    .send(renderToString(<ViewCtx.Provider value={ctx}>{body}</ViewCtx.Provider>));
}
