import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App, Deps } from '../../../platform/http/deps.ts';
import { redirectWithFlash } from '../../../platform/http/flash.ts';
import { render } from '../../../platform/http/render.tsx';
import { municipalGuard } from '../../../platform/tenancy/admin.web.tsx';
import { Banner, Button, Form } from '../../../platform/views/components.tsx';
import { Content } from '../../../platform/views/content.tsx';
import { cycleCategories } from '../cycle.repo.ts';
import { cyclePath, pbStaffBase } from '../paths.ts';
import type { Cycle } from '../pb.tables.ts';
import { PhaseBanner } from '../web/phase.tsx';
import { loadCycle } from './public.web.tsx';
import { previewResults, publishResults, type Preview } from './publish.service.ts';
import { cycleProjects } from './results.repo.ts';
import { CategoryResults, categoryViews, RuleText, Turnout, type CategoryView } from './views.tsx';

const staffPath = (req: FastifyRequest, number: number) => `${pbStaffBase(req)}/cycles/${number}/results`;
const resultsPath = (req: FastifyRequest, number: number) => `${cyclePath(req, number)}/results`;

/** The computed results as the pages show them, with the projects' titles. */
async function previewViews(deps: Deps, cycle: Cycle, preview: Preview): Promise<CategoryView[]> {
  const [categories, projects] = await Promise.all([cycleCategories(deps.db, cycle.id), cycleProjects(deps.db, cycle.id)]);
  return categoryViews(preview.results, categories, new Map(projects.map((p) => [p.number, p.title])));
}

/** The counted results before publication, and whether every ballot is in the ledger yet. */
function PreviewSection({ req, cycle, preview, views }: { req: FastifyRequest; cycle: Cycle; preview: Preview; views: CategoryView[] }) {
  const { seal } = preview;
  return (
    <>
      {seal.sealed
        ? <Banner kind="success" title={req.t('pb.results.staff.sealed', { entries: seal.entries })}><p>{req.t('pb.results.staff.lead')}</p></Banner>
        : <Banner kind="warning" title={req.t('pb.results.staff.notSealedTitle')}><p>{req.t('pb.results.staff.notSealed', { entries: seal.entries, expected: seal.expected })}</p></Banner>}
      {seal.sealed && (
        <Form action={staffPath(req, cycle.number)} aria-label={req.t('pb.results.staff.publish')}>
          <Button>{req.t('pb.results.staff.publish')}</Button>
        </Form>
      )}
      <h2>{req.t('pb.results.staff.preview')}</h2>
      <Turnout req={req} turnout={preview.turnout} />
      {views.map((v) => <CategoryResults key={v.category.id} req={req} view={v} currency={cycle.currency} />)}
      <RuleText req={req} />
    </>
  );
}

/** The administrator's page that publishes a cycle's results, and the publication itself. */
export function registerPublishPage(app: App, deps: Deps): void {
  const manage = municipalGuard(deps, 'pb.manage');
  const guard = async (req: FastifyRequest, reply: FastifyReply) => {
    await manage(req, reply);
    if (reply.sent) return reply;
    await loadCycle(deps, req, reply);
    return reply.sent ? reply : undefined;
  };
  const url = '/:locale/:municipality/participatory-budget/staff/cycles/:number/results';

  app.get(url, { schema: { hide: true }, preHandler: guard }, async (req, reply) => {
    const cycle = (await loadCycle(deps, req, reply))!;
    const now = new Date();
    const closed = now >= cycle.voting_closes;
    const state = cycle.results_published_at ? 'published' : cycle.status !== 'published' ? 'draft' : closed ? 'closed' : 'open';
    const preview = state === 'closed' ? await previewResults(deps.db, req.municipality!.id, cycle) : null;
    const views = preview ? await previewViews(deps, cycle, preview) : [];
    const title = req.t('pb.results.staff.title');
    return render(deps, req, reply, {
      title,
      body: (
        <>
          <p><a href={cyclePath(req, cycle.number)}><Content text={cycle.title} /></a></p>
          <h1>{title}</h1>
          <PhaseBanner req={req} cycle={cycle} now={now} />
          {state === 'published' && (
            <Banner kind="success" title={req.t('pb.results.staff.already', { date: req.fmt.dateTime(cycle.results_published_at!) })}>
              <p><a href={resultsPath(req, cycle.number)}>{req.t('pb.results.staff.seePublished')}</a></p>
            </Banner>
          )}
          {state === 'draft' && <Banner kind="warning">{req.t('pb.results.staff.draft')}</Banner>}
          {state === 'open' && <Banner kind="warning">{req.t('pb.results.staff.votingOpen', { date: req.fmt.dateTime(cycle.voting_closes) })}</Banner>}
          {preview && <PreviewSection req={req} cycle={cycle} preview={preview} views={views} />}
        </>
      ),
    });
  });

  app.post(url, { schema: { hide: true }, preHandler: guard }, async (req, reply) => {
    const cycle = (await loadCycle(deps, req, reply))!;
    const r = await publishResults(deps, { id: req.user!.id, ip: req.ip }, req.municipality!, cycle, new Date());
    const back = staffPath(req, cycle.number);
    switch (r.kind) {
      case 'published':
        return redirectWithFlash(reply, resultsPath(req, cycle.number), { kind: 'success', message: req.t('pb.results.staff.published') });
      case 'already_published':
        return redirectWithFlash(reply, resultsPath(req, cycle.number), { kind: 'info', message: req.t('pb.results.staff.alreadyFlash') });
      case 'voting_open':
        return redirectWithFlash(reply, back, { kind: 'error', message: req.t('pb.results.staff.votingOpen', { date: req.fmt.dateTime(r.closes) }) });
      case 'not_sealed':
        return redirectWithFlash(reply, back, { kind: 'error', message: req.t('pb.results.staff.notSealed', { entries: r.entries, expected: r.expected }) });
      case 'not_published_cycle':
        return redirectWithFlash(reply, back, { kind: 'error', message: req.t('pb.results.staff.draft') });
    }
  });
}
