import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { App } from './deps.ts';

const publicDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../public');

interface Asset { body: Buffer; type: string; url: string }
let assets: { css: Asset; js: Asset } | null = null;

function fingerprint(body: Buffer, name: string, ext: string, type: string): Asset {
  const hash = crypto.createHash('sha256').update(body).digest('hex').slice(0, 10);
  return { body, type, url: `/assets/${name}.${hash}.${ext}` };
}

/** Bundles the page scripts with esbuild and fingerprints CSS and JS, once per process. */
export async function buildAssets(): Promise<void> {
  const result = await build({
    entryPoints: [path.join(publicDir, 'scripts/main.ts')],
    bundle: true, minify: true, format: 'esm', target: 'es2020', write: false, logLevel: 'silent',
  });
  const js = Buffer.from(result.outputFiles[0]!.contents);
  const css = fs.readFileSync(path.join(publicDir, 'css/app.css'));
  assets = { css: fingerprint(css, 'app', 'css', 'text/css; charset=utf-8'), js: fingerprint(js, 'app', 'js', 'text/javascript; charset=utf-8') };
}

export function assetUrls(): { css: string; js: string } {
  if (!assets) throw new Error('buildAssets() has not run');
  return { css: assets.css.url, js: assets.js.url };
}

/** Serves fingerprinted bundles (cached for a year) and the other files of public/. */
export function registerAssets(app: App): void {
  app.get('/assets/:file', { schema: { hide: true } }, async (req, reply) => {
    const { file } = req.params as { file: string };
    const a = assets && [assets.css, assets.js].find((x) => x.url === `/assets/${file}`);
    if (a) return reply.type(a.type).header('cache-control', 'public, max-age=31536000, immutable').send(a.body);
    if (file === 'icon.svg') {
      return reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(fs.readFileSync(path.join(publicDir, 'icon.svg')));
    }
    return reply.callNotFound();
  });
}
