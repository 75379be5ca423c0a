import zlib from 'node:zlib';
import compress from '@fastify/compress';
import type { App } from './deps.ts';

/** The content codings the platform sends, in the order it prefers them when a client accepts several equally. */
export type Coding = 'br' | 'gzip';
const CODINGS: readonly Coding[] = ['br', 'gzip'];

/**
 * The coding to answer in for an `Accept-Encoding` header (RFC 9110 §12.5.3): the acceptable one with the
 * highest q-value, brotli before gzip on a tie; `*` stands for any coding not named; null means identity.
 */
export function negotiateCoding(header: string | string[] | undefined): Coding | null {
  if (!header) return null;
  const q: Record<string, number> = {};
  for (const part of String(header).toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    if (!name) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = qParam ? Number(qParam.slice(2)) : 1;
    q[name.trim()] = Number.isFinite(value) ? value : 0;
  }
  let best: Coding | null = null;
  let bestQ = 0;
  for (const c of CODINGS) {
    const value = q[c] ?? q['*'] ?? 0;
    if (value > bestQ) {
      best = c;
      bestQ = value;
    }
  }
  return best;
}

/**
 * Dynamic answers are compressed per response, so CPU counts more than the last percent: brotli at quality 4
 * (@fastify/compress's default for on-the-fly work) costs about what gzip 6 does (17 KB of CSS: 170 µs against
 * 120 µs on this machine, where quality 11 takes 20 ms) at about the same size. Static assets are compressed
 * once at build time at the highest levels instead (asset-build.ts), and cached pages once per lifetime.
 */
const BROTLI_DYNAMIC = { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } };
const GZIP_DYNAMIC = { level: 6 };
/** Below this a body fits one packet or two anyway; compressing it saves nothing worth its CPU. */
export const COMPRESS_THRESHOLD = 1024;

/** Compresses a dynamic body (a page for the shared cache) with the same settings as every other dynamic answer. */
export function compressDynamic(body: Buffer, coding: Coding): Buffer {
  return coding === 'br'
    ? zlib.brotliCompressSync(body, { ...BROTLI_DYNAMIC, params: { ...BROTLI_DYNAMIC.params, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length } })
    : zlib.gzipSync(body, GZIP_DYNAMIC);
}

/** Text types worth compressing: HTML, CSS, scripts, JSON (GeoJSON, Open311), XML (Atom, Open311), CSV, SVG. */
const COMPRESSIBLE = /^(?:text\/(?!event-stream)|image\/svg\+xml|application\/(?:[\w.-]+\+)?(?:json|xml|javascript)(?:;|$))/;

/** Whether a Content-Type is text that compresses (not images, PDFs or uploads, which are compressed already). */
export const compressible = (type: string | undefined): boolean => COMPRESSIBLE.test(type ?? '');

/**
 * Compresses every dynamic text answer per the request's Accept-Encoding (@fastify/compress adds
 * `Vary: Accept-Encoding` and Content-Encoding). Answers that already carry a Content-Encoding (precompressed
 * assets, the shared page cache) pass through untouched. Request bodies are not decompressed: no client needs
 * it, and a small gzip body could inflate past the body limit's intent.
 */
export async function registerCompression(app: App): Promise<void> {
  await app.register(compress, {
    global: true,
    globalDecompression: false,
    encodings: [...CODINGS],
    threshold: COMPRESS_THRESHOLD,
    brotliOptions: BROTLI_DYNAMIC,
    zlibOptions: GZIP_DYNAMIC,
    customTypes: COMPRESSIBLE,
  });
}
