import type { FastifyRequest } from 'fastify';
import { readMultipartFile } from '../../../platform/files/files.web.ts';
import { fileUrl, uploadMessage, type UploadProblem } from '../../../platform/files/uploads.ts';
import type { App, Deps } from '../../../platform/http/deps.ts';
import { forbidden } from '../../../platform/http/errors.tsx';
import { redirectWithFlash } from '../../../platform/http/flash.ts';
import { redirectToSignIn } from '../../../platform/http/request-context.ts';
import { onceKey } from '../../../platform/idempotency/once.ts';
import { Button, FileField, Form } from '../../../platform/views/components.tsx';
import { addReportPhoto, MAX_PHOTOS, photoKind } from '../report.photos.ts';
import { listPhotos, type ReportRow } from '../report.repo.ts';
import { loadReport, reportPath } from './common.tsx';

/** Image formats a photo may come in (named, not translated).  */
const FORMATS = 'JPEG, PNG, WebP';

/** The report's photos, of the problem and of the fix, and the upload form for whoever may add one. */
export async function Photos({ deps, req, r }: { deps: Deps; req: FastifyRequest; r: ReportRow }) {
  const t = req.t;
  const photos = await listPhotos(deps.db, r);
  const kind = photoKind(req.user, r);
  const canAdd = kind !== null && photos.filter((p) => p.kind === kind).length < MAX_PHOTOS;
  if (photos.length === 0 && !canAdd) return null;
  return (
    <section aria-labelledby="photos">
      <h2 id="photos">{t('reports.photos.title')}</h2>
      {photos.length > 0 && (
        <ul class="photos">
          {photos.map((p, i) => (
            <li key={p.file_id}>
              <a href={fileUrl(p.file_id)}><img src={fileUrl(p.file_id)} alt={t(p.kind === 'fix' ? 'reports.photos.altFix' : 'reports.photos.alt', { n: i + 1, number: r.number })} loading="lazy" /></a>
            </li>
          ))}
        </ul>
      )}
      {canAdd && (
        <Form action={`${reportPath(req, r.number)}/photos`} multipart once aria-label={t('reports.photos.add')}>
          <FileField name="photo" label={t(kind === 'fix' ? 'reports.photos.addFix' : 'reports.photos.add')} hint={t('reports.photos.hint', { max: MAX_PHOTOS, formats: FORMATS })}
            accept="image/jpeg,image/png,image/webp" />
          <Button variant="secondary">{t('reports.photos.upload')}</Button>
        </Form>
      )}
    </section>
  );
}

/** Uploading a photo (multipart: the CSRF token is checked once the form's fields are read). */
export function registerPhotoRoutes(app: App, deps: Deps): void {
  app.post('/:locale/:municipality/reports/:number/photos', { config: { csrf: false }, schema: { hide: true } }, async (req, reply) => {
    const upload = await readMultipartFile(app, req, reply);
    if (!req.user) return redirectToSignIn(req, reply);
    const r = await loadReport(deps, req, reply);
    if (!r) return reply;
    const back = reportPath(req, r.number);
    const fail = (key: string) => redirectWithFlash(reply, back, { kind: 'error', message: req.t(key, { max: MAX_PHOTOS, formats: FORMATS }) });
    const refused = (refusal: UploadProblem) =>
      redirectWithFlash(reply, back, { kind: 'error', message: uploadMessage(req.t, deps, req.t('field.photo'), 'image', refusal) });
    if (!upload) return refused({ kind: 'missing' });
    if (upload.kind === 'too_large') return refused(upload);
    const outcome = await addReportPhoto(deps, req.user, req.municipality!, r, upload, req.ip, onceKey(req, { fields: upload.fields }));
    switch (outcome.kind) {
      case 'added': return redirectWithFlash(reply, back, { kind: 'success', message: req.t('reports.photos.added') });
      case 'forbidden': return forbidden(deps, req, reply);
      case 'too_many': return fail('reports.photos.tooMany');
      case 'refused': return refused(outcome.refusal);
    }
  });
}
