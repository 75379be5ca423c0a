import { sql, type Transaction } from 'kysely';
import type { Database } from '../../../db/database.ts';
import type { DB } from '../../../db/schema.ts';
import type { Box } from '../../../platform/geo/geo.ts';
import { matchesQuery, normalizeQuery, rankExpression } from '../../../platform/search/search.ts';
import type { ProjectStatus } from '../pb.tables.ts';
import { PUBLIC_STATUSES } from './project.rules.ts';

type Db = Database | Transaction<DB>;

/** What the list filters by: a public status, or funded / not funded once results are out (pb_projects.funded). */
export const STATUS_FILTERS = [...PUBLIC_STATUSES, 'funded', 'not_funded'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];
export const SORTS = ['random', 'newest', 'cost', 'votes', 'relevance'] as const;
export type Sort = (typeof SORTS)[number];

export interface ProjectFilter {
  cycleId: number;
  status?: StatusFilter | undefined;
  categoryId?: number | undefined;
  districtId?: number | undefined;
  q?: string | undefined;
  box?: Box | undefined;
  /** Only projects with a place on the map. */
  located?: boolean;
}

const search = sql.ref('p.search');

function filtered(db: Db, f: ProjectFilter) {
  let q = db.selectFrom('pb_projects as p').where('p.cycle_id', '=', f.cycleId).where('p.status', 'in', [...PUBLIC_STATUSES]);
  if (f.status === 'funded' || f.status === 'not_funded') q = q.where('p.status', '=', 'admitted').where('p.funded', '=', f.status === 'funded');
  else if (f.status) q = q.where('p.status', '=', f.status as ProjectStatus);
  if (f.categoryId) q = q.where('p.category_id', '=', f.categoryId);
  if (f.districtId) q = q.where('p.district_id', '=', f.districtId);
  const query = normalizeQuery(f.q);
  if (query) q = q.where(matchesQuery(search, query, 'p.title'));
  if (f.located || f.box) q = q.where('p.lat', 'is not', null);
  if (f.box) q = q.where(sql<boolean>`p.location <@ box(point(${f.box.west}::float8, ${f.box.south}::float8), point(${f.box.east}::float8, ${f.box.north}::float8))`);
  return { q, query };
}

/**
 * A page of a cycle's public projects. `random` orders by a hash of the visitor's seed and the project, the same
 * on both databases and across pages for one seed; `cost` by the cost that counts (the department's estimate
 * where there is one); `votes` by the published results; `relevance` by the search's rank. Ties go by number.
 */
export async function listProjects(db: Db, f: ProjectFilter & { sort: Sort; seed: number; limit: number; offset: number }) {
  const { q, query } = filtered(db, f);
  let rows = q.innerJoin('pb_categories as c', 'c.id', 'p.category_id')
    .leftJoin('districts as d', 'd.id', 'p.district_id')
    .leftJoin('pb_results as r', (j) => j.onRef('r.project_id', '=', 'p.id').onRef('r.cycle_id', '=', 'p.cycle_id'))
    .select(['p.id', 'p.number', 'p.title', 'p.summary', 'p.status', 'p.funded', 'p.cost_total', 'p.department_cost', 'p.address', 'p.submitted_at',
      'c.slug as category_slug', 'c.names as category_names', 'd.names as district_names', 'r.votes'])
    .select((eb) => eb.selectFrom('pb_project_files as pf').select('pf.file_id').whereRef('pf.project_id', '=', 'p.id')
      .where('pf.kind', '=', 'photo').where('pf.stage', '=', 'proposal').orderBy('pf.id').limit(1).as('photo'));
  switch (f.sort) {
    case 'random': rows = rows.orderBy(sql`md5(${String(f.seed)} || ':' || p.id::text)`); break;
    case 'newest': rows = rows.orderBy('p.submitted_at', 'desc'); break;
    case 'cost': rows = rows.orderBy(sql`coalesce(p.department_cost, p.cost_total)`, 'asc'); break;
    case 'votes': rows = rows.orderBy(sql`r.votes IS NULL`).orderBy('r.votes', 'desc'); break;
    case 'relevance': if (query) rows = rows.orderBy(rankExpression(search, query, 'p.title'), 'desc'); break;
  }
  return rows.orderBy('p.number').limit(f.limit).offset(f.offset).execute();
}

export type ListedProject = Awaited<ReturnType<typeof listProjects>>[number];

export async function countProjects(db: Db, f: ProjectFilter): Promise<number> {
  const row = await filtered(db, f).q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The placed public projects of a filter for the map, at most `limit`, by number. */
export async function placedProjects(db: Db, f: ProjectFilter, limit: number) {
  return filtered(db, { ...f, located: true }).q.innerJoin('pb_categories as c', 'c.id', 'p.category_id')
    .select(['p.number', 'p.title', 'p.status', 'p.funded', 'p.lat', 'p.lng', 'p.cost_total', 'p.department_cost', 'c.slug as category_slug', 'c.names as category_names'])
    .orderBy('p.number').limit(limit).execute();
}
