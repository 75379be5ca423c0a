import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { compressible } from './encoding.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const publicDir = path.join(root, 'public');
/** Where `npm run build:assets` (and a start that finds nothing there) keeps the compressed copies. */
export const distDir = path.join(root, 'dist', 'assets');

/** One file as served under /assets/: its bytes and, for text, the same bytes compressed with brotli and gzip. */
export interface Asset {
  url: string;
  file: string;
  type: string;
  /** Content hash: in the URL of bundles (so they are cached for a year) and in every ETag. */
  hash: string;
  immutable: boolean;
  identity: Buffer;
  br?: Buffer;
  gzip?: Buffer;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.ico': 'image/x-icon', '.webmanifest': 'application/manifest+json', '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8', '.xml': 'application/xml', '.woff2': 'font/woff2', '.webp': 'image/webp',
};

async function bundle(entry: string): Promise<Buffer> {
  const result = await build({
    entryPoints: [path.join(publicDir, entry)],
    bundle: true, minify: true, format: 'esm', target: 'es2020', write: false, logLevel: 'silent',
    // Leaflet's stylesheet points at its PNGs: inline them, so the bundle stands alone.
    loader: { '.png': 'dataurl', '.svg': 'dataurl' },
  });
  return Buffer.from(result.outputFiles[0]!.contents);
}

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/**
 * The highest levels: an asset is compressed once per build, not per request (the map bundle: 183 KB,
 * 46 KB as brotli 11, 52 KB as gzip 9). A copy in `dist/assets` named by the content hash is taken as it
 * is, so a restart does not compress again and a changed source can never meet a stale copy.
 */
async function precompress(asset: Asset, save: boolean): Promise<void> {
  if (!compressible(asset.type)) return;
  const name = fingerprintedName(asset);
  const [br, gz] = await Promise.all([
    cachedOr(`${name}.br`, () => brotli(asset.identity, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: asset.identity.length } }), save),
    cachedOr(`${name}.gz`, () => gzip(asset.identity, { level: 9 }), save),
  ]);
  // A coding that saves nothing is not offered: the file goes as it is.
  if (br.length < asset.identity.length) asset.br = br;
  if (gz.length < asset.identity.length) asset.gzip = gz;
}

async function cachedOr(name: string, make: () => Promise<Buffer>, save: boolean): Promise<Buffer> {
  const file = path.join(distDir, name);
  try {
    return fs.readFileSync(file);
  } catch { /* not built yet */ }
  const body = await make();
  if (save) {
    try {
      fs.mkdirSync(distDir, { recursive: true });
      // Written aside and renamed, so a process starting meanwhile never reads half a file.
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, body);
      fs.renameSync(tmp, file);
    } catch { /* a read-only install compresses at each start instead */ }
  }
  return body;
}

/** `app.0123456789.js`: the name a file's copies in dist/ go by, whether or not its URL carries the hash. */
const fingerprintedName = (a: Asset) => `${path.basename(a.file, path.extname(a.file))}.${a.hash}${path.extname(a.file)}`;

function asset(file: string, body: Buffer, fingerprinted: boolean): Asset {
  const hash = crypto.createHash('sha256').update(body).digest('hex').slice(0, 10);
  const ext = path.extname(file);
  const url = fingerprinted ? `/assets/${path.basename(file, ext)}.${hash}${ext}` : `/assets/${file}`;
  return { url, file, type: TYPES[ext] ?? 'application/octet-stream', hash, immutable: fingerprinted, identity: body };
}

/** `app` is on every page; `map` (Leaflet with clustering) only where a page shows a map. */
export type Bundle = 'app.css' | 'app.js' | 'map.css' | 'map.js';

/**
 * Bundles the page scripts and styles with esbuild, fingerprints them, takes every other file at the top of
 * public/ (icon, manifest…) as it is, and compresses each text file with brotli and gzip.
 */
export async function buildAllAssets(save = true): Promise<{ bundles: Record<Bundle, Asset>; files: Asset[] }> {
  const [appJs, mapJs, mapCss] = await Promise.all([bundle('scripts/main.ts'), bundle('scripts/map.ts'), bundle('css/map.css')]);
  const bundles: Record<Bundle, Asset> = {
    'app.css': asset('app.css', fs.readFileSync(path.join(publicDir, 'css/app.css')), true),
    'app.js': asset('app.js', appJs, true),
    'map.css': asset('map.css', mapCss, true),
    'map.js': asset('map.js', mapJs, true),
  };
  const files = fs.readdirSync(publicDir, { withFileTypes: true })
    .filter((e) => e.isFile() && !e.name.startsWith('.'))
    .map((e) => asset(e.name, fs.readFileSync(path.join(publicDir, e.name)), false));
  const all = [...Object.values(bundles), ...files];
  await Promise.all(all.map((a) => precompress(a, save)));
  return { bundles, files };
}

/**
 * Writes every asset and its compressed copies to `dist/assets` under its fingerprinted name (a proxy in
 * front can serve the bundles there by their URL) and removes copies of earlier builds.
 */
export async function writeAssets(): Promise<Asset[]> {
  const { bundles, files } = await buildAllAssets(true);
  const all = [...Object.values(bundles), ...files];
  const keep = new Set<string>();
  for (const a of all) {
    const name = fingerprintedName(a);
    fs.writeFileSync(path.join(distDir, name), a.identity);
    for (const suffix of ['', '.br', '.gz']) keep.add(name + suffix);
  }
  for (const f of fs.readdirSync(distDir)) if (!keep.has(f)) fs.rmSync(path.join(distDir, f));
  return all;
}
