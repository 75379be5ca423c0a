import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { LocalizedText, Municipality } from '../../db/schema.ts';
import { createMunicipality } from '../../platform/testing/http.ts';
import { searchVector } from '../../platform/search/search.ts';
import { nextNumber } from '../../platform/tenancy/numbering.ts';
import type { Phase } from './phase.ts';
import type { Category, CostItem, Cycle, Project, ProjectStatus, VotingRule } from './pb.tables.ts';

export { resident, serviceDeps } from '../../platform/testing/people.ts';

const DAY = 86_400_000;

/** A municipality with the participatory budget enabled (Zhovkva's centre unless said otherwise). */
export function pbTown(db: Database, slug: string, opts: { currency?: string; centerLat?: number; centerLng?: number } = {}): Promise<Municipality> {
  return createMunicipality(db, { slug, centerLat: opts.centerLat ?? 50.0565, centerLng: opts.centerLng ?? 23.9727, currency: opts.currency ?? 'UAH', enabledModules: ['participatory-budget'] });
}

/** Phase dates around `now` that put a cycle in `phase`: each phase lasts ten days, the current one half gone. */
export function datesFor(phase: Phase, now = Date.now(), opts: { revision?: boolean } = {}) {
  const order: Phase[] = ['information', 'submission', 'review', ...(opts.revision ? ['revision' as const] : []), 'voting', 'results', 'implementation'];
  const index = order.indexOf(phase === 'revision' && !opts.revision ? 'review' : phase);
  // Phase k (k ≥ 1) starts at now + (k - index) * 10 days - 5 days.
  const start = (p: Phase) => new Date(now + (order.indexOf(p) - index) * 10 * DAY - 5 * DAY);
  return {
    submission_opens: start('submission'),
    submission_closes: start('review'),
    review_closes: opts.revision ? start('revision') : start('voting'),
    revision_closes: opts.revision ? start('voting') : null,
    voting_opens: start('voting'),
    voting_closes: start('results'),
    implementation_opens: start('implementation'),
  };
}

export interface SeedCategory { slug: string; amount: number; minCost?: number; maxCost?: number; districtId?: number | null; names?: LocalizedText }

export interface SeedCycle {
  phase?: Phase;
  revision?: boolean;
  status?: 'draft' | 'published';
  rule?: VotingRule;
  maxChoices?: number | null;
  maxPerCategory?: number | null;
  minChoices?: number | null;
  minSharePct?: number | null;
  voteLevel?: string;
  submitLevel?: string;
  minAge?: number | null;
  ballotChanges?: boolean;
  resultsPublished?: boolean;
  /** Amounts in minor units; by default a "small" and a "large" category. */
  categories?: SeedCategory[];
}

/** A cycle of `m` in the given phase (default: voting, approval of up to 3), with its categories. */
export async function seedCycle(db: Database, m: Pick<Municipality, 'id' | 'currency'>, o: SeedCycle = {}): Promise<{ cycle: Cycle; categories: Category[] }> {
  return db.transaction().execute(async (trx) => {
    const number = await nextNumber(trx, 'pb_cycles', m.id);
    const categories = o.categories ?? [
      { slug: 'small', amount: 100_000_000, minCost: 1_000_000, maxCost: 30_000_000 },
      { slug: 'large', amount: 300_000_000, minCost: 30_000_000, maxCost: 150_000_000 },
    ];
    const cycle = await trx.insertInto('pb_cycles').values({
      municipality_id: m.id, number, year: 2027, title: `Громадський бюджет ${2026 + number}`, currency: m.currency,
      total_amount: categories.reduce((s, c) => s + c.amount, 0), status: o.status ?? 'published',
      rule: o.rule ?? 'approval', max_choices: o.maxChoices === undefined ? (o.rule === 'knapsack' ? null : 3) : o.maxChoices,
      max_per_category: o.maxPerCategory ?? null, min_choices: o.minChoices ?? null, min_share_pct: o.minSharePct ?? null,
      vote_level: o.voteLevel ?? 'email', submit_level: o.submitLevel ?? 'email', min_age: o.minAge ?? null,
      ballot_changes: o.ballotChanges ?? false, ...datesFor(o.phase ?? 'voting', Date.now(), { revision: o.revision }),
      published_at: o.status === 'draft' ? null : new Date(Date.now() - 60 * DAY),
      results_published_at: o.resultsPublished ? new Date() : null,
    }).returningAll().executeTakeFirstOrThrow();
    const rows = await trx.insertInto('pb_categories').values(categories.map((c, i) => ({
      municipality_id: m.id, cycle_id: cycle.id, slug: c.slug, names: JSON.stringify(c.names ?? { uk: c.slug, en: c.slug }),
      district_id: c.districtId ?? null, amount: c.amount, min_cost: c.minCost ?? 0, max_cost: c.maxCost ?? c.amount, position: i,
    }))).returningAll().execute();
    return { cycle, categories: rows };
  });
}

export interface SeedProject {
  status?: ProjectStatus; cost?: number; title?: string; at?: { lat: number; lng: number } | null; departmentCost?: number | null; districtId?: number | null;
  /** Accounts named co-authors of the project. */
  coauthors?: number[];
}

/** A project in `category` by `authorId` (default: admitted, costing 10 000.00, at the municipality's centre). */
export async function seedProject(db: Database, m: Pick<Municipality, 'id' | 'center_lat' | 'center_lng'>, category: Pick<Category, 'id' | 'cycle_id'>, authorId: number, o: SeedProject = {}): Promise<Project> {
  return db.transaction().execute(async (trx) => {
    const number = await nextNumber(trx, 'pb_projects', m.id);
    const cost = o.cost ?? 1_000_000;
    const at = o.at === undefined ? { lat: m.center_lat, lng: m.center_lng } : o.at;
    const items: CostItem[] = [{ item: 'Роботи', quantity: 1000, unit: 'посл.', unitPrice: cost }];
    const status = o.status ?? 'admitted';
    const submitted = status !== 'draft';
    const title = o.title ?? `Проєкт номер ${number}`;
    const project = await trx.insertInto('pb_projects').values({
      municipality_id: m.id, cycle_id: category.cycle_id, number, category_id: category.id, author_id: authorId, status,
      title, summary: 'Коротко про проєкт.', description: 'Опис проєкту.', beneficiaries: 'Мешканці',
      search: searchVector(sql<string>`${title}`, sql<string>`${'Коротко про проєкт.'}`, sql<string>`${'Опис проєкту.'}`),
      lat: at?.lat ?? null, lng: at?.lng ?? null, location: at ? sql`point(${at.lng}, ${at.lat})` : null,
      district_id: o.districtId ?? null, cost_items: JSON.stringify(items), cost_total: cost, department_cost: o.departmentCost ?? null,
      submitted_at: submitted ? new Date() : null, decided_at: ['admitted', 'rejected'].includes(status) ? new Date() : null,
    }).returning(['id', 'municipality_id', 'cycle_id', 'number', 'category_id', 'author_id', 'status', 'title', 'summary', 'description', 'beneficiaries',
      'lat', 'lng', 'address', 'district_id', 'cost_items', 'cost_total', 'department_cost', 'department_id', 'review_due_at', 'resubmit_by', 'decision_note',
      'submitted_at', 'decided_at', 'funded', 'impl_status', 'progress', 'contracted', 'spent', 'due_on', 'created_at', 'updated_at']).executeTakeFirstOrThrow();
    if (o.coauthors?.length) await trx.insertInto('pb_project_authors').values(o.coauthors.map((userId) => ({ municipality_id: m.id, project_id: project.id, user_id: userId }))).execute();
    return project;
  });
}
