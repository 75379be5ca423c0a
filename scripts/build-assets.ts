/**
 * `npm run build:assets`: bundles, fingerprints and precompresses (brotli 11, gzip 9) the page scripts, styles
 * and public files into dist/assets, where the server takes the compressed copies at start instead of making
 * them again; a proxy in front may serve the bundles from there by their URL. Run it at deploy time.
 */
import { distDir, writeAssets } from '../src/platform/http/asset-build.ts';

const kb = (n: number | undefined) => (n === undefined ? '—' : `${(n / 1024).toFixed(1)} KB`);
for (const a of await writeAssets()) {
  console.log(`${a.url.padEnd(32)} ${kb(a.identity.length).padStart(9)}  br ${kb(a.br?.length).padStart(9)}  gzip ${kb(a.gzip?.length).padStart(9)}`);
}
console.log(`written to ${distDir}`);
