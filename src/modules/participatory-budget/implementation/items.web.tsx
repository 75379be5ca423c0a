import type { FastifyReply, FastifyRequest } from 'fastify';
import { readMultipartForm } from '../../../platform/files/files.web.ts';
import { uploadMessage } from '../../../platform/files/uploads.ts';
import type { App, Deps } from '../../../platform/http/deps.ts';
import { notFound } from '../../../platform/http/errors.tsx';
import { formRoute, type FormView } from '../../../platform/http/form-route.tsx';
import { redirectWithFlash } from '../../../platform/http/flash.ts';
import { parseBody } from '../../../platform/http/forms.ts';
import { render } from '../../../platform/http/render.tsx';
import { onceKey } from '../../../platform/idempotency/once.ts';
import { municipalGuard } from '../../../platform/tenancy/admin.web.tsx';
import { Button, ErrorSummary, Field, FileField, Form, type FormValues } from '../../../platform/views/components.tsx';
import { Content, ContentBlock } from '../../../platform/views/content.tsx';
import { findMilestone, findUpdate, projectByNumber } from './impl.repo.ts';
import { addUpdatePhoto, editMilestone, MAX_UPDATE_PHOTOS, removeMilestone } from './impl.service.ts';
import { CaptionSchema, MilestoneSchema, milestoneValues } from './input.ts';
import { actor, answer, implPath, loadProject, PHOTO_FORMATS } from './staff.web.tsx';

const url = '/:locale/:municipality/participatory-budget/staff/projects/:number/implementation';
const itemId = (req: FastifyRequest) => (req.params as { id: number }).id;

/** Editing and removing one milestone, and adding photos to an update already posted. */
export function registerImplementationItemPages(app: App, deps: Deps): void {
  const guard = municipalGuard(deps, 'pb.implement');
  const load = async (req: FastifyRequest, reply: FastifyReply) => {
    await guard(req, reply);
    return reply.sent ? null : loadProject(deps, req, reply);
  };
  const milestoneOf = async (req: FastifyRequest, reply: FastifyReply) => {
    const found = await load(req, reply);
    if (!found) return null;
    const ms = await findMilestone(deps.db, found.p.id, itemId(req));
    if (!ms) {
      await notFound(deps, req, reply);
      return null;
    }
    return { ...found, ms };
  };

  formRoute(app, deps, {
    url: `${url}/milestones/:id`,
    schema: MilestoneSchema,
    title: (req) => req.t('pb.impl.staff.editMilestone'),
    guard: async (req, reply) => { await milestoneOf(req, reply); },
    initial: async (req) => {
      // The guard has found both.
      const p = (await projectByNumber(deps.db, req.municipality!.id, (req.params as { number: number }).number))!;
      const ms = (await findMilestone(deps.db, p.id, itemId(req)))!;
      return { milestoneTitle: ms.title, milestoneDue: ms.due_on, milestoneDone: ms.done_on ?? '' };
    },
    view: (req, form: FormView) => (
      <>
        <p><a href={implPath(req, (req.params as { number: number }).number)}>{req.t('pb.impl.staff.back')}</a></p>
        <h1>{req.t('pb.impl.staff.editMilestone')}</h1>
        <ErrorSummary errors={form.errors} />
        <Form action={`${implPath(req, (req.params as { number: number }).number)}/milestones/${itemId(req)}`}>
          <Field name="milestoneTitle" label={req.t('pb.impl.field.milestoneTitle')} required maxLength={200} {...form} />
          <Field name="milestoneDue" type="date" label={req.t('pb.impl.field.milestoneDue')} hint={req.t('pb.impl.dateHint')} required {...form} />
          <Field name="milestoneDone" type="date" label={req.t('pb.impl.field.milestoneDone')} hint={req.t('pb.impl.doneHint')} {...form} />
          <Button>{req.t('pb.impl.staff.save')}</Button>
        </Form>
      </>
    ),
    async handle(v, req, reply) {
      const values = milestoneValues(req, v);
      if (!values.ok) return values.errors;
      const found = (await milestoneOf(req, reply))!;
      const o = await editMilestone(deps, actor(req), req.municipality!, found.p, found.ms.id, values.value);
      // Editing refuses nothing with a form's message: every outcome is a redirect or a page.
      return answer(deps, req, reply, found, o, async () => reply, 'milestones', v as FormValues);
    },
  });

  app.post(`${url}/milestones/:id/delete`, { schema: { hide: true } }, async (req, reply) => {
    const found = await load(req, reply);
    if (!found) return reply;
    const o = await removeMilestone(deps, actor(req), req.municipality!, found.p, itemId(req));
    return answer(deps, req, reply, found, o, async () => reply, 'milestones', {});
  });

  const photoPage = async (req: FastifyRequest, reply: FastifyReply, form: FormView, status: number) => {
    const found = await load(req, reply);
    if (!found) return reply;
    const u = await findUpdate(deps.db, found.p.id, itemId(req));
    if (!u) return notFound(deps, req, reply);
    const base = implPath(req, found.p.number);
    return render(deps, req, reply, {
      title: req.t('pb.impl.staff.addPhoto'), status,
      body: (
        <>
          <p><a href={base}>{req.t('pb.impl.staff.back')}</a></p>
          <h1>{req.t('pb.impl.staff.addPhoto')}</h1>
          <p><Content text={found.p.title} /> · <time dateTime={new Date(u.created_at).toISOString()}>{req.fmt.dateTime(u.created_at)}</time></p>
          <ContentBlock text={u.body} />
          <ErrorSummary errors={form.errors} />
          <Form action={`${base}/updates/${u.id}/photos`} multipart once>
            <FileField name="photo" label={req.t('pb.impl.field.photo')} hint={req.t('pb.impl.photoHintMax', { formats: PHOTO_FORMATS, max: MAX_UPDATE_PHOTOS })} accept="image/jpeg,image/png,image/webp" errors={form.errors} />
            <Field name="caption" label={req.t('pb.impl.field.caption')} hint={req.t('pb.impl.captionHint')} maxLength={300} {...form} />
            <Button>{req.t('pb.impl.staff.upload')}</Button>
          </Form>
        </>
      ),
    });
  };

  app.get(`${url}/updates/:id/photos`, { schema: { hide: true } }, (req, reply) => photoPage(req, reply, { errors: {}, values: {} }, 200));

  app.post(`${url}/updates/:id/photos`, { config: { csrf: false }, schema: { hide: true } }, async (req, reply) => {
    const { upload, fields } = await readMultipartForm(app, req, reply);
    if (reply.sent) return reply;
    const found = await load(req, reply);
    if (!found) return reply;
    const parsed = parseBody(CaptionSchema, fields, req.t);
    const again = (errors: Record<string, string>) => photoPage(req, reply, { errors, values: parsed.ok ? (parsed.value as FormValues) : parsed.values }, 400);
    if (!parsed.ok) return again(parsed.errors);
    const message = (refusal: Parameters<typeof uploadMessage>[4]) => uploadMessage(req.t, deps, req.t('pb.impl.field.photo'), 'image', refusal);
    if (!upload) return again({ photo: message({ kind: 'missing' }) });
    if (upload.kind === 'too_large') return again({ photo: message(upload) });
    const o = await addUpdatePhoto(deps, actor(req), req.municipality!, found.p, itemId(req), { filename: upload.filename, data: upload.data, caption: parsed.value.caption ?? '' }, onceKey(req, { fields }));
    if (o.kind === 'gone') return notFound(deps, req, reply);
    if (o.kind === 'done') return redirectWithFlash(reply, implPath(req, found.p.number), { kind: 'success', message: req.t('pb.impl.staff.photoAdded') });
    return answer(deps, req, reply, found, o, async (s) => again(s.errors ?? {}), 'updates', parsed.value as FormValues);
  });
}
