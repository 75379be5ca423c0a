import sharp from 'sharp';

/** The longest side of a stored photo, in pixels: sharp on a phone screen and a council's projector alike. */
export const PHOTO_MAX_SIDE = 1600;

/**
 * A photo as the platform keeps it: turned upright by its EXIF orientation, no larger than
 * PHOTO_MAX_SIDE, re-encoded as JPEG without any metadata (no GPS position, camera or owner), so a
 * resident's photo never tells more than it shows. Null when the bytes do not decode as an image.
 */
export async function normalizePhoto(data: Buffer): Promise<Buffer | null> {
  try {
    return await sharp(data, { limitInputPixels: 50_000_000, animated: false })
      .rotate()
      .resize({ width: PHOTO_MAX_SIDE, height: PHOTO_MAX_SIDE, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 82, mozjpeg: true })
      .toBuffer();
  } catch {
    return null;
  }
}
