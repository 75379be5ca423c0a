import sharp, { type Sharp } from 'sharp';

/** The longest side of a stored photo, in pixels: sharp on a phone screen and a council's projector alike. */
export const PHOTO_MAX_SIDE = 1600;

/**
 * The most pixels an image may declare. Its header is read before anything is decoded, so a small
 * file claiming 20000×20000 (a decompression bomb: 1.6 GB once decoded) is refused at once; 50 million
 * is more than any phone camera (a 48 MP sensor) takes.
 */
export const IMAGE_MAX_PIXELS = 50_000_000;

/** A photo (report photos: upright, resized, JPEG) or any other stored picture (logos, attachments: format kept). */
export type ImageUse = 'photo' | 'picture';

export type ImageCheck =
  | { kind: 'ok'; data: Buffer; mime: string; ext: string }
  | { kind: 'too_many_pixels'; width: number; height: number }
  | { kind: 'bad' };

// What each decoded format is written back as: GIF (palette, maybe animated) becomes a PNG of its first frame.
const OUTPUT: Record<string, { mime: string; ext: string; encode: (s: Sharp) => Sharp }> = {
  jpeg: { mime: 'image/jpeg', ext: 'jpg', encode: (s) => s.jpeg({ quality: 88, mozjpeg: true }) },
  png: { mime: 'image/png', ext: 'png', encode: (s) => s.png({ compressionLevel: 9 }) },
  gif: { mime: 'image/png', ext: 'png', encode: (s) => s.png({ compressionLevel: 9 }) },
  webp: { mime: 'image/webp', ext: 'webp', encode: (s) => s.webp({ quality: 88 }) },
};

/**
 * The one way an image is stored: its declared size checked against IMAGE_MAX_PIXELS, then fully decoded
 * and encoded again, so what is kept and served is pixels the platform wrote itself, never the uploaded
 * bytes (no bomb, no trailing payload, no metadata: GPS position, camera, owner). A photo is also turned
 * upright by its EXIF orientation, fitted within PHOTO_MAX_SIDE and made a JPEG; other pictures keep
 * their format (and transparency). `bad` when the bytes do not decode as one of the formats above.
 */
export async function reencodeImage(data: Buffer, use: ImageUse): Promise<ImageCheck> {
  try {
    const options = { limitInputPixels: false as const, animated: false, failOn: 'error' as const };
    const meta = await sharp(data, options).metadata();
    const out = meta.format ? OUTPUT[meta.format] : undefined;
    if (!out || !meta.width || !meta.height) return { kind: 'bad' };
    if (meta.width * meta.height > IMAGE_MAX_PIXELS) return { kind: 'too_many_pixels', width: meta.width, height: meta.height };
    // The limit again on decoding, in case a format's header and its frames disagree.
    const image = sharp(data, { ...options, limitInputPixels: IMAGE_MAX_PIXELS }).rotate();
    if (use === 'photo') {
      const jpeg = await image
        .resize({ width: PHOTO_MAX_SIDE, height: PHOTO_MAX_SIDE, fit: 'inside', withoutEnlargement: true })
        .flatten({ background: '#ffffff' })
        .jpeg({ quality: 82, mozjpeg: true })
        .toBuffer();
      return { kind: 'ok', data: jpeg, mime: 'image/jpeg', ext: 'jpg' };
    }
    return { kind: 'ok', data: await out.encode(image).toBuffer(), mime: out.mime, ext: out.ext };
  } catch {
    return { kind: 'bad' };
  }
}
