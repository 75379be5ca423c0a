import type { FastifyRequest } from 'fastify';
import type { App, Deps } from '../../../../platform/http/deps.ts';
import { notFound } from '../../../../platform/http/errors.tsx';
import { redirectWithFlash } from '../../../../platform/http/flash.ts';
import { formRoute } from '../../../../platform/http/form-route.tsx';
import { onceKey } from '../../../../platform/idempotency/once.ts';
import { localDate } from '../../../../platform/time/working-days.ts';
import { municipalGuard } from '../../../../platform/tenancy/admin.web.tsx';
import { Banner, Button, ErrorSummary, Form, Tag } from '../../../../platform/views/components.tsx';
import { Content, contentText } from '../../../../platform/views/content.tsx';
import { cycleCategories, findCycle } from '../../cycle.repo.ts';
import type { Cycle } from '../../pb.tables.ts';
import { cyclePath, pbStaffBase } from '../../paths.ts';
import { PhaseBanner } from '../../web/phase.tsx';
import { CycleSchema, cycleFormValues, readCycleForm } from '../cycle.input.ts';
import { createCycle, publishCycle, updateCycle } from '../cycle.service.ts';
import { firstBallotAt } from '../cycles.repo.ts';
import { CycleStaffNav, StaffNav, staffCyclePath } from '../staff-nav.tsx';
import { cycleGuard, CycleFields, staffCycle, updateErrors } from './cycle-form.tsx';

const actor = (req: FastifyRequest) => ({ id: req.user!.id, ip: req.ip });
const routeNumber = (req: FastifyRequest) => (req.params as { number: number }).number;

/** The top of a cycle's staff pages: its title, state and phase, the freeze if any, and its pages. */
export async function CycleStaffHead({ deps, req, cycle, now }: { deps: Deps; req: FastifyRequest; cycle: Cycle; now: Date }) {
  const t = req.t;
  const frozen = await firstBallotAt(deps.db, cycle.id);
  return (
    <>
      <p class="eyebrow">{t('pb.cycle.number', { number: cycle.number })} · <Tag tone={cycle.status === 'draft' ? 'warning' : 'success'}>{t(`pb.cycle.status.${cycle.status}`)}</Tag></p>
      <h1><Content text={cycle.title} /></h1>
      <CycleStaffNav req={req} number={cycle.number} />
      {cycle.status === 'published' && <PhaseBanner req={req} cycle={cycle} now={now} />}
      {frozen && <Banner kind="warning" title={t('pb.cycles.frozenTitle')}>{t('pb.cycles.frozenLead', { since: req.fmt.dateTime(frozen) })}</Banner>}
      <p><a href={cyclePath(req, cycle.number)}>{t(cycle.status === 'draft' ? 'pb.cycles.previewPage' : 'pb.cycles.publicPage')}</a></p>
    </>
  );
}

/** Creating a cycle, editing it, publishing a draft. */
export function registerCycleFormPages(app: App, deps: Deps): void {
  formRoute(app, deps, {
    url: '/:locale/:municipality/participatory-budget/staff/cycles/new',
    schema: CycleSchema,
    title: (req) => req.t('pb.cycles.new'),
    guard: municipalGuard(deps, 'pb.manage'),
    initial: (req) => ({
      year: Number(localDate(new Date(), req.municipality!.time_zone).slice(0, 4)) + 1, currency: req.municipality!.currency, rule: 'approval', maxChoices: 3,
      voteLevel: 'resident', submitLevel: 'email', ageSource: 'identity_or_declared', reviewDays: 10,
    }),
    view: (req, { errors, values }) => (
      <>
        <h1>{req.t('pb.cycles.new')}</h1>
        <StaffNav req={req} />
        <p class="lead">{req.t('pb.cycles.newLead')}</p>
        <ErrorSummary errors={errors} />
        <Form action={`${pbStaffBase(req)}/cycles/new`} once>
          <CycleFields req={req} errors={errors} values={values} />
          <Button>{req.t('pb.cycles.create')}</Button>
        </Form>
      </>
    ),
    async handle(v, req, reply) {
      const read = readCycleForm(v, req.municipality!.time_zone, req.t);
      if (!read.ok) return read.errors;
      const { number } = await createCycle(deps, actor(req), req.municipality!, read.input, onceKey(req));
      return redirectWithFlash(reply, `${staffCyclePath(req, number)}/categories`, { kind: 'success', message: req.t('pb.cycles.created') });
    },
  });

  const current = async (req: FastifyRequest) => (await findCycle(deps.db, req.municipality!.id, routeNumber(req)))!;
  formRoute(app, deps, {
    url: '/:locale/:municipality/participatory-budget/staff/cycles/:number',
    schema: CycleSchema,
    title: (req) => req.t('pb.staff.settings'),
    guard: cycleGuard(deps),
    initial: async (req) => cycleFormValues(await current(req), req.municipality!.time_zone),
    view: async (req, { errors, values }) => {
      const t = req.t;
      const cycle = await current(req);
      const categories = await cycleCategories(deps.db, cycle.id);
      const path = staffCyclePath(req, cycle.number);
      return (
        <>
          {await CycleStaffHead({ deps, req, cycle, now: new Date() })}
          {cycle.status === 'draft' && (
            <section aria-labelledby="pb-publish">
              <h2 id="pb-publish">{t('pb.cycles.publishTitle')}</h2>
              <p>{t(categories.length > 0 ? 'pb.cycles.publishLead' : 'pb.cycles.publishNeedsCategory')}</p>
              {categories.length > 0 && <Form action={`${path}/publish`}><Button>{t('pb.cycles.publish')}</Button></Form>}
            </section>
          )}
          <h2>{t('pb.staff.settings')}</h2>
          <ErrorSummary errors={errors} />
          <Form action={path}>
            <CycleFields req={req} errors={errors} values={values} />
            <Button>{t('pb.cycles.save')}</Button>
          </Form>
        </>
      );
    },
    async handle(v, req, reply) {
      const read = readCycleForm(v, req.municipality!.time_zone, req.t);
      if (!read.ok) return read.errors;
      const cycle = await current(req);
      const r = await updateCycle(deps, actor(req), req.municipality!, cycle.number, read.input, new Date());
      const back = staffCyclePath(req, cycle.number);
      switch (r.kind) {
        case 'gone': return notFound(deps, req, reply);
        case 'unchanged': return redirectWithFlash(reply, back, { kind: 'info', message: req.t('pb.cycles.unchanged') });
        case 'saved': return redirectWithFlash(reply, back, { kind: 'success', message: req.t('pb.cycles.saved') });
        default: return updateErrors(req, cycle, r);
      }
    },
  });

  app.post('/:locale/:municipality/participatory-budget/staff/cycles/:number/publish', { schema: { hide: true } }, async (req, reply) => {
    const cycle = await staffCycle(deps, req, reply);
    if (!cycle) return reply;
    const r = await publishCycle(deps, actor(req), req.municipality!, cycle.number, new Date());
    if (r === 'gone') return notFound(deps, req, reply);
    const back = staffCyclePath(req, cycle.number);
    if (r === 'published') return redirectWithFlash(reply, back, { kind: 'success', message: req.t('pb.cycles.published', { title: contentText(req, cycle.title) }) });
    return redirectWithFlash(reply, back, { kind: 'error', message: req.t(r === 'no_categories' ? 'pb.cycles.publishNeedsCategory' : 'pb.cycles.notDraft') });
  });
}
