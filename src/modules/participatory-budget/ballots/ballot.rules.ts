import type { Database } from '../../../db/database.ts';
import type { LocalizedText } from '../../../db/schema.ts';
import { countedCost } from '../cost.ts';
import type { Cycle } from '../pb.tables.ts';
import type { BallotCategory, BallotProject, BallotRules } from '../rules.ts';
import { admittedProjects, ballotCategories } from './ballot.repo.ts';

/** A category as the ballot shows and checks it. */
export interface BallotCategoryInfo extends BallotCategory {
  id: number;
  names: LocalizedText;
  districtId: number | null;
  districtSlug: string | null;
  districtNames: LocalizedText | null;
}
/** A project on the ballot: its number, category (slug), counted cost and title. */
export interface BallotProjectInfo extends BallotProject { id: number; categoryId: number; title: string }

/** Everything a ballot of the cycle is checked against (the `cycle` entry of its chain publishes the same). */
export interface CycleBallot { rules: BallotRules; categories: BallotCategoryInfo[]; projects: BallotProjectInfo[] }

/** A cycle's voting rule and limits, as rules.ts takes them. */
export const rulesOf = (c: Pick<Cycle, 'rule' | 'max_choices' | 'max_per_category' | 'min_choices' | 'min_share_pct'>): BallotRules => ({
  rule: c.rule, maxChoices: c.max_choices, maxPerCategory: c.max_per_category, minChoices: c.min_choices, minSharePct: c.min_share_pct,
});

/** The cycle's ballot as the database holds it now: categories in order, admitted projects by number. */
export async function loadCycleBallot(db: Database, cycle: Cycle): Promise<CycleBallot> {
  // One after the other: `db` may be a transaction, one connection.
  const cats = await ballotCategories(db, cycle.id);
  const projects = await admittedProjects(db, cycle.id);
  const categories = cats.map((c) => ({
    id: c.id, slug: c.slug, names: c.names, amount: Number(c.amount), districtId: c.district_id, districtSlug: c.district_slug ?? null, districtNames: c.district_names ?? null,
  }));
  const slugOf = new Map(categories.map((c) => [c.id, c.slug]));
  return {
    rules: rulesOf(cycle),
    categories,
    projects: projects.filter((p) => slugOf.has(p.category_id)).map((p) => ({
      id: p.id, number: p.number, categoryId: p.category_id, category: slugOf.get(p.category_id)!, cost: countedCost({ cost_total: Number(p.cost_total), department_cost: p.department_cost === null ? null : Number(p.department_cost) }), title: p.title,
    })),
  };
}

const frozen = new WeakMap<Database, Map<number, CycleBallot>>();

/**
 * The ballot of a cycle for casting, read inside the caller's transaction, which holds the cycle's rules lock
 * shared. Once the cycle is frozen (a ballot committed: `frozen_at` read here is set) its rules, categories,
 * amounts and admitted projects can no longer change (freeze.ts), so it is kept per database handle and a rush
 * reads it once; the cycle's own row (dates, eligibility) is read per request as usual.
 */
export async function ballotForCasting(trx: Database, handle: Database, cycle: Cycle): Promise<CycleBallot & { frozen: boolean }> {
  let cache = frozen.get(handle);
  const hit = cache?.get(cycle.id);
  if (hit) return { ...hit, frozen: true };
  const row = await trx.selectFrom('pb_cycles').selectAll().where('id', '=', cycle.id).executeTakeFirstOrThrow();
  const ballot = await loadCycleBallot(trx, row);
  if (row.frozen_at) {
    if (!cache) frozen.set(handle, (cache = new Map()));
    if (cache.size > 200) cache.clear();
    cache.set(cycle.id, ballot);
  }
  return { ...ballot, frozen: row.frozen_at !== null };
}

/** The categories a voter may choose from: those of the whole municipality, and their own district's. */
export const votersCategories = (b: CycleBallot, districtId: number | null) => b.categories.filter((c) => c.districtId === null || c.districtId === districtId);
