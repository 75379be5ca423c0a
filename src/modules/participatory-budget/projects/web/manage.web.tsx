import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { readMultipartForm } from '../../../../platform/files/files.web.ts';
import { uploadMessage, type UploadProblem } from '../../../../platform/files/uploads.ts';
import type { App, Deps } from '../../../../platform/http/deps.ts';
import { forbidden } from '../../../../platform/http/errors.tsx';
import { redirectWithFlash } from '../../../../platform/http/flash.ts';
import { parseBody } from '../../../../platform/http/forms.ts';
import { redirectToSignIn } from '../../../../platform/http/request-context.ts';
import { onceKey } from '../../../../platform/idempotency/once.ts';
import { Button, Field, FileField, Form, Select } from '../../../../platform/views/components.tsx';
import { Content } from '../../../../platform/views/content.tsx';
import { addCoauthor, addProjectFile, deleteProjectFile, MAX_COAUTHORS, MAX_FILES, removeCoauthor } from '../authors.service.ts';
import { listCoauthors, listProjectFiles } from '../people.repo.ts';
import { cyclePath } from '../../paths.ts';
import { loadProject, projectPaths, type LoadedProject } from './common.tsx';

/** Image formats a photo may come in (named, not translated). */
const FORMATS = 'JPEG, PNG, WebP';

/** The edit page's photos and documents: each with its caption and a delete button, and the upload form. */
export async function FilesSection({ deps, req, loaded }: { deps: Deps; req: FastifyRequest; loaded: LoadedProject }) {
  const t = req.t;
  const paths = projectPaths(req, loaded.p.number);
  const files = await listProjectFiles(deps.db, loaded.p.id);
  return (
    <section aria-labelledby="pb-files">
      <h2 id="pb-files">{t('pb.projects.files.title')}</h2>
      {files.length === 0 ? <p>{t('pb.projects.files.none')}</p> : (
        <ul class="file-list">
          {files.map((f) => (
            <li key={f.id}>
              {t(`pb.projects.files.kind.${f.kind}`)}: {f.caption ? <Content text={f.caption} /> : <Content text={f.original_name} />}
              <Form action={`${paths.files}/${f.id}/delete`} class="inline"><Button variant="danger">{t('pb.projects.files.delete')}</Button></Form>
            </li>
          ))}
        </ul>
      )}
      <Form action={paths.files} multipart once aria-label={t('pb.projects.files.add')}>
        <Select name="kind" label={t('pb.projects.files.kindLabel')} value="photo"
          options={[{ value: 'photo', label: t('pb.projects.files.kind.photo') }, { value: 'document', label: t('pb.projects.files.kind.document') }]} />
        <Field name="caption" label={t('pb.projects.files.caption')} maxLength={300} />
        <FileField name="file" label={t('pb.projects.files.file')} accept="image/jpeg,image/png,image/webp,application/pdf"
          hint={t('pb.projects.files.hint', { photos: MAX_FILES.photo, documents: MAX_FILES.document, formats: FORMATS })} />
        <Button variant="secondary">{t('pb.projects.files.upload')}</Button>
      </Form>
    </section>
  );
}

/** The edit page's co-authors: the author names them by e-mail address and removes them; a co-author may step down. */
export async function CoauthorsSection({ deps, req, loaded }: { deps: Deps; req: FastifyRequest; loaded: LoadedProject }) {
  const t = req.t;
  const paths = projectPaths(req, loaded.p.number);
  const coauthors = await listCoauthors(deps.db, loaded.p.id);
  const own = req.user?.id === loaded.p.author_id;
  return (
    <section aria-labelledby="pb-coauthors">
      <h2 id="pb-coauthors">{t('pb.projects.coauthors.title')}</h2>
      <p>{t('pb.projects.coauthors.lead', { max: MAX_COAUTHORS })}</p>
      {coauthors.length > 0 && (
        <ul>
          {coauthors.map((c) => (
            <li key={c.id}>
              {c.deleted_at ? t('pb.projects.formerAccount') : <Content text={c.full_name} />}{own && c.email ? ` (${c.email})` : ''}
              {(own || c.id === req.user?.id) && (
                <Form action={`${paths.coauthors}/${c.id}/delete`} class="inline">
                  <Button variant="secondary">{t(own ? 'pb.projects.coauthors.remove' : 'pb.projects.coauthors.leave')}</Button>
                </Form>
              )}
            </li>
          ))}
        </ul>
      )}
      {own && coauthors.length < MAX_COAUTHORS && (
        <Form action={paths.coauthors} aria-label={t('pb.projects.coauthors.add')}>
          <Field name="email" type="email" label={t('pb.projects.coauthors.email')} hint={t('pb.projects.coauthors.emailHint')} autocomplete="off" maxLength={254} />
          <Button variant="secondary">{t('pb.projects.coauthors.add')}</Button>
        </Form>
      )}
    </section>
  );
}

const CoauthorSchema = Type.Object({ email: Type.String({ format: 'email', maxLength: 254 }) });

/** Uploads and deletions of files, and naming and removing co-authors: each answers with a redirect to the edit page. */
export function registerManageRoutes(app: App, deps: Deps): void {
  const back = (req: FastifyRequest, reply: FastifyReply, l: LoadedProject, kind: 'success' | 'error' | 'info', message: string) =>
    redirectWithFlash(reply, projectPaths(req, l.p.number).edit, { kind, message });
  const editorOf = async (req: FastifyRequest, reply: FastifyReply): Promise<LoadedProject | null> => {
    if (!req.user) {
      await redirectToSignIn(req, reply);
      return null;
    }
    const l = await loadProject(deps, req, reply);
    if (l && !l.authored) {
      await forbidden(deps, req, reply);
      return null;
    }
    return l;
  };
  const closed = (req: FastifyRequest, reply: FastifyReply, l: LoadedProject) =>
    redirectWithFlash(reply, projectPaths(req, l.p.number).page, { kind: 'error', message: req.t('pb.projects.flash.notEditable') });

  // Multipart: the CSRF token is one of the form's fields, checked once they are read.
  app.post('/:locale/:municipality/participatory-budget/projects/:number/files', { config: { csrf: false }, schema: { hide: true } }, async (req, reply) => {
    const { upload, fields } = await readMultipartForm(app, req, reply);
    const l = await editorOf(req, reply);
    if (!l) return reply;
    const kind = fields.kind === 'document' ? 'document' : 'photo';
    const label = req.t('pb.projects.files.file');
    const refused = (r: UploadProblem) => back(req, reply, l, 'error', uploadMessage(req.t, deps, label, kind === 'photo' ? 'image' : 'document', r));
    const caption = (fields.caption ?? '').trim();
    if (caption.length > 300) return back(req, reply, l, 'error', req.t('platform.validation.maxLength', { field: req.t('pb.projects.files.caption'), limit: 300 }));
    if (!upload) return refused({ kind: 'missing' });
    if (upload.kind === 'too_large') return refused(upload);
    const r = await addProjectFile(deps, req.user!, req.municipality!, l.cycle, l.p, kind, caption, upload, onceKey(req, { fields }), new Date());
    switch (r.kind) {
      case 'added': return back(req, reply, l, 'success', req.t('pb.projects.files.added'));
      case 'forbidden': return forbidden(deps, req, reply);
      case 'closed': return closed(req, reply, l);
      case 'too_many': return back(req, reply, l, 'error', req.t(`pb.projects.files.tooMany.${kind}`, { max: r.max }));
      case 'refused': return refused(r.refusal);
    }
  });

  app.post('/:locale/:municipality/participatory-budget/projects/:number/files/:id/delete', { schema: { hide: true } }, async (req, reply) => {
    const l = await editorOf(req, reply);
    if (!l) return reply;
    const r = await deleteProjectFile(deps, req.user!, l.cycle, l.p, (req.params as { id: number }).id, new Date());
    if (r === 'forbidden') return forbidden(deps, req, reply);
    if (r === 'closed') return closed(req, reply, l);
    return back(req, reply, l, r === 'deleted' ? 'success' : 'info', req.t(r === 'deleted' ? 'pb.projects.files.deleted' : 'pb.projects.files.gone'));
  });

  app.post('/:locale/:municipality/participatory-budget/projects/:number/coauthors', { schema: { hide: true } }, async (req, reply) => {
    const l = await editorOf(req, reply);
    if (!l) return reply;
    const parsed = parseBody(CoauthorSchema, req.body, req.t);
    const label = req.t('pb.projects.coauthors.email');
    if (!parsed.ok) return back(req, reply, l, 'error', req.t('pb.projects.coauthors.badEmail', { field: label }));
    const r = await addCoauthor(deps, req.user!, req.municipality!, l.cycle, l.p, parsed.value.email, new Date());
    switch (r.kind) {
      case 'added': return back(req, reply, l, 'success', req.t('pb.projects.coauthors.added'));
      case 'forbidden': return forbidden(deps, req, reply);
      case 'closed': return closed(req, reply, l);
      case 'too_many': return back(req, reply, l, 'error', req.t('pb.projects.coauthors.tooMany', { max: r.max }));
      default: return back(req, reply, l, r.kind === 'already' ? 'info' : 'error', req.t(`pb.projects.coauthors.${r.kind}`, { field: label }));
    }
  });

  app.post('/:locale/:municipality/participatory-budget/projects/:number/coauthors/:id/delete', { schema: { hide: true } }, async (req, reply) => {
    const l = await editorOf(req, reply);
    if (!l) return reply;
    const userId = (req.params as { id: number }).id;
    const r = await removeCoauthor(deps, req.user!, l.p, userId);
    if (r === 'forbidden') return forbidden(deps, req, reply);
    // One who stepped down may no longer see a draft: they go to the cycle's list instead.
    if (r && userId === req.user!.id) return redirectWithFlash(reply, `${cyclePath(req, l.cycle.number)}/projects`, { kind: 'success', message: req.t('pb.projects.coauthors.left') });
    return back(req, reply, l, r ? 'success' : 'info', req.t(r ? 'pb.projects.coauthors.removed' : 'pb.projects.coauthors.notOne'));
  });
}
