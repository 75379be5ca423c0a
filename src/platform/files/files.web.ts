import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { verifyCsrf } from '../http/csrf.ts';
import { fieldsProblem, validationError } from '../http/input.ts';
import type {} from '@fastify/multipart';
import type { App, Deps } from '../http/deps.ts';
import { downloadName, readUpload } from './uploads.ts';

/** The first file of a multipart form, with the plain fields sent before it. */
export type MultipartRead =
  | { kind: 'file'; filename: string; data: Buffer; fields: Record<string, string> }
  | { kind: 'too_large' }
  | null;

/**
 * Reads the first file of a multipart request into memory (the size limit is the one multipart
 * was registered with: UPLOAD_MAX_BYTES) and checks the form's CSRF token, which comes as one of
 * its fields (routes that read multipart opt out of the global check with `config: { csrf: false }`).
 * Null when no file was chosen; pass `data` and `filename` on to saveUpload, which checks the content. A plain
 * field holding a control character is refused as any body's is (a 400 naming the field).
 */
export async function readMultipartFile(app: App, req: FastifyRequest, reply: FastifyReply): Promise<MultipartRead> {
  return (await readMultipartForm(app, req, reply)).upload;
}

/** readMultipartFile for a form whose file is optional: its plain fields come back whether or not a file was chosen. */
export async function readMultipartForm(app: App, req: FastifyRequest, reply: FastifyReply): Promise<{ upload: MultipartRead; fields: Record<string, string> }> {
  const fields: Record<string, string> = {};
  const read = async (): Promise<MultipartRead> => {
    if (!req.isMultipart()) return null;
    let upload: MultipartRead = null;
    for await (const part of req.parts()) {
      if (part.type === 'field') {
        if (typeof part.value === 'string' && !(part.fieldname in fields)) fields[part.fieldname] = part.value;
        continue;
      }
      try {
        const data = await part.toBuffer();
        // A browser sends an empty, nameless part for a file input left empty; only the first file counts.
        if (upload === null && !(data.length === 0 && !part.filename)) upload = { kind: 'file', filename: part.filename, data, fields };
      } catch (error) {
        if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') return { kind: 'too_large' };
        throw error;
      }
    }
    return upload;
  };
  const upload = await read();
  await verifyCsrf(app, req, reply, fields);
  // The same rule as for every other body (platform/http/input.ts): a field with a control character is a 400.
  const problem = fieldsProblem(fields);
  if (problem) throw validationError(problem);
  return { upload, fields };
}

/** RFC 8187 encoding for filename*: encodeURIComponent leaves ' ( ) * unescaped, which the header grammar does not allow. */
function encodeHeaderValue(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** content-disposition with an ASCII fallback for old clients and the exact UTF-8 name for the rest. */
export function contentDisposition(name: string): string {
  // Accented Latin keeps its letters (NFKD, then marks dropped); a name with none left becomes "file.<ext>".
  let ascii = name.normalize('NFKD').replace(/[^\x20-\x7e]/g, '').replace(/["\\]/g, '').replace(/\s+/g, ' ').trim();
  const dot = ascii.lastIndexOf('.');
  if (!/[A-Za-z0-9]/.test(dot >= 0 ? ascii.slice(0, dot) : ascii)) ascii = `file${dot >= 0 ? ascii.slice(dot) : ''}`;
  return `inline; filename="${ascii}"; filename*=UTF-8''${encodeHeaderValue(name)}`;
}

/** GET /files/:id: serves an uploaded file. Ids are random UUIDs and files never change, so caching is long. */
export function registerFileRoutes(app: App, deps: Deps): void {
  app.get<{ Params: { id: string } }>('/files/:id', { schema: { hide: true, params: Type.Object({ id: Type.String({ maxLength: 100 }) }) } }, async (req, reply) => {
    const found = await readUpload(deps, req.params.id);
    if (!found) return reply.callNotFound();
    const { row, body } = found;
    const etag = `"${row.sha256}"`;
    reply
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('etag', etag)
      .header('x-content-type-options', 'nosniff');
    if (req.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply
      .type(row.mime)
      .header('content-length', body.length)
      .header('content-disposition', contentDisposition(downloadName(row.original_name, row.mime)))
      .send(body);
  });
}
