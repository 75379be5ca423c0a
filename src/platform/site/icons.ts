import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { App, Deps } from '../http/deps.ts';
import { isLocale, localized } from '../i18n/i18n.ts';
import { associationNames } from '../tenancy/municipality.repo.ts';

const ICON_SVG = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../public/icon.svg');
/** The platform's colours, as in app.css. */
const THEME = '#0b4f8a';

/** PNG renderings of public/icon.svg by size, made once on first request (sharp renders SVG). */
const pngs = new Map<number, Promise<Buffer>>();
export function iconPng(size: number): Promise<Buffer> {
  let png = pngs.get(size);
  if (!png) {
    png = sharp(fs.readFileSync(ICON_SVG), { density: Math.max(72, (72 * size) / 32) }).resize(size, size).png().toBuffer();
    pngs.set(size, png);
  }
  return png;
}

/** An ICO file holding PNG images (valid since Windows Vista, read by every browser): the `/favicon.ico` browsers ask for on their own. */
export function icoOf(images: { size: number; png: Buffer }[]): Buffer {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // 1 = icon
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, png }, i) => {
    const at = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, at);
    header.writeUInt8(size >= 256 ? 0 : size, at + 1);
    header.writeUInt16LE(1, at + 4); // colour planes
    header.writeUInt16LE(32, at + 6); // bits per pixel
    header.writeUInt32LE(png.length, at + 8);
    header.writeUInt32LE(offset, at + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...images.map((i) => i.png)]);
}

/** The web app manifest in a locale: the association's name in that language, the icons, the locale's home. */
export async function manifest(deps: Deps, locale: Parameters<typeof localized>[1], shortName: string, description: string) {
  const name = localized(await associationNames(deps.db), locale) || 'Hromada';
  return {
    name, short_name: name.length <= 12 ? name : shortName, description, lang: locale, dir: 'ltr',
    start_url: `/${locale}/`, scope: '/', display: 'minimal-ui', background_color: '#ffffff', theme_color: THEME,
    icons: [
      { src: '/assets/icon.svg', type: 'image/svg+xml', sizes: 'any' },
      { src: '/icon-192.png', type: 'image/png', sizes: '192x192' },
      { src: '/icon-512.png', type: 'image/png', sizes: '512x512' },
    ],
  };
}

/** `/favicon.ico`, `/apple-touch-icon.png`, `/icon-192.png`, `/icon-512.png` and `/{locale}/manifest.webmanifest`. */
export function registerIcons(app: App, deps: Deps): void {
  const day = 'public, max-age=86400';
  app.get('/favicon.ico', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('image/x-icon').header('cache-control', day).send(icoOf([{ size: 16, png: await iconPng(16) }, { size: 32, png: await iconPng(32) }, { size: 48, png: await iconPng(48) }])));
  for (const [file, size] of [['apple-touch-icon.png', 180], ['icon-192.png', 192], ['icon-512.png', 512]] as const) {
    app.get(`/${file}`, { schema: { hide: true } }, async (_req, reply) => reply.type('image/png').header('cache-control', day).send(await iconPng(size)));
  }
  app.get('/:locale/manifest.webmanifest', { schema: { hide: true } }, async (req, reply) => {
    const locale = (req.params as { locale: string }).locale;
    if (!isLocale(locale)) return reply.callNotFound();
    const body = await manifest(deps, locale, req.t('platform.meta.shortName'), req.t('platform.meta.description', { site: localized(await associationNames(deps.db), locale) || 'Hromada' }));
    return reply.type('application/manifest+json; charset=utf-8').header('cache-control', 'public, max-age=3600').send(JSON.stringify(body));
  });
}
