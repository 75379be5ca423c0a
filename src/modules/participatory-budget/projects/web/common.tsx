import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../../../platform/http/deps.ts';
import { notFound } from '../../../../platform/http/errors.tsx';
import { render } from '../../../../platform/http/render.tsx';
import { formatMoney } from '../../../../platform/i18n/money.ts';
import { Tag } from '../../../../platform/views/components.tsx';
import { LevelExplanation } from '../../../../platform/views/level.tsx';
import { can } from '../../../../platform/tenancy/policy.ts';
import { cycleCategories, findCycle, findCycleById } from '../../cycle.repo.ts';
import type { Category, Cycle, ProjectStatus } from '../../pb.tables.ts';
import { pbBase, projectPath } from '../../paths.ts';
import { findProject, type ProjectRow } from '../project.repo.ts';
import { isPublic } from '../project.rules.ts';
import { isAuthor } from '../project.service.ts';

/** The route's `:number`: an integer already, checked by the shared path schema (SHARED_PARAMS). */
export const routeNumber = (req: FastifyRequest): number => (req.params as { number: number }).number;

const TONES: Record<ProjectStatus, 'neutral' | 'success' | 'warning' | 'danger' | 'info'> = {
  draft: 'neutral', submitted: 'info', returned: 'warning', admitted: 'success', rejected: 'danger', withdrawn: 'neutral',
};

/** A project's status as a coloured tag in words; after results, an admitted project says whether it was funded. */
export function ProjectStatusTag({ req, p }: { req: FastifyRequest; p: Pick<ProjectRow, 'status' | 'funded'> }) {
  if (p.status === 'admitted' && p.funded !== null) return <Tag tone={p.funded ? 'success' : 'neutral'}>{req.t(p.funded ? 'pb.projects.status.funded' : 'pb.projects.status.not_funded')}</Tag>;
  return <Tag tone={TONES[p.status]}>{req.t(`pb.projects.status.${p.status}`)}</Tag>;
}

/** Money of the cycle in the page's format. */
export const money = (req: FastifyRequest, cycle: Pick<Cycle, 'currency'>, minor: number) => formatMoney(req.fmt, minor, cycle.currency);

/** Whether the visitor may see a cycle: published ones are public, drafts are for the module's staff. */
export const seesCycle = (req: FastifyRequest, c: Cycle) => c.status === 'published' || can(req.user, 'pb.dashboard', { municipalityId: c.municipality_id });

/** The cycle named by `:number`, or a 404 answered and null. */
export async function loadCycle(deps: Deps, req: FastifyRequest, reply: FastifyReply): Promise<Cycle | null> {
  const c = await findCycle(deps.db, req.municipality!.id, routeNumber(req));
  if (!c || !seesCycle(req, c)) {
    await notFound(deps, req, reply);
    return null;
  }
  return c;
}

export interface LoadedProject { p: ProjectRow; cycle: Cycle; category: Category; authored: boolean }

/**
 * The project named by `:number` with its cycle and category, if the visitor may see it: a public one anyone,
 * a draft (or a withdrawn draft) only its author and co-authors. Otherwise a 404 is answered and null returned,
 * so another's draft, another municipality's project and a made-up number look the same.
 */
export async function loadProject(deps: Deps, req: FastifyRequest, reply: FastifyReply): Promise<LoadedProject | null> {
  const m = req.municipality!;
  const p = await findProject(deps.db, m.id, routeNumber(req));
  const cycle = p ? await findCycleById(deps.db, m.id, p.cycle_id) : undefined;
  const authored = p ? await isAuthor(deps.db, req.user, p) : false;
  if (!p || !cycle || !(authored || (isPublic(p) && seesCycle(req, cycle)))) {
    await notFound(deps, req, reply);
    return null;
  }
  const category = (await cycleCategories(deps.db, cycle.id)).find((c) => c.id === p.category_id)!;
  return { p, cycle, category, authored };
}

/** The 403 page that says what a resident still needs to submit a project here, and how to get it. */
export function levelPage(deps: Deps, req: FastifyRequest, reply: FastifyReply, required: string, back: string) {
  const lead = req.t('pb.projects.levelNeeded', { level: req.t(`verification.level.${required}`) });
  return render(deps, req, reply, { title: req.t('platform.level.title'), status: 403, body: <LevelExplanation req={req} required={required} lead={lead} back={back} /> });
}

/** Where a project's pages are. */
export const projectPaths = (req: FastifyRequest, number: number) => {
  const base = projectPath(req, number);
  return { page: base, edit: `${base}/edit`, submit: `${base}/submit`, withdraw: `${base}/withdraw`, follow: `${base}/follow`, unfollow: `${base}/unfollow`, files: `${base}/files`, coauthors: `${base}/coauthors` };
};

/** The form that starts a project in a cycle. */
export const newProjectPath = (req: FastifyRequest, cycleNumber: number) => `${pbBase(req)}/projects/new?cycle=${cycleNumber}`;
