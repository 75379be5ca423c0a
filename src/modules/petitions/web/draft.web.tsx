import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { App, Deps } from '../../../platform/http/deps.ts';
import { notFound } from '../../../platform/http/errors.tsx';
import { redirectWithFlash } from '../../../platform/http/flash.ts';
import { formRoute } from '../../../platform/http/form-route.tsx';
import { onceKey } from '../../../platform/idempotency/once.ts';
import { render } from '../../../platform/http/render.tsx';
import { redirectToSignIn, signedIn } from '../../../platform/http/request-context.ts';
import { readMultipartFile } from '../../../platform/files/files.web.ts';
import { uploadMessage, type UploadProblem } from '../../../platform/files/uploads.ts';
import { localized } from '../../../platform/i18n/i18n.ts';
import { Button, ErrorSummary, Field, Form, Select, type FormErrors, type FormValues } from '../../../platform/views/components.tsx';
import { Content, ContentBlock } from '../../../platform/views/content.tsx';
import { findPetition, listCategories, listFiles, type PetitionRow } from '../petition.repo.ts';
import { attachToDraft, createDraft, MAX_ATTACHMENTS, submitDraft, updateDraft } from '../petition.service.ts';
import { PetitionLevel } from './level.tsx';
import { loadPetition, petitionPath, petitionsBase, routeNumber } from './common.tsx';

/** What a resident types; the same limits as the database's CHECK constraints. */
export const DraftSchema = Type.Object({
  title: Type.String({ minLength: 5, maxLength: 200 }),
  body: Type.String({ minLength: 20, maxLength: 10_000 }),
  category: Type.Optional(Type.String({ maxLength: 64 })),
});


async function DraftFields({ deps, req, errors, values }: { deps: Deps; req: FastifyRequest; errors: FormErrors; values: FormValues }) {
  const t = req.t;
  const categories = await listCategories(deps.db, req.municipality!.id);
  return (
    <>
      <Field name="title" label={t('petitions.web.field.title')} hint={t('petitions.web.field.titleHint')} required maxLength={200} errors={errors} values={values} />
      <Field name="body" label={t('petitions.web.field.body')} hint={t('petitions.web.field.bodyHint')} required multiline rows={12} maxLength={10_000} errors={errors} values={values} />
      {categories.length > 0 && (
        <Select name="category" label={t('petitions.web.category')} value={String(values.category ?? '')} errors={errors}
          options={[{ value: '', label: t('petitions.web.noCategory') }, ...categories.map((c) => ({ value: c.slug, label: localized(c.names, req.locale) }))]} />
      )}
    </>
  );
}

async function categoryId(deps: Deps, req: FastifyRequest, slug: string | undefined): Promise<number | undefined | null> {
  if (!slug) return undefined;
  const c = (await listCategories(deps.db, req.municipality!.id)).find((x) => x.slug === slug);
  return c ? c.id : null;
}

/** Drafting: create, edit, attach files, preview and submit. */
export function registerDraftPages(app: App, deps: Deps): void {

  formRoute(app, deps, {
    url: '/:locale/:municipality/petitions/new',
    schema: DraftSchema,
    title: (req) => req.t('petitions.web.start'),
    guard: signedIn,
    view: async (req, { errors, values }) => (
      <>
        <h1>{req.t('petitions.web.start')}</h1>
        <p class="lead">{req.t('petitions.web.startLead')}</p>
        <ErrorSummary errors={errors} />
        <Form action={`${petitionsBase(req)}/new`} once>
          {await DraftFields({ deps, req, errors, values })}
          <Button>{req.t('petitions.web.saveDraft')}</Button>
        </Form>
      </>
    ),
    async handle(v, req, reply) {
      const category = await categoryId(deps, req, v.category);
      if (category === null) return { category: req.t('petitions.web.unknownCategory') };
      const r = await createDraft(deps, req.user!, req.municipality!, { title: v.title.trim(), body: v.body.trim(), categoryId: category }, onceKey(req));
      if (r.kind === 'level') return render(deps, req, reply, { title: req.t('platform.level.title'), status: 403, body: <PetitionLevel req={req} required={r.required} action="create" /> });
      if (r.kind === 'unknown_category') return { category: req.t('petitions.web.unknownCategory') };
      return redirectWithFlash(reply, petitionPath(req, r.number), { kind: 'success', message: req.t('petitions.web.draftSaved') });
    },
  });

  const ownDraft = async (req: FastifyRequest, reply: FastifyReply) => {
    if (!req.user) return redirectToSignIn(req, reply);
    const p = await loadPetition(deps, req, reply);
    if (!p) return reply;
    if (p.author_id !== req.user.id || p.status !== 'draft') return notFound(deps, req, reply);
    return undefined;
  };
  const current = (req: FastifyRequest) => findPetition(deps.db, req.municipality!.id, routeNumber(req)) as Promise<PetitionRow>;

  formRoute(app, deps, {
    url: '/:locale/:municipality/petitions/:number/edit',
    schema: DraftSchema,
    title: (req) => req.t('petitions.web.edit'),
    guard: ownDraft,
    async initial(req) {
      const p = await current(req);
      const cats = await listCategories(deps.db, req.municipality!.id);
      return { title: p.title, body: p.body, category: cats.find((c) => c.id === p.category_id)?.slug ?? '' };
    },
    view: async (req, { errors, values }) => {
      const p = await current(req);
      const files = await listFiles(deps.db, p.id);
      const path = petitionPath(req, p.number);
      return (
        <>
          <h1>{req.t('petitions.web.edit')}</h1>
          <ErrorSummary errors={errors} />
          <Form action={`${path}/edit`}>
            {await DraftFields({ deps, req, errors, values })}
            <Button>{req.t('petitions.web.saveDraft')}</Button>
          </Form>
          <h2>{req.t('petitions.web.attachments')}</h2>
          {files.length > 0 && <ul>{files.map((f) => <li key={f.id}>{f.original_name}</li>)}</ul>}
          {files.length < MAX_ATTACHMENTS && (
            <Form action={`${path}/attachments`} multipart once aria-label={req.t('petitions.web.attach')}>
              <div class={`field${errors.file ? ' field--error' : ''}`}>
                <label for="f-file" class="field__label">{req.t('petitions.web.attach')}</label>
                <p id="f-file-hint" class="field__hint">{req.t('petitions.web.attachHint', { max: MAX_ATTACHMENTS })}</p>
                {errors.file && <p id="f-file-error" class="field__error">{errors.file}</p>}
                <input id="f-file" name="file" type="file" accept="image/png,image/jpeg,image/webp,application/pdf" class="input" aria-describedby={errors.file ? 'f-file-hint f-file-error' : 'f-file-hint'} />
              </div>
              <Button variant="secondary">{req.t('petitions.web.upload')}</Button>
            </Form>
          )}
          <p><a href={`${path}/submit`}>{req.t('petitions.web.previewSubmit')}</a></p>
        </>
      );
    },
    async handle(v, req, reply) {
      const category = await categoryId(deps, req, v.category);
      if (category === null) return { category: req.t('petitions.web.unknownCategory') };
      const p = await current(req);
      const r = await updateDraft(deps, req.user!, req.municipality!, p, { title: v.title.trim(), body: v.body.trim(), categoryId: category });
      if (r === 'unknown_category') return { category: req.t('petitions.web.unknownCategory') };
      if (r !== 'updated') return notFound(deps, req, reply);
      return redirectWithFlash(reply, petitionPath(req, p.number), { kind: 'success', message: req.t('petitions.web.draftSaved') });
    },
  });

  app.post('/:locale/:municipality/petitions/:number/attachments', { config: { csrf: false }, schema: { hide: true } }, async (req, reply) => {
    const upload = await readMultipartFile(app, req, reply);
    await ownDraft(req, reply);
    if (reply.sent) return reply;
    const p = await current(req);
    const path = petitionPath(req, p.number);
    const fail = (key: string) => redirectWithFlash(reply, `${path}/edit`, { kind: 'error', message: req.t(key) });
    const refused = (refusal: UploadProblem) =>
      redirectWithFlash(reply, `${path}/edit`, { kind: 'error', message: uploadMessage(req.t, deps, req.t('field.attachment'), 'image-or-document', refusal) });
    if (!upload) return refused({ kind: 'missing' });
    if (upload.kind === 'too_large') return refused(upload);
    const r = await attachToDraft(deps, req.user!, req.municipality!, p, upload, onceKey(req, { fields: upload.fields }));
    if (r === 'forbidden' || r === 'wrong_status') return notFound(deps, req, reply);
    if (r === 'too_many') return fail('petitions.web.tooManyFiles');
    if (r !== 'attached') return refused(r);
    return redirectWithFlash(reply, `${path}/edit`, { kind: 'success', message: req.t('petitions.web.fileAttached') });
  });

  app.get('/:locale/:municipality/petitions/:number/submit', { schema: { hide: true } }, async (req, reply) => {
    await ownDraft(req, reply);
    if (reply.sent) return reply;
    const p = await current(req);
    const path = petitionPath(req, p.number);
    return render(deps, req, reply, {
      title: req.t('petitions.web.previewTitle'),
      body: (
        <>
          <h1>{req.t('petitions.web.previewTitle')}</h1>
          <p class="lead">{req.t('petitions.web.previewLead')}</p>
          <section class="preview" aria-label={req.t('petitions.web.preview')}>
            <h2><Content text={p.title} /></h2>
            <ContentBlock text={p.body} />
          </section>
          <Form action={`${path}/submit`}><Button>{req.t('petitions.web.submit')}</Button></Form>
          <p><a href={`${path}/edit`}>{req.t('petitions.web.edit')}</a></p>
        </>
      ),
    });
  });

  app.post('/:locale/:municipality/petitions/:number/submit', { schema: { hide: true } }, async (req, reply) => {
    await ownDraft(req, reply);
    if (reply.sent) return reply;
    const p = await current(req);
    const r = await submitDraft(deps, req.user!, req.municipality!, p);
    if (r === 'forbidden' || r === 'wrong_status') return notFound(deps, req, reply);
    return redirectWithFlash(reply, petitionPath(req, p.number), { kind: 'success', message: req.t(r === 'supporters' ? 'petitions.web.sentToSupporters' : 'petitions.web.submitted') });
  });
}
