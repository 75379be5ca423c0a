import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Static, TSchema } from 'typebox';
import { readMultipartForm } from '../../../platform/files/files.web.ts';
import { fileUrl, uploadMessage } from '../../../platform/files/uploads.ts';
import type { App, Deps } from '../../../platform/http/deps.ts';
import { notFound } from '../../../platform/http/errors.tsx';
import { redirectWithFlash } from '../../../platform/http/flash.ts';
import { parseBody } from '../../../platform/http/forms.ts';
import { render } from '../../../platform/http/render.tsx';
import { onceKey } from '../../../platform/idempotency/once.ts';
import { moneyInput } from '../../../platform/i18n/money.ts';
import { municipalGuard } from '../../../platform/tenancy/admin.web.tsx';
import { Banner, Button, ErrorSummary, Field, FileField, Form, Select, Table, type FormErrors, type FormValues } from '../../../platform/views/components.tsx';
import { Content, ContentBlock, contentText } from '../../../platform/views/content.tsx';
import { findCycleById } from '../cycle.repo.ts';
import { pbStaffBase, projectPath } from '../paths.ts';
import type { Cycle, Project } from '../pb.tables.ts';
import { day, ImplementationSummary, today } from './common.tsx';
import { implementationVersion, listMilestones, listUpdates, projectByNumber } from './impl.repo.ts';
import { addMilestone, IMPL_STATUSES, postUpdate, setProjectImplementation, type Actor, type ImplOutcome } from './impl.service.ts';
import { implementationValues, MilestoneSchema, milestoneValues, StatusSchema, UpdateSchema } from './input.ts';

/** Which form a POST came from, so its errors and values show in that form alone. */
type Which = 'status' | 'milestones' | 'updates';
interface Shown { which?: Which; errors?: FormErrors; values?: FormValues }

export const PHOTO_FORMATS = 'JPEG, PNG, WebP';
export const implPath = (req: FastifyRequest, number: number) => `${pbStaffBase(req)}/projects/${number}/implementation`;
export const actor = (req: FastifyRequest): Actor => ({ id: req.user!.id, ip: req.ip });

/** The staff page of one project's implementation: its figures, milestones and updates, each with its form. */
async function ProjectImplementation({ deps, req, p, cycle, shown }: { deps: Deps; req: FastifyRequest; p: Project; cycle: Cycle; shown: Shown }) {
  const t = req.t;
  const base = implPath(req, p.number);
  const now = new Date();
  const [milestones, updates, version] = await Promise.all([listMilestones(deps.db, p.id), listUpdates(deps.db, p.id), implementationVersion(deps.db, p.id)]);
  const f = (which: Which, start: FormValues = {}) => (shown.which === which ? { errors: shown.errors ?? {}, values: shown.values ?? {} } : { errors: {}, values: start });
  const status = f('status', {
    status: p.impl_status ?? 'planned', progress: p.progress, dueOn: p.due_on ?? '', contracted: p.contracted === null ? '' : moneyInput(p.contracted), spent: moneyInput(p.spent),
  });
  return (
    <>
      <p><a href={`${pbStaffBase(req)}/implementation`}>{t('pb.impl.staff.title')}</a></p>
      <p class="eyebrow">{t('pb.impl.projectNumber', { number: p.number })}</p>
      <h1><Content text={p.title} /></h1>
      <p><a href={projectPath(req, p.number)}>{t('pb.impl.staff.publicPage')}</a></p>
      <ErrorSummary errors={shown.errors} />
      <ImplementationSummary req={req} p={p} currency={cycle.currency} todayDate={today(req, now)} />
      <Form action={`${base}/status`} aria-label={t('pb.impl.staff.statusTitle')}>
        <h2>{t('pb.impl.staff.statusTitle')}</h2>
        <input type="hidden" name="version" value={version} />
        <Select name="status" label={t('pb.impl.field.status')} errors={status.errors} value={String(status.values.status ?? 'planned')}
          options={IMPL_STATUSES.map((s) => ({ value: s, label: t(`pb.impl.status.${s}`) }))} />
        <Field name="progress" label={t('pb.impl.field.progress')} hint={t('pb.impl.progressHint')} inputMode="numeric" required {...status} />
        <Field name="dueOn" type="date" label={t('pb.impl.field.dueOn')} hint={t('pb.impl.dateHint')} {...status} />
        <Field name="contracted" label={t('pb.impl.field.contracted')} hint={t('pb.impl.contractedHint', { currency: cycle.currency })} inputMode="decimal" {...status} />
        <Field name="spent" label={t('pb.impl.field.spent')} hint={t('pb.impl.moneyHint', { currency: cycle.currency })} inputMode="decimal" {...status} />
        <Button>{t('pb.impl.staff.save')}</Button>
      </Form>
      <h2>{t('pb.impl.milestones')}</h2>
      {milestones.length > 0 && (
        <Table caption={t('pb.impl.milestones')} captionHidden head={[t('pb.impl.field.milestoneTitle'), t('pb.impl.field.milestoneDue'), t('pb.impl.field.milestoneDone'), t('pb.impl.staff.actions')]}
          rows={milestones.map((ms) => [
            <Content text={ms.title} />, day(req, ms.due_on), ms.done_on ? day(req, ms.done_on) : t('pb.impl.notYet'),
            <div class="actions">
              <a href={`${base}/milestones/${ms.id}`}>{t('pb.impl.staff.edit')}<span class="visually-hidden">: {contentText(req, ms.title)}</span></a>
              <Form action={`${base}/milestones/${ms.id}/delete`} aria-label={t('pb.impl.staff.deleteMilestone', { title: contentText(req, ms.title) })}>
                <Button variant="secondary">{t('pb.impl.staff.delete')}<span class="visually-hidden">: {contentText(req, ms.title)}</span></Button>
              </Form>
            </div>,
          ])} />
      )}
      <Form action={`${base}/milestones`} once aria-label={t('pb.impl.staff.addMilestone')}>
        <h3>{t('pb.impl.staff.addMilestone')}</h3>
        <Field name="milestoneTitle" label={t('pb.impl.field.milestoneTitle')} required maxLength={200} {...f('milestones')} />
        <Field name="milestoneDue" type="date" label={t('pb.impl.field.milestoneDue')} hint={t('pb.impl.dateHint')} required {...f('milestones')} />
        <Field name="milestoneDone" type="date" label={t('pb.impl.field.milestoneDone')} hint={t('pb.impl.doneHint')} {...f('milestones')} />
        <Button variant="secondary">{t('pb.impl.staff.addMilestone')}</Button>
      </Form>
      <h2>{t('pb.impl.updates')}</h2>
      <Form action={`${base}/updates`} multipart once aria-label={t('pb.impl.staff.postUpdate')}>
        <h3>{t('pb.impl.staff.postUpdate')}</h3>
        <Field name="body" label={t('pb.impl.field.body')} multiline rows={5} required maxLength={5000} {...f('updates')} />
        <Field name="updateProgress" label={t('pb.impl.field.updateProgress')} hint={t('pb.impl.updateProgressHint')} inputMode="numeric" {...f('updates')} />
        <FileField name="photo" label={t('pb.impl.field.photo')} hint={t('pb.impl.photoHint', { formats: PHOTO_FORMATS })} accept="image/jpeg,image/png,image/webp" errors={f('updates').errors} />
        <Field name="caption" label={t('pb.impl.field.caption')} hint={t('pb.impl.captionHint')} maxLength={300} {...f('updates')} />
        <Button>{t('pb.impl.staff.postUpdate')}</Button>
      </Form>
      {updates.length > 0 && (
        <ul class="timeline">
          {updates.map((u) => (
            <li key={u.id}>
              <time dateTime={new Date(u.created_at).toISOString()}>{req.fmt.dateTime(u.created_at)}</time>
              {u.progress !== null && <> · {t('pb.impl.progressLabel', { progress: u.progress })}</>}
              <ContentBlock text={u.body} />
              {u.photos.length > 0 && <ul class="photos">{u.photos.map((ph, i) => <li key={ph.file_id}><img src={fileUrl(ph.file_id)} alt={ph.caption ? contentText(req, ph.caption) : t('pb.impl.photoAlt', { n: i + 1 })} loading="lazy" /></li>)}</ul>}
              <p><a href={`${base}/updates/${u.id}/photos`}>{t('pb.impl.staff.addPhoto')}</a></p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** The project of the route, if it exists in the municipality; a page saying why when it is not funded. */
export async function loadProject(deps: Deps, req: FastifyRequest, reply: FastifyReply): Promise<{ p: Project; cycle: Cycle } | null> {
  const p = await projectByNumber(deps.db, req.municipality!.id, (req.params as { number: number }).number);
  const cycle = p && (await findCycleById(deps.db, req.municipality!.id, p.cycle_id));
  if (!p || !cycle) {
    await notFound(deps, req, reply);
    return null;
  }
  if (!p.funded) {
    await notFundedPage(deps, req, reply, p);
    return null;
  }
  return { p, cycle };
}

/** Only funded projects are implemented: a page (409) saying so, with the way back. */
export function notFundedPage(deps: Deps, req: FastifyRequest, reply: FastifyReply, p: Project) {
  return render(deps, req, reply, {
    title: req.t('pb.impl.notFunded.title'), status: 409,
    body: (
      <>
        <h1>{req.t('pb.impl.notFunded.title')}</h1>
        <Banner kind="warning"><p>{req.t('pb.impl.notFunded.body', { number: p.number })}</p></Banner>
        <p><a href={projectPath(req, p.number)}><Content text={p.title} /></a></p>
      </>
    ),
  });
}

/** Where a refused or successful write leads: back to the project's page with a message, or its form with errors. */
export function answer(deps: Deps, req: FastifyRequest, reply: FastifyReply, found: { p: Project; cycle: Cycle }, o: ImplOutcome, show: (s: Shown) => Promise<FastifyReply>, which: Which, values: FormValues) {
  const back = implPath(req, found.p.number);
  const flash = (kind: 'success' | 'info' | 'error', key: string) => redirectWithFlash(reply, back, { kind, message: req.t(key) });
  switch (o.kind) {
    case 'done': return flash('success', 'pb.impl.staff.saved');
    case 'unchanged': return flash('info', 'pb.impl.staff.unchanged');
    case 'stale': return flash('error', 'pb.impl.staff.stale');
    case 'gone': return flash('error', 'pb.impl.staff.gone');
    case 'not_funded': return notFundedPage(deps, req, reply, found.p);
    case 'too_many': return show({ which, errors: { photo: req.t('pb.impl.error.tooManyPhotos') }, values });
    case 'invalid': return show({ which, errors: { [o.field]: req.t(o.key) }, values });
    case 'refused': return show({ which, errors: { photo: uploadMessage(req.t, deps, req.t('pb.impl.field.photo'), 'image', o.refusal) }, values });
  }
}

/** Officials' list of funded projects and each project's implementation page with its forms. */
export function registerImplementationStaffPages(app: App, deps: Deps): void {
  const guard = municipalGuard(deps, 'pb.implement');
  const load = async (req: FastifyRequest, reply: FastifyReply) => {
    await guard(req, reply);
    return reply.sent ? null : loadProject(deps, req, reply);
  };
  const page = (req: FastifyRequest, reply: FastifyReply, found: { p: Project; cycle: Cycle }) => async (shown: Shown, status = 400) =>
    render(deps, req, reply, { title: contentText(req, found.p.title), status, body: await ProjectImplementation({ deps, req, ...found, shown }) });
  const url = '/:locale/:municipality/participatory-budget/staff/projects/:number/implementation';

  app.get(url, { schema: { hide: true } }, async (req, reply) => {
    const found = await load(req, reply);
    return found ? page(req, reply, found)({}, 200) : reply;
  });

  /** One POST route per form: parse, act, then a redirect with a message or that form again with its errors. */
  function action<S extends TSchema>(which: 'status' | 'milestones', schema: S, act: (v: Static<S>, found: { p: Project; cycle: Cycle }, req: FastifyRequest) => Promise<ImplOutcome | FormErrors>) {
    app.post(`${url}/${which}`, { schema: { hide: true } }, async (req, reply) => {
      const found = await load(req, reply);
      if (!found) return reply;
      const show = page(req, reply, found);
      const parsed = parseBody(schema, req.body, req.t);
      if (!parsed.ok) return show({ which, errors: parsed.errors, values: parsed.values });
      const o = await act(parsed.value, found, req);
      if (!('kind' in o)) return show({ which, errors: o as FormErrors, values: parsed.value as FormValues });
      return answer(deps, req, reply, found, o as ImplOutcome, show, which, parsed.value as FormValues);
    });
  }
  action('status', StatusSchema, async (v, { p }, req) => {
    const values = implementationValues(req, v);
    return values.ok ? setProjectImplementation(deps, actor(req), req.municipality!, p, v.version, values.value) : values.errors;
  });
  action('milestones', MilestoneSchema, async (v, { p }, req) => {
    const values = milestoneValues(req, v);
    return values.ok ? addMilestone(deps, actor(req), req.municipality!, p, values.value, onceKey(req)) : values.errors;
  });

  // Multipart (the photo): the CSRF token is checked once the form's fields are read.
  app.post(`${url}/updates`, { config: { csrf: false }, schema: { hide: true } }, async (req, reply) => {
    const { upload, fields } = await readMultipartForm(app, req, reply);
    if (reply.sent) return reply;
    const found = await load(req, reply);
    if (!found) return reply;
    const show = page(req, reply, found);
    const parsed = parseBody(UpdateSchema, fields, req.t);
    if (!parsed.ok) return show({ which: 'updates', errors: parsed.errors, values: parsed.values });
    if (upload?.kind === 'too_large') return show({ which: 'updates', errors: { photo: uploadMessage(req.t, deps, req.t('pb.impl.field.photo'), 'image', upload) }, values: parsed.value as FormValues });
    const v = parsed.value;
    const photo = upload ? { filename: upload.filename, data: upload.data, caption: v.caption ?? '' } : null;
    const o = await postUpdate(deps, actor(req), req.municipality!, found.p, { body: v.body, progress: v.updateProgress ?? null }, photo, onceKey(req, { fields }));
    return answer(deps, req, reply, found, o, show, 'updates', v as FormValues);
  });
}
