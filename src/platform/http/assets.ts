import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { App } from './deps.ts';

const publicDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../public');

interface Asset { body: Buffer; type: string; url: string }
/** `app` is on every page; `map` (Leaflet with clustering, ~50 KB gzipped) only where a page shows a map. */
type Bundle = 'app' | 'map';
let assets: Record<`${Bundle}.${'css' | 'js'}`, Asset> | null = null;

function fingerprint(body: Buffer, name: string, ext: string, type: string): Asset {
  const hash = crypto.createHash('sha256').update(body).digest('hex').slice(0, 10);
  return { body, type, url: `/assets/${name}.${hash}.${ext}` };
}

async function bundle(entry: string): Promise<Buffer> {
  const result = await build({
    entryPoints: [path.join(publicDir, entry)],
    bundle: true, minify: true, format: 'esm', target: 'es2020', write: false, logLevel: 'silent',
    // Leaflet's stylesheet points at its PNGs: inline them, so the bundle stands alone.
    loader: { '.png': 'dataurl', '.svg': 'dataurl' },
  });
  return Buffer.from(result.outputFiles[0]!.contents);
}

/** Bundles the page scripts and styles with esbuild and fingerprints them, once per process. */
export async function buildAssets(): Promise<void> {
  const [appJs, mapJs, mapCss] = await Promise.all([bundle('scripts/main.ts'), bundle('scripts/map.ts'), bundle('css/map.css')]);
  const js = 'text/javascript; charset=utf-8';
  const css = 'text/css; charset=utf-8';
  assets = {
    'app.css': fingerprint(fs.readFileSync(path.join(publicDir, 'css/app.css')), 'app', 'css', css),
    'app.js': fingerprint(appJs, 'app', 'js', js),
    'map.css': fingerprint(mapCss, 'map', 'css', css),
    'map.js': fingerprint(mapJs, 'map', 'js', js),
  };
}

export function assetUrls(): { css: string; js: string; mapCss: string; mapJs: string } {
  if (!assets) throw new Error('buildAssets() has not run');
  return { css: assets['app.css'].url, js: assets['app.js'].url, mapCss: assets['map.css'].url, mapJs: assets['map.js'].url };
}

/** Serves fingerprinted bundles (cached for a year) and the other files of public/. */
export function registerAssets(app: App): void {
  app.get('/assets/:file', { schema: { hide: true } }, async (req, reply) => {
    const { file } = req.params as { file: string };
    const a = assets && Object.values(assets).find((x) => x.url === `/assets/${file}`);
    if (a) return reply.type(a.type).header('cache-control', 'public, max-age=31536000, immutable').send(a.body);
    if (file === 'icon.svg') {
      return reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(fs.readFileSync(path.join(publicDir, 'icon.svg')));
    }
    return reply.callNotFound();
  });
}
