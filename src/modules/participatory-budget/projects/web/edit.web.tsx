import type { FastifyReply, FastifyRequest } from 'fastify';
import { meetsLevel, type VerificationLevel } from '../../../../platform/auth/current-user.ts';
import type { App, Deps } from '../../../../platform/http/deps.ts';
import { forbidden, notFound } from '../../../../platform/http/errors.tsx';
import { redirectWithFlash } from '../../../../platform/http/flash.ts';
import { formRoute } from '../../../../platform/http/form-route.tsx';
import { Id, Query } from '../../../../platform/http/input.ts';
import { render } from '../../../../platform/http/render.tsx';
import { redirectToSignIn } from '../../../../platform/http/request-context.ts';
import { onceKey } from '../../../../platform/idempotency/once.ts';
import { listDistricts } from '../../../../platform/tenancy/districts.repo.ts';
import { Button, ErrorSummary, Form, type FormErrors, type FormValues } from '../../../../platform/views/components.tsx';
import { Content } from '../../../../platform/views/content.tsx';
import { cycleCategories, findCycle } from '../../cycle.repo.ts';
import type { Cycle } from '../../pb.tables.ts';
import { cyclePath } from '../../paths.ts';
import { PhaseBanner } from '../../web/phase.tsx';
import { costFormValues, shownLines } from '../cost-input.ts';
import { acceptsProjects, editableNow } from '../project.rules.ts';
import { createProject, updateProject } from '../project.service.ts';
import { levelPage, loadProject, newProjectPath, projectPaths, seesCycle, type LoadedProject } from './common.tsx';
import { inputOf, problemErrors, ProjectFields, ProjectSchema } from './form.tsx';
import { CoauthorsSection, FilesSection } from './manage.web.tsx';

/** Up to 30 creates per address in 10 minutes: more than any author needs, a brake on scripts. */
const LIMIT = { config: { rateLimit: { max: 30, timeWindow: 600_000 } } };

/** One look per request at what the route names (the guard finds it, the view and the handler use it). */
const loaded = new WeakMap<FastifyRequest, { cycle: Cycle; project?: LoadedProject; now: Date }>();
const context = (req: FastifyRequest) => loaded.get(req)!;

/** The form's fields as a browser sent them, for drawing it again ("add a line" saves nothing). */
const typed = (req: FastifyRequest): FormValues => Object.fromEntries(Object.entries((req.body ?? {}) as Record<string, unknown>).filter(([k]) => k !== '_csrf' && k !== '_once'));

async function FormPage({ deps, req, action, errors, values, lines, once, heading }: { deps: Deps; req: FastifyRequest; action: string; errors: FormErrors; values: FormValues; lines: number; once: boolean; heading: string }) {
  const { cycle, now, project } = context(req);
  const [categories, districts] = await Promise.all([cycleCategories(deps.db, cycle.id), listDistricts(deps.db, req.municipality!.id)]);
  return (
    <>
      <PhaseBanner req={req} cycle={cycle} now={now} />
      <h1>{heading}</h1>
      <p class="lead">{req.t('pb.projects.form.lead')} <a href={cyclePath(req, cycle.number)}><Content text={cycle.title} /></a></p>
      <ErrorSummary errors={errors} />
      <Form action={action} once={once}>
        <ProjectFields deps={deps} req={req} cycle={cycle} categories={categories} districts={districts} errors={errors} values={values} lines={lines} />
        <Button>{req.t(project && project.p.status !== 'draft' ? 'pb.projects.form.save' : 'pb.projects.form.saveDraft')}</Button>
      </Form>
      {project && await FilesSection({ deps, req, loaded: project })}
      {project && await CoauthorsSection({ deps, req, loaded: project })}
      {project && <p><a href={projectPaths(req, project.p.number).page}>{req.t(project.p.status === 'draft' ? 'pb.projects.form.preview' : 'pb.projects.form.back')}</a></p>}
    </>
  );
}

/**
 * A POST with "add a line" is answered before the form is checked: the same form with one more empty line and
 * no messages, nothing saved (a form half typed would otherwise be refused for its missing fields).
 */
async function addLine(deps: Deps, req: FastifyRequest, reply: FastifyReply, action: string, once: boolean, heading: string) {
  if (req.method !== 'POST' || (req.body as Record<string, unknown> | undefined)?.addLine !== 'yes') return undefined;
  const values = typed(req);
  return render(deps, req, reply, { title: heading, body: await FormPage({ deps, req, action, errors: {}, values, lines: shownLines(values, true), once, heading }) });
}

/** Starting a project (`/projects/new?cycle=N`) and editing one (`/projects/:number/edit`). */
export function registerEditPages(app: App, deps: Deps): void {
  const newTitle = (req: FastifyRequest) => req.t('pb.projects.form.newTitle');
  const newAction = (req: FastifyRequest) => newProjectPath(req, context(req).cycle.number);

  formRoute(app, deps, {
    url: '/:locale/:municipality/participatory-budget/projects/new',
    query: Query({ cycle: Id() }),
    schema: ProjectSchema,
    title: newTitle,
    postOptions: LIMIT,
    async guard(req, reply) {
      if (!req.user) return redirectToSignIn(req, reply);
      const number = (req.query as { cycle?: number }).cycle;
      const cycle = number ? await findCycle(deps.db, req.municipality!.id, number) : undefined;
      if (!cycle || !seesCycle(req, cycle)) return notFound(deps, req, reply);
      const now = new Date();
      loaded.set(req, { cycle, now });
      if (!acceptsProjects(cycle, now)) return closedPage(deps, req, reply, cycle, now);
      if (!meetsLevel(req.user, req.municipality!, cycle.submit_level as VerificationLevel)) return levelPage(deps, req, reply, cycle.submit_level, cyclePath(req, cycle.number));
      return addLine(deps, req, reply, newAction(req), true, newTitle(req));
    },
    view: (req, { errors, values }) => FormPage({ deps, req, action: newAction(req), errors, values, lines: shownLines(values, false), once: true, heading: newTitle(req) }),
    async handle(v, req, reply) {
      const { cycle, now } = context(req);
      const read = inputOf(req, v);
      if ('errors' in read) return read.errors;
      const r = await createProject(deps, req.user!, req.municipality!, cycle, read.input, onceKey(req), now);
      switch (r.kind) {
        case 'created': return redirectWithFlash(reply, projectPaths(req, r.number).page, { kind: 'success', message: req.t('pb.projects.flash.created', { number: r.number }) });
        case 'closed': return closedPage(deps, req, reply, cycle, now);
        case 'level': return levelPage(deps, req, reply, r.required, cyclePath(req, cycle.number));
        case 'too_many': return { _form: req.t('pb.projects.form.tooMany', { max: r.max }) };
        default: return problemErrors(req, cycle, r);
      }
    },
  });

  const editTitle = (req: FastifyRequest) => req.t('pb.projects.form.editTitle', { number: context(req).project!.p.number });
  const editAction = (req: FastifyRequest) => projectPaths(req, context(req).project!.p.number).edit;

  formRoute(app, deps, {
    url: '/:locale/:municipality/participatory-budget/projects/:number/edit',
    schema: ProjectSchema,
    title: editTitle,
    async guard(req, reply) {
      if (!req.user) return redirectToSignIn(req, reply);
      const project = await loadProject(deps, req, reply);
      if (!project) return reply;
      if (!project.authored) return forbidden(deps, req, reply);
      const now = new Date();
      loaded.set(req, { cycle: project.cycle, project, now });
      if (!editableNow(project.p, project.cycle, now)) {
        return redirectWithFlash(reply, projectPaths(req, project.p.number).page, { kind: 'error', message: req.t('pb.projects.flash.notEditable') });
      }
      return addLine(deps, req, reply, editAction(req), false, editTitle(req));
    },
    initial(req) {
      const { p, category } = context(req).project!;
      return {
        title: p.title, summary: p.summary, description: p.description, category: category.slug, district: p.district_id ?? undefined,
        beneficiaries: p.beneficiaries, address: p.address ?? undefined, lat: p.lat ?? undefined, lng: p.lng ?? undefined, ...costFormValues(p.cost_items),
      };
    },
    view: (req, { errors, values }) => FormPage({ deps, req, action: editAction(req), errors, values, lines: shownLines(values, false), once: false, heading: editTitle(req) }),
    async handle(v, req, reply) {
      const { cycle, now, project } = context(req);
      const read = inputOf(req, v);
      if ('errors' in read) return read.errors;
      const r = await updateProject(deps, req.user!, req.municipality!, cycle, project!.p, read.input, now);
      const page = projectPaths(req, project!.p.number).page;
      switch (r.kind) {
        case 'saved': return redirectWithFlash(reply, page, { kind: 'success', message: req.t('pb.projects.flash.saved') });
        case 'forbidden': return forbidden(deps, req, reply);
        case 'closed': return redirectWithFlash(reply, page, { kind: 'error', message: req.t('pb.projects.flash.notEditable') });
        default: return problemErrors(req, cycle, r);
      }
    },
  });
}

/** Said where a cycle takes no projects now: which phase is on, and when submission runs. */
function closedPage(deps: Deps, req: FastifyRequest, reply: FastifyReply, cycle: Cycle, now: Date) {
  const title = req.t('pb.projects.closed.title');
  return render(deps, req, reply, {
    title, status: 403,
    body: (
      <>
        <PhaseBanner req={req} cycle={cycle} now={now} />
        <h1>{title}</h1>
        <p class="lead">{req.t('pb.projects.closed.lead', { opens: req.fmt.dateTime(cycle.submission_opens), closes: req.fmt.dateTime(cycle.submission_closes) })}</p>
        <p><a href={cyclePath(req, cycle.number)}>{req.t('pb.projects.backToCycle')}</a></p>
      </>
    ),
  });
}
