import type { FastifyReply, FastifyRequest } from 'fastify';
import { buildAllAssets, type Asset, type Bundle } from './asset-build.ts';
import type { App } from './deps.ts';
import { negotiateCoding } from './encoding.ts';

let bundles: Record<Bundle, Asset> | null = null;
const byUrl = new Map<string, Asset>();
let building: Promise<void> | null = null;

/**
 * Builds, fingerprints and precompresses the page scripts, styles and public files, once per process
 * (tests build many apps in one process; the bundles do not change while it runs).
 */
export function buildAssets(): Promise<void> {
  building ??= buildAllAssets().then((built) => {
    bundles = built.bundles;
    for (const a of [...Object.values(built.bundles), ...built.files]) byUrl.set(a.url, a);
  });
  return building;
}

export function assetUrls(): { css: string; js: string; mapCss: string; mapJs: string } {
  if (!bundles) throw new Error('buildAssets() has not run');
  return { css: bundles['app.css'].url, js: bundles['app.js'].url, mapCss: bundles['map.css'].url, mapJs: bundles['map.js'].url };
}

/** Whether an If-None-Match header names this entity tag (weak comparison, as RFC 9110 §13.1.2 asks for GET). */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

/**
 * Sends an asset in the coding the client prefers among those built, with its own ETag per coding (the
 * bytes differ, so a strong tag must too) and `Vary: Accept-Encoding`; a matching If-None-Match gets a 304.
 */
function sendAsset(req: FastifyRequest, reply: FastifyReply, a: Asset): FastifyReply {
  const offered = negotiateCoding(req.headers['accept-encoding']);
  const coding = offered && a[offered] ? offered : null;
  const etag = `"${a.hash}${coding ? `-${coding}` : ''}"`;
  reply
    .header('cache-control', a.immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=86400')
    .header('etag', etag);
  if (a.br || a.gzip) reply.header('vary', 'accept-encoding');
  if (matches(req.headers['if-none-match'], etag)) return reply.code(304).send();
  if (coding) reply.header('content-encoding', coding);
  return reply.type(a.type).send(coding ? a[coding] : a.identity);
}

/** Serves the fingerprinted bundles (cached for a year) and the other files of public/, precompressed. */
export function registerAssets(app: App): void {
  // The bytes are compressed already (or not worth compressing): the dynamic compressor stays out.
  app.get('/assets/:file', { schema: { hide: true }, compress: false }, async (req, reply) => {
    const a = byUrl.get(`/assets/${(req.params as { file: string }).file}`);
    return a ? sendAsset(req, reply, a) : reply.callNotFound();
  });
}
