import { isLocale, LOCALES } from '../i18n/i18n.ts';
import type { App, Deps } from '../http/deps.ts';
import { enabledModules } from '../modules-registry.ts';
import { listMunicipalities } from '../tenancy/municipality.repo.ts';

/** A public page, by its path after the locale, with the locale that `x-default` points to. */
export interface SitemapEntry {
  path: string;
  updated?: Date | undefined;
  defaultLocale: string;
}

/**
 * Pages per sitemap file. Each page is one `<url>` per locale (5) with 6 alternates, so a full file holds
 * 25,000 URLs, half the protocol's limit of 50,000, and stays far below its 50 MB.
 */
export const PAGES_PER_FILE = 5_000;

/** Every public page of the installation: the association's home, and per municipality its home, services and their items. */
export async function sitemapEntries(deps: Deps): Promise<SitemapEntry[]> {
  const entries: SitemapEntry[] = [{ path: '/', defaultLocale: LOCALES[0] }];
  for (const m of await listMunicipalities(deps.db)) {
    const defaultLocale = isLocale(m.default_locale) ? m.default_locale : LOCALES[0];
    const mods = enabledModules(m);
    entries.push({ path: `/${m.slug}/`, defaultLocale }, ...mods.map((mod) => ({ path: `/${m.slug}/${mod.id}`, defaultLocale })));
    for (const mod of mods) {
      for (const page of (await mod.publicPages?.(deps.db, m)) ?? []) entries.push({ path: `/${m.slug}${page.path}`, updated: page.updated, defaultLocale });
    }
  }
  return entries;
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** One `<urlset>`: each page in every locale, each naming all its language versions (Google's hreflang in sitemaps). */
export function urlset(baseUrl: string, entries: SitemapEntry[]): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>',
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">'];
  for (const e of entries) {
    const alternates = [...LOCALES.map((l) => [l, l]), ['x-default', e.defaultLocale]]
      .map(([lang, l]) => `<xhtml:link rel="alternate" hreflang="${lang}" href="${xml(`${baseUrl}/${l}${e.path}`)}"/>`).join('');
    const lastmod = e.updated && e.updated.getTime() > 0 ? `<lastmod>${e.updated.toISOString().slice(0, 10)}</lastmod>` : '';
    for (const l of LOCALES) out.push(`<url><loc>${xml(`${baseUrl}/${l}${e.path}`)}</loc>${lastmod}${alternates}</url>`);
  }
  out.push('</urlset>');
  return out.join('\n');
}

/** A `<sitemapindex>` of `files` sitemap files. */
export function sitemapIndex(baseUrl: string, files: number): string {
  const items = Array.from({ length: files }, (_, i) => `<sitemap><loc>${baseUrl}/sitemaps/${i + 1}.xml</loc></sitemap>`);
  return ['<?xml version="1.0" encoding="UTF-8"?>', '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">', ...items, '</sitemapindex>'].join('\n');
}

/**
 * `/sitemap.xml`: the pages themselves while they fit one file, else an index of `/sitemaps/<n>.xml`.
 * Built per request (a few indexed queries); crawlers may keep it an hour.
 */
export function registerSitemap(app: App, deps: Deps, perFile = PAGES_PER_FILE): void {
  const send = (reply: import('fastify').FastifyReply, body: string) =>
    reply.type('application/xml; charset=utf-8').header('cache-control', 'public, max-age=3600').send(body);
  app.get('/sitemap.xml', { schema: { hide: true } }, async (_req, reply) => {
    const entries = await sitemapEntries(deps);
    if (entries.length <= perFile) return send(reply, urlset(deps.config.baseUrl, entries));
    return send(reply, sitemapIndex(deps.config.baseUrl, Math.ceil(entries.length / perFile)));
  });
  app.get('/sitemaps/:file', { schema: { hide: true } }, async (req, reply) => {
    const n = Number(/^([1-9]\d{0,5})\.xml$/.exec((req.params as { file: string }).file)?.[1] ?? 0);
    const entries = await sitemapEntries(deps);
    const page = entries.slice((n - 1) * perFile, n * perFile);
    if (n === 0 || page.length === 0 || entries.length <= perFile) return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
    return send(reply, urlset(deps.config.baseUrl, page));
  });
}
