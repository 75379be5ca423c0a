import type { FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import type { Deps } from '../../../platform/http/deps.ts';
import type { Category, Cycle, Project } from '../pb.tables.ts';

/**
 * The parts of the module add what they show on a project's page and a cycle's page (the ballot button, the
 * result, the implementation) through these lists, so each part owns its own section and the pages stay
 * unaware of them. Sections render in `order`; one that has nothing to say returns null.
 */
export interface ProjectPageContext { cycle: Cycle; category: Category; project: Project; now: Date }
export interface CyclePageContext { cycle: Cycle; categories: Category[]; now: Date }

export interface Section<C> {
  id: string;
  order: number;
  render(deps: Deps, req: FastifyRequest, ctx: C): ComponentChildren | Promise<ComponentChildren>;
}

const projectSections: Section<ProjectPageContext>[] = [];
const cycleSections: Section<CyclePageContext>[] = [];

function add<C>(list: Section<C>[], s: Section<C>): void {
  if (list.some((x) => x.id === s.id)) return;
  list.push(s);
  list.sort((a, b) => a.order - b.order);
}

/** Adds a section to every project's page (once per id: registering routes twice adds nothing). */
export const registerProjectSection = (s: Section<ProjectPageContext>) => add(projectSections, s);
/** Adds a section to every cycle's page. */
export const registerCycleSection = (s: Section<CyclePageContext>) => add(cycleSections, s);

/** Renders the registered sections for a page, in order. */
export async function renderSections<C>(list: 'project' | 'cycle', deps: Deps, req: FastifyRequest, ctx: C): Promise<ComponentChildren[]> {
  const sections = (list === 'project' ? projectSections : cycleSections) as unknown as Section<C>[];
  const out: ComponentChildren[] = [];
  for (const s of sections) out.push(await s.render(deps, req, ctx));
  return out;
}
