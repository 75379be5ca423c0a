import { sql } from 'kysely';
import type { Database } from '../../../db/database.ts';
import type { LocalizedText } from '../../../db/schema.ts';
import type { ProjectStatus } from '../pb.tables.ts';

/** Projects anyone may see: everything submitted, whatever the review decided; drafts and withdrawn ones are their authors'. */
export const PUBLIC_PROJECT_STATUSES: ProjectStatus[] = ['submitted', 'returned', 'admitted', 'rejected'];

export interface Paging { limit: number; offset: number }

/** The public projects of a cycle by number, with their category and district, one page. */
export async function publicProjects(db: Database, cycleId: number, page: Paging) {
  const base = db.selectFrom('pb_projects as p').where('p.cycle_id', '=', cycleId).where('p.status', 'in', PUBLIC_PROJECT_STATUSES);
  const [rows, total] = await Promise.all([
    base.innerJoin('pb_categories as c', 'c.id', 'p.category_id').leftJoin('districts as d', 'd.id', 'p.district_id')
      .select(['p.number', 'p.title', 'p.status', 'p.cost_total', 'p.department_cost', 'p.funded', 'p.impl_status', 'p.progress', 'p.lat', 'p.lng',
        'c.slug as category_slug', 'c.names as category_names', 'd.slug as district_slug', 'd.names as district_names'])
      .orderBy('p.number').limit(page.limit).offset(page.offset).execute(),
    base.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.map((r) => ({ ...r, category_names: r.category_names as LocalizedText, district_names: (r.district_names ?? null) as LocalizedText | null })), total: Number(total.n) };
}

/** A cycle's cast ballots, anonymised: the pseudonymous voter, channel, choices, version and the day cast (local), one page. */
export async function anonymisedBallots(db: Database, cycleId: number, timeZone: string, page: Paging) {
  const [rows, total] = await Promise.all([
    db.selectFrom('pb_ballots').select(['voter', 'channel', 'choices', 'version', sql<string>`to_char(cast_at AT TIME ZONE ${timeZone}, 'YYYY-MM-DD')`.as('cast_on')])
      .where('cycle_id', '=', cycleId).orderBy('id').limit(page.limit).offset(page.offset).execute(),
    db.selectFrom('pb_ballots').select(sql<number>`count(*)::int`.as('n')).where('cycle_id', '=', cycleId).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.map((r) => ({ ...r, choices: r.choices.map(Number) })), total: Number(total.n) };
}

/** A cycle's published results: per category in its order, by rank. */
export async function cycleResults(db: Database, cycleId: number, page: Paging) {
  const base = db.selectFrom('pb_results as r').where('r.cycle_id', '=', cycleId);
  const [rows, total] = await Promise.all([
    base.innerJoin('pb_projects as p', 'p.id', 'r.project_id').innerJoin('pb_categories as c', 'c.id', 'p.category_id')
      .select(['p.number', 'p.title', 'p.cost_total', 'p.department_cost', 'c.slug as category_slug', 'r.votes', 'r.rank', 'r.funded'])
      .orderBy('c.position').orderBy('c.id').orderBy('r.rank').limit(page.limit).offset(page.offset).execute(),
    base.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

/** Per funded project of the cycle: its milestones (all and reached) and updates (how many, the latest). */
export async function implementationCounts(db: Database, cycleId: number) {
  const [milestones, updates] = await Promise.all([
    db.selectFrom('pb_milestones as ms').innerJoin('pb_projects as p', 'p.id', 'ms.project_id').where('p.cycle_id', '=', cycleId).where('p.funded', '=', true)
      .select(['ms.project_id', sql<number>`count(*)::int`.as('n'), sql<number>`count(ms.done_on)::int`.as('done')]).groupBy('ms.project_id').execute(),
    db.selectFrom('pb_updates as u').innerJoin('pb_projects as p', 'p.id', 'u.project_id').where('p.cycle_id', '=', cycleId).where('p.funded', '=', true)
      .select(['u.project_id', sql<number>`count(*)::int`.as('n'), sql<Date>`max(u.created_at)`.as('latest')]).groupBy('u.project_id').execute(),
  ]);
  return {
    milestones: new Map(milestones.map((r) => [r.project_id, { n: Number(r.n), done: Number(r.done) }])),
    updates: new Map(updates.map((r) => [r.project_id, { n: Number(r.n), latest: new Date(r.latest) }])),
  };
}
