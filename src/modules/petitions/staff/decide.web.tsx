import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { App, Deps } from '../../../platform/http/deps.ts';
import { redirectWithFlash } from '../../../platform/http/flash.ts';
import { formRoute } from '../../../platform/http/form-route.tsx';
import { parseBody } from '../../../platform/http/forms.ts';
import { render } from '../../../platform/http/render.tsx';
import { readMultipartFile } from '../../../platform/files/files.web.ts';
import { findFile } from '../../../platform/files/files.repo.ts';
import { fileUrl, saveUploadOnce, uploadMessage, type UploadProblem } from '../../../platform/files/uploads.ts';
import { onceKey } from '../../../platform/idempotency/once.ts';
import { Banner, Button, ErrorSummary, Field, Form, Select, type FormErrors, type FormValues } from '../../../platform/views/components.tsx';
import { Content, ContentBlock } from '../../../platform/views/content.tsx';
import { findPetition, listFiles, type PetitionRow } from '../petition.repo.ts';
import { closePetition, publishPetition, rejectPetition, respondToPetition } from '../petition.service.ts';
import { loadPetition, petitionPath, routeNumber } from '../web/common.tsx';
import { guard, overdue } from './nav.tsx';
import { Query, Text } from '../../../platform/http/input.ts';

const ReasonSchema = Type.Object({ reason: Type.String({ minLength: 10, maxLength: 5000 }) });
const ResponseSchema = Type.Object({
  outcome: Type.Enum(['supported', 'partly_supported', 'not_supported']),
  text: Type.String({ minLength: 20, maxLength: 20_000 }),
  document: Type.Optional(Type.String({ maxLength: 80 })),
});

const actor = (req: FastifyRequest) => ({ id: req.user!.id, ip: req.ip });
const current = (deps: Deps, req: FastifyRequest) => findPetition(deps.db, req.municipality!.id, routeNumber(req)) as Promise<PetitionRow>;
const wrongState = (req: FastifyRequest, reply: FastifyReply, p: PetitionRow) =>
  redirectWithFlash(reply, petitionPath(req, p.number), { kind: 'error', message: req.t('petitions.staff.wrongState', { status: req.t(`petitions.status.${p.status}`) }) });

/** Permission first, then the petition (404 for what the user may not see). */
function staffPetition(deps: Deps, action: string) {
  const check = guard(deps, action);
  return async (req: FastifyRequest, reply: FastifyReply) => {
    await check(req, reply);
    if (reply.sent) return reply;
    await loadPetition(deps, req, reply);
    return reply.sent ? reply : undefined;
  };
}

/** Moderation (publish or reject), the response editor and closing. */
export function registerDecisionPages(app: App, deps: Deps): void {
  const moderateGuard = staffPetition(deps, 'petitions.moderate');
  const moderatePage = async (req: FastifyRequest, reply: FastifyReply, errors: FormErrors, values: FormValues, status = 200) => {
    const p = await current(deps, req);
    const files = await listFiles(deps.db, p.id);
    const path = petitionPath(req, p.number);
    const fmt = new Intl.DateTimeFormat(req.locale, { dateStyle: 'long', timeZone: req.municipality!.time_zone });
    return render(deps, req, reply, {
      title: req.t('petitions.staff.moderateTitle', { number: p.number }), status,
      body: (
        <>
          <h1>{req.t('petitions.staff.moderateTitle', { number: p.number })}</h1>
          <ErrorSummary errors={errors} />
          {p.moderation_due_at && <p>{req.t('petitions.staff.decideBy', { date: fmt.format(new Date(p.moderation_due_at)) })} {overdue(p.moderation_due_at) && <strong>{req.t('petitions.staff.overdue')}</strong>}</p>}
          <section class="preview" aria-label={req.t('petitions.web.preview')}>
            <h2><Content text={p.title} /></h2>
            <p>{req.t('petitions.web.author')}: {p.author_name}</p>
            <ContentBlock text={p.body} />
            {files.length > 0 && <ul>{files.map((f) => <li key={f.id}><a href={fileUrl(f.id)}>{f.original_name}</a></li>)}</ul>}
          </section>
          {p.status === 'moderation' && <Form action={`${path}/moderate/publish`}><Button>{req.t('petitions.staff.publish')}</Button></Form>}
          <h2>{req.t('petitions.staff.rejectTitle')}</h2>
          <Form action={`${path}/moderate/reject`}>
            <Field name="reason" label={req.t('petitions.staff.reason')} hint={req.t('petitions.staff.rejectHint')} multiline rows={5} required errors={errors} values={values} />
            <Button variant="danger">{req.t('petitions.staff.reject')}</Button>
          </Form>
        </>
      ),
    });
  };
  app.get('/:locale/:municipality/petitions/:number/moderate', { schema: { hide: true }, preHandler: moderateGuard }, (req, reply) => moderatePage(req, reply, {}, {}));
  app.post('/:locale/:municipality/petitions/:number/moderate/publish', { schema: { hide: true }, preHandler: moderateGuard }, async (req, reply) => {
    const p = await current(deps, req);
    if ((await publishPetition(deps, actor(req), req.municipality!, p)) !== 'published') return wrongState(req, reply, p);
    return redirectWithFlash(reply, petitionPath(req, p.number), { kind: 'success', message: req.t('petitions.staff.published') });
  });
  app.post('/:locale/:municipality/petitions/:number/moderate/reject', { schema: { hide: true }, preHandler: moderateGuard }, async (req, reply) => {
    const parsed = parseBody(ReasonSchema, req.body, req.t);
    if (!parsed.ok) return moderatePage(req, reply, parsed.errors, parsed.values, 400);
    const p = await current(deps, req);
    if ((await rejectPetition(deps, actor(req), req.municipality!, p, parsed.value.reason.trim())) !== 'rejected') return wrongState(req, reply, p);
    return redirectWithFlash(reply, `/${req.locale}/${req.municipality!.slug}/petitions/staff/moderation`, { kind: 'success', message: req.t('petitions.staff.rejected') });
  });

  const respondGuard = staffPetition(deps, 'petitions.respond');
  formRoute(app, deps, {
    url: '/:locale/:municipality/petitions/:number/respond',
    query: Query({ document: Text(100) }),
    schema: ResponseSchema,
    title: (req) => req.t('petitions.staff.respondTitle'),
    guard: respondGuard,
    initial: (req) => ({ outcome: 'supported', document: (req.query as { document?: string }).document ?? '' }),
    view: async (req, { errors, values }) => {
      const p = await current(deps, req);
      const path = petitionPath(req, p.number);
      const fmt = new Intl.DateTimeFormat(req.locale, { dateStyle: 'long', timeZone: req.municipality!.time_zone });
      const document = typeof values.document === 'string' && values.document ? await findFile(deps.db, values.document) : undefined;
      return (
        <>
          <h1>{req.t('petitions.staff.respondTitle')}</h1>
          <p><a href={path}>{req.t('petitions.number', { number: p.number })}: <Content text={p.title} /></a></p>
          {p.response_due_at && (
            <Banner kind={overdue(p.response_due_at) ? 'warning' : 'info'}>
              {req.t(overdue(p.response_due_at) ? 'petitions.staff.dueWasOn' : 'petitions.staff.dueOn', { date: fmt.format(new Date(p.response_due_at)) })}
            </Banner>
          )}
          <ErrorSummary errors={errors} />
          <h2>{req.t('petitions.staff.document')}</h2>
          {document
            ? <p>{req.t('petitions.staff.documentAttached')} <a href={fileUrl(document.id)}>{document.original_name}</a></p>
            : (
              <Form action={`${path}/respond/document`} multipart once aria-label={req.t('petitions.staff.document')}>
                <div class="field">
                  <label for="f-file" class="field__label">{req.t('petitions.staff.documentLabel')}</label>
                  <p id="f-file-hint" class="field__hint">{req.t('petitions.staff.documentHint')}</p>
                  <input id="f-file" name="file" type="file" accept="application/pdf" class="input" aria-describedby="f-file-hint" />
                </div>
                <Button variant="secondary">{req.t('petitions.web.upload')}</Button>
              </Form>
            )}
          <h2>{req.t('petitions.staff.responseText')}</h2>
          <Form action={`${path}/respond`}>
            <input type="hidden" name="document" value={document?.id ?? ''} />
            <Select name="outcome" label={req.t('petitions.staff.outcome')} value={String(values.outcome ?? '')} errors={errors}
              options={['supported', 'partly_supported', 'not_supported'].map((o) => ({ value: o, label: req.t(`petitions.outcome.${o}`) }))} />
            <Field name="text" label={req.t('petitions.staff.responseText')} hint={req.t('petitions.staff.responseHint')} multiline rows={12} required errors={errors} values={values} />
            <Button>{req.t('petitions.staff.publishResponse')}</Button>
          </Form>
        </>
      );
    },
    async handle(v, req, reply) {
      const p = await current(deps, req);
      const file = v.document ? await findFile(deps.db, v.document) : undefined;
      if (v.document && (!file || file.municipality_id !== req.municipality!.id || file.mime !== 'application/pdf')) return { document: req.t('petitions.staff.badDocument') };
      const r = await respondToPetition(deps, actor(req), req.municipality!, p, { outcome: v.outcome, text: v.text.trim(), fileId: file?.id ?? null });
      if (r !== 'answered') return wrongState(req, reply, p);
      return redirectWithFlash(reply, petitionPath(req, p.number), { kind: 'success', message: req.t('petitions.staff.answered') });
    },
  });
  app.post('/:locale/:municipality/petitions/:number/respond/document', { config: { csrf: false }, schema: { hide: true } }, async (req, reply) => {
    const upload = await readMultipartFile(app, req, reply);
    await respondGuard(req, reply);
    if (reply.sent) return reply;
    const path = `${petitionPath(req, (await current(deps, req)).number)}/respond`;
    const refused = (refusal: UploadProblem) =>
      redirectWithFlash(reply, path, { kind: 'error', message: uploadMessage(req.t, deps, req.t('field.document'), 'document', refusal) });
    if (!upload) return refused({ kind: 'missing' });
    if (upload.kind === 'too_large') return refused(upload);
    // Once per form: a resent upload gets the first one's document instead of storing a second.
    const saved = await saveUploadOnce(deps, onceKey(req, { fields: upload.fields }), 'petitions.response-document',
      { municipalityId: req.municipality!.id, ownerId: req.user!.id, filename: upload.filename, data: upload.data, allowed: 'document' }, async (_trx, file) => file.id);
    if (saved.kind !== 'saved') return refused(saved);
    return redirectWithFlash(reply, `${path}?document=${saved.result}`, { kind: 'success', message: req.t('petitions.web.fileAttached') });
  });

  formRoute(app, deps, {
    url: '/:locale/:municipality/petitions/:number/close',
    schema: ReasonSchema,
    title: (req) => req.t('petitions.web.close'),
    guard: staffPetition(deps, 'petitions.close'),
    view: async (req, { errors, values }) => {
      const p = await current(deps, req);
      return (
        <>
          <h1>{req.t('petitions.web.close')}</h1>
          <p><a href={petitionPath(req, p.number)}>{req.t('petitions.number', { number: p.number })}: <Content text={p.title} /></a></p>
          <ErrorSummary errors={errors} />
          <Form action={`${petitionPath(req, p.number)}/close`}>
            <Field name="reason" label={req.t('petitions.staff.closeReason')} hint={req.t('petitions.staff.closeHint')} multiline rows={5} required errors={errors} values={values} />
            <Button variant="danger">{req.t('petitions.web.close')}</Button>
          </Form>
        </>
      );
    },
    async handle(v, req, reply) {
      const p = await current(deps, req);
      if ((await closePetition(deps, actor(req), req.municipality!, p, v.reason.trim())) !== 'closed') return wrongState(req, reply, p);
      return redirectWithFlash(reply, petitionPath(req, p.number), { kind: 'success', message: req.t('petitions.staff.closed') });
    },
  });
}
