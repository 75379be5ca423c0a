import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { readMultipartForm } from '../../../../platform/files/files.web.ts';
import { fileUrl, uploadMessage } from '../../../../platform/files/uploads.ts';
import type { App, Deps } from '../../../../platform/http/deps.ts';
import { notFound } from '../../../../platform/http/errors.tsx';
import { redirectWithFlash } from '../../../../platform/http/flash.ts';
import { parseBody } from '../../../../platform/http/forms.ts';
import { render } from '../../../../platform/http/render.tsx';
import { onceKey } from '../../../../platform/idempotency/once.ts';
import { Button, EmptyState, ErrorSummary, Field, FileField, Form, Table, type FormErrors, type FormValues } from '../../../../platform/views/components.tsx';
import { Content } from '../../../../platform/views/content.tsx';
import type { Cycle } from '../../pb.tables.ts';
import { cycleDocuments } from '../cycles.repo.ts';
import { addDocument, deleteDocument } from '../document.service.ts';
import { staffCyclePath } from '../staff-nav.tsx';
import { staffCycle } from './cycle-form.tsx';
import { CycleStaffHead } from './cycles.web.tsx';

const DocumentSchema = Type.Object({ title: Type.String({ minLength: 1, maxLength: 200 }) });
const actor = (req: FastifyRequest) => ({ id: req.user!.id, ip: req.ip });

/** A cycle's rules documents (PDF): listed with links, uploaded with a title, deleted. */
export function registerDocumentPages(app: App, deps: Deps): void {
  const base = (req: FastifyRequest, cycle: Cycle) => `${staffCyclePath(req, cycle.number)}/documents`;
  const page = async (req: FastifyRequest, reply: FastifyReply, cycle: Cycle, errors: FormErrors = {}, values: FormValues = {}, status = 200) => {
    const t = req.t;
    const docs = await cycleDocuments(deps.db, cycle.id);
    return render(deps, req, reply, {
      title: t('pb.staff.documents'), status,
      body: (
        <>
          {await CycleStaffHead({ deps, req, cycle, now: new Date() })}
          <h2>{t('pb.staff.documents')}</h2>
          {docs.length === 0 ? <EmptyState title={t('pb.documents.none')} /> : (
            <Table caption={t('pb.staff.documents')} captionHidden head={[t('pb.documents.field.title'), t('pb.documents.file'), t('pb.categories.actions')]}
              rows={docs.map((d) => [
                <a href={fileUrl(d.file_id)}><Content text={d.title} /></a>, d.original_name,
                <Form action={`${base(req, cycle)}/${d.id}/delete`} aria-label={t('pb.documents.deleteNamed', { title: d.title })}>
                  <Button variant="danger">{t('pb.documents.delete')}</Button>
                </Form>,
              ])} />
          )}
          <h2>{t('pb.documents.add')}</h2>
          <ErrorSummary errors={errors} />
          <Form action={base(req, cycle)} multipart once>
            <Field name="title" label={t('pb.documents.field.title')} required maxLength={200} errors={errors} values={values} />
            <FileField name="file" label={t('pb.documents.field.file')} hint={t('pb.documents.hint.file')} accept="application/pdf" errors={errors} />
            <Button>{t('pb.documents.upload')}</Button>
          </Form>
        </>
      ),
    });
  };

  app.get('/:locale/:municipality/participatory-budget/staff/cycles/:number/documents', { schema: { hide: true } }, async (req, reply) => {
    const cycle = await staffCycle(deps, req, reply);
    return cycle ? page(req, reply, cycle) : reply;
  });

  app.post('/:locale/:municipality/participatory-budget/staff/cycles/:number/documents', { config: { csrf: false }, schema: { hide: true } }, async (req, reply) => {
    const { upload, fields } = await readMultipartForm(app, req, reply);
    if (reply.sent) return reply;
    const cycle = await staffCycle(deps, req, reply);
    if (!cycle) return reply;
    const fileLabel = req.t('pb.documents.field.file');
    const parsed = parseBody(DocumentSchema, fields, req.t);
    const errors: FormErrors = parsed.ok ? {} : parsed.errors;
    if (!upload || upload.kind === 'too_large') errors.file = uploadMessage(req.t, deps, fileLabel, 'document', upload ?? { kind: 'missing' });
    if (!parsed.ok || !upload || upload.kind !== 'file') return page(req, reply, cycle, errors, fields, 400);
    const r = await addDocument(deps, actor(req), req.municipality!, cycle.number, parsed.value.title, upload, onceKey(req, { fields: upload.fields }));
    if (r.kind !== 'saved') return page(req, reply, cycle, { file: uploadMessage(req.t, deps, fileLabel, 'document', r) }, fields, 400);
    if (r.result === 'gone') return notFound(deps, req, reply);
    return redirectWithFlash(reply, base(req, cycle), { kind: 'success', message: req.t('pb.documents.added') });
  });

  app.post('/:locale/:municipality/participatory-budget/staff/cycles/:number/documents/:id/delete', { schema: { hide: true } }, async (req, reply) => {
    const cycle = await staffCycle(deps, req, reply);
    if (!cycle) return reply;
    const r = await deleteDocument(deps, actor(req), req.municipality!, cycle.number, (req.params as { id: number }).id);
    if (r === 'gone') return notFound(deps, req, reply);
    return redirectWithFlash(reply, base(req, cycle), { kind: 'success', message: req.t('pb.documents.deleted') });
  });
}
