import crypto from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { createOnce, type OnceKey } from '../idempotency/once.ts';
import type { Deps } from '../http/deps.ts';
import { findFile, insertFile, type FileRow } from './files.repo.ts';
import type { Translate } from '../i18n/i18n.ts';
import { IMAGE_MAX_PIXELS, reencodeImage } from './images.ts';
import { isTrustworthyPdf } from './pdf.ts';

/** Which kinds of file an upload field takes. */
export type AllowedUpload = 'image' | 'document' | 'image-or-document';

/** What was stored: enough to reference, describe and serve the file. */
export interface SavedFile {
  id: string;
  mime: string;
  size: number;
  sha256: string;
}

export type SaveUploadResult =
  | { kind: 'saved'; file: SavedFile }
  | { kind: 'too_large' }
  | { kind: 'bad_type' }
  | { kind: 'too_many_pixels'; width: number; height: number }
  | { kind: 'empty' };

/** Why an upload was refused (every outcome but `saved`). */
export type UploadRefusal = Exclude<SaveUploadResult, { kind: 'saved' }>;

/** A refusal, or no file chosen at all: what an upload form may have to explain. */
export type UploadProblem = UploadRefusal | { kind: 'missing' };

export interface UploadInput {
  municipalityId: number | null;
  ownerId: number | null;
  filename: string;
  data: Buffer;
  allowed: AllowedUpload;
  /** A photo: an image stored upright, resized, as JPEG (see reencodeImage); other images keep their format. */
  photo?: boolean;
}

// Only formats a browser shows by itself and none that can carry script into our origin (no SVG, no HTML).
const IMAGES: Record<string, string> = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'image/gif': 'gif' };
const DOCUMENTS: Record<string, string> = { 'application/pdf': 'pdf' };
const ALLOWED: Record<AllowedUpload, Record<string, string>> = {
  image: IMAGES,
  document: DOCUMENTS,
  'image-or-document': { ...IMAGES, ...DOCUMENTS },
};
// file-type tells animated PNG apart; browsers show it as image/png, and that is how it is stored.
const SAME_AS: Record<string, string> = { 'image/apng': 'image/png' };
// Extensions a name may already carry for each type, so "scan.jpeg" is not renamed on download.
const NAME_EXTENSIONS: Record<string, string[]> = {
  'image/jpeg': ['jpg', 'jpeg', 'jpe', 'jfif'],
  'image/png': ['png', 'apng'],
  'image/webp': ['webp'],
  'image/gif': ['gif'],
  'application/pdf': ['pdf'],
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** True for strings shaped like a file id, so junk never reaches the database. */
export function isFileId(id: string): boolean {
  return UUID.test(id);
}

/** Where a stored file is served. */
export function fileUrl(id: string): string {
  return `/files/${id}`;
}

/**
 * A user-supplied file name made safe to keep and to send back: no directories, no control or
 * bidirectional-override characters (which can disguise "gpj.exe" as "exe.jpg"), at most 200 characters.
 */
export function cleanFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const cleaned = base.normalize('NFC')
    .replace(/[\u0000-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return Array.from(cleaned).slice(0, 200).join('').trim() || 'file';
}

/** The name to offer on download: the original one, with an extension that matches what the file really is. */
export function downloadName(originalName: string, mime: string): string {
  const name = cleanFilename(originalName);
  const known = NAME_EXTENSIONS[mime];
  if (!known) return name;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  if (known.includes(ext)) return name;
  const stem = dot > 0 && ext.length <= 5 ? name.slice(0, dot) : name;
  return `${stem}.${known[0]}`;
}

/** What the bytes are, judged by their content alone; undefined for anything not allowed. */
async function detectType(data: Buffer, allowed: AllowedUpload): Promise<{ mime: string; ext: string } | undefined> {
  const detected = await fileTypeFromBuffer(data);
  if (!detected) return undefined;
  const mime = SAME_AS[detected.mime] ?? detected.mime;
  const ext = ALLOWED[allowed][mime];
  return ext ? { mime, ext } : undefined;
}

/**
 * Checks an upload by size and content and stores it. Every image is decoded and encoded again
 * (reencodeImage: the pixel limit, no metadata, nothing of the uploaded bytes kept) and every PDF must
 * parse as one (isTrustworthyPdf), whichever form it came from. A refused upload writes nothing.
 */
export async function saveUpload(deps: Deps, input: UploadInput): Promise<SaveUploadResult> {
  const r = await saveUploadOnce(deps, null, 'file', input, async (_trx, file) => file);
  return r.kind === 'saved' ? { kind: 'saved', file: r.result } : r;
}

/**
 * saveUpload for a create that records the file somewhere (a photo of a report, an attachment): the bytes are
 * checked and stored, then the file's row and what `attach` writes go in one `createOnce` transaction under the
 * form's key, so a double click or a resent upload makes one record and the repeat gets the first one's answer.
 * The bytes are stored before the row, so a row always points at bytes; wherever no row came of them (a repeat,
 * a result `keep` refuses, a failure) they are removed again.
 */
export async function saveUploadOnce<T>(deps: Deps, once: OnceKey | null, what: string, input: UploadInput,
  attach: (trx: Transaction<DB>, file: SavedFile) => Promise<T>, keep: (result: T) => boolean = () => true): Promise<UploadRefusal | { kind: 'saved'; result: T }> {
  const checked = await check(deps, input);
  if ('kind' in checked) return checked;
  const { data, type } = checked;
  const id = crypto.randomUUID();
  const now = new Date();
  const month = String(now.getUTCMonth() + 1).padStart(2, '0');
  const key = `${input.municipalityId ?? 'platform'}/${now.getUTCFullYear()}/${month}/${id}.${type.ext}`;
  const file: SavedFile = { id, mime: type.mime, size: data.length, sha256: crypto.createHash('sha256').update(data).digest('hex') };
  await deps.storage.put(key, data);
  let kept = false;
  try {
    const result = await createOnce(deps.db, once, what, async (trx) => {
      await insertFile(trx, {
        id, municipality_id: input.municipalityId, owner_id: input.ownerId, mime: file.mime, size: file.size,
        sha256: file.sha256, original_name: cleanFilename(input.filename), storage_key: key,
      });
      const attached = await attach(trx, file);
      kept = keep(attached);
      return attached;
    }, keep);
    return { kind: 'saved', result };
  } finally {
    if (!kept) await deps.storage.delete(key).catch(() => {});
  }
}

/** The bytes to store and what they are, or why they are refused. */
async function check(deps: Deps, input: UploadInput): Promise<UploadRefusal | { data: Buffer; type: { mime: string; ext: string } }> {
  const { data } = input;
  if (data.length === 0) return { kind: 'empty' };
  if (data.length > deps.config.uploadMaxBytes) return { kind: 'too_large' };
  const type = await detectType(data, input.photo ? 'image' : input.allowed);
  if (!type) return { kind: 'bad_type' };
  if (type.mime in DOCUMENTS) return isTrustworthyPdf(data) ? { data, type } : { kind: 'bad_type' };
  const image = await reencodeImage(data, input.photo ? 'photo' : 'picture');
  if (image.kind === 'too_many_pixels') return image;
  if (image.kind !== 'ok') return { kind: 'bad_type' };
  return { data: image.data, type: image };
}

/** A stored file's record and bytes, or null when the id is unknown (or its bytes are gone). */
export async function readUpload(deps: Deps, id: string): Promise<{ row: FileRow; body: Buffer } | null> {
  if (!isFileId(id)) return null;
  const row = await findFile(deps.db, id);
  if (!row) return null;
  const body = await deps.storage.get(row.storage_key);
  return body ? { row, body } : null;
}

const NOT_ALLOWED: Record<AllowedUpload, string> = { image: 'platform.files.notImage', document: 'platform.files.notPdf', 'image-or-document': 'platform.files.notImageOrPdf' };

/**
 * The translated message for an upload that was refused (or not chosen: `missing`; too large for the
 * multipart limit: `too_large`), naming the form's field by its label, as every upload form shows it.
 */
export function uploadMessage(t: Translate, deps: Deps, field: string, allowed: AllowedUpload, refusal: UploadProblem): string {
  switch (refusal.kind) {
    case 'missing': return t('platform.files.missing', { field });
    case 'empty': return t('platform.files.empty', { field });
    case 'too_large': return t('platform.files.tooLarge', { field, mb: Math.floor(deps.config.uploadMaxBytes / 1024 / 1024 * 10) / 10 });
    case 'too_many_pixels': return t('platform.files.tooManyPixels', { field, width: refusal.width, height: refusal.height, megapixels: IMAGE_MAX_PIXELS / 1_000_000 });
    case 'bad_type': return t(NOT_ALLOWED[allowed], { field });
  }
}
