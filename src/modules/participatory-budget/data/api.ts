import type { FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import type { Municipality } from '../../../db/schema.ts';
import type { App, Deps } from '../../../platform/http/deps.ts';
import { localDate } from '../../../platform/time/working-days.ts';
import { countedCost } from '../cost.ts';
import { cycleCategories, listCycles } from '../cycle.repo.ts';
import { fundedProjects } from '../implementation/impl.repo.ts';
import { phaseAt } from '../phase.ts';
import type { Cycle } from '../pb.tables.ts';
import { anonymisedBallots, cycleResults, implementationCounts, publicProjects, type Paging } from './data.repo.ts';
import { openData, registerDataset, tags } from './dataset.ts';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Names = Type.Record(Type.String(), Type.String());
const Money = (description: string) => Type.Integer({ description: `${description}, in minor units` });
const Day = Type.String({ format: 'date' });

const Project = Type.Object({
  number: Type.Integer(), title: Type.String(), status: Type.String(), category: Type.String(), categoryNames: Names,
  district: Nullable(Type.String()), currency: Type.String(), cost: Money("The author's cost"), departmentCost: Nullable(Money("The department's estimate")),
  countedCost: Money('The cost that counts at voting: the estimate where there is one'), funded: Nullable(Type.Boolean()),
  implementationStatus: Nullable(Type.String()), progress: Type.Integer(), lat: Nullable(Type.Number()), lng: Nullable(Type.Number()), url: Type.String(),
});
const Ballot = Type.Object({
  voter: Type.String({ description: 'The pseudonymous voter id of the ledger' }), channel: Type.String(), choices: Type.Array(Type.Integer(), { description: 'Project numbers, ascending' }),
  version: Type.Integer(), castOn: Type.String({ format: 'date', description: 'The day cast, in the municipality\'s calendar' }),
});
const Result = Type.Object({
  number: Type.Integer(), title: Type.String(), category: Type.String(), currency: Type.String(), cost: Money('The counted cost'), votes: Type.Integer(), rank: Type.Integer(), funded: Type.Boolean(),
});
const Implementation = Type.Object({
  number: Type.Integer(), title: Type.String(), category: Type.String(), status: Type.String(), progress: Type.Integer(), dueOn: Nullable(Day), overdue: Type.Boolean(),
  currency: Type.String(), budget: Money('The counted cost'), contracted: Nullable(Money('Contracted')), spent: Money('Spent'),
  milestones: Type.Integer(), milestonesReached: Type.Integer(), updates: Type.Integer(), lastUpdateAt: Nullable(Type.String({ format: 'date-time' })),
  lat: Nullable(Type.Number()), lng: Nullable(Type.Number()), url: Type.String(),
});
const CycleItem = Type.Object({
  number: Type.Integer(), year: Type.Integer(), title: Type.String(), currency: Type.String(), totalAmount: Money('The whole amount'), rule: Type.String(), phase: Type.String(),
  submissionOpens: Type.String({ format: 'date-time' }), submissionCloses: Type.String({ format: 'date-time' }), votingOpens: Type.String({ format: 'date-time' }),
  votingCloses: Type.String({ format: 'date-time' }), implementationOpens: Type.String({ format: 'date-time' }), resultsPublishedAt: Nullable(Type.String({ format: 'date-time' })),
  categories: Type.Array(Type.Object({ slug: Type.String(), names: Names, amount: Money('Its amount'), minCost: Money('Least cost of a project'), maxCost: Money('Greatest cost of a project') })),
  datasets: Type.Record(Type.String(), Type.String({ description: 'The JSON address; the CSV is the same with .csv' })),
});

type ProjectItem = Static<typeof Project>;
type BallotItem = Static<typeof Ballot>;
type ResultItem = Static<typeof Result>;
type ImplementationItem = Static<typeof Implementation>;

const projectUrl = (deps: Deps, m: Municipality, number: number) => `${deps.config.baseUrl}/${m.default_locale}/${m.slug}/participatory-budget/projects/${number}`;
const apiBase = (deps: Deps, m: Municipality) => `${deps.config.baseUrl}/api/v1/${m.slug}/participatory-budget`;
const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
const DATASETS = ['projects', 'ballots', 'results', 'implementation'];

/** The participatory budget's open data: cycles, and per cycle its projects, anonymised ballots, results and implementation. */
export function registerPbApi(app: App, deps: Deps): void {
  app.get('/api/v1/:municipality/participatory-budget/cycles.json', {
    config: { sharedCache: true },
    schema: { tags, summary: 'Published participatory budget cycles, their phases and categories', params: Type.Object({ municipality: Type.String({ maxLength: 100 }) }), response: { 200: Type.Object({ data: Type.Array(CycleItem) }) } },
  }, async (req, reply) => {
    const m = req.municipality!;
    const now = new Date();
    const cycles = await listCycles(deps.db, m.id);
    const data = [];
    for (const c of cycles) {
      const categories = await cycleCategories(deps.db, c.id);
      data.push({
        number: c.number, year: c.year, title: c.title, currency: c.currency, totalAmount: c.total_amount, rule: c.rule, phase: phaseAt(c, now).phase,
        submissionOpens: iso(c.submission_opens)!, submissionCloses: iso(c.submission_closes)!, votingOpens: iso(c.voting_opens)!, votingCloses: iso(c.voting_closes)!,
        implementationOpens: iso(c.implementation_opens)!, resultsPublishedAt: iso(c.results_published_at),
        categories: categories.map((k) => ({ slug: k.slug, names: k.names as Record<string, string>, amount: k.amount, minCost: k.min_cost, maxCost: k.max_cost })),
        datasets: Object.fromEntries(DATASETS.map((d) => [d, `${apiBase(deps, m)}/cycles/${c.number}/${d}.json`])),
      });
    }
    openData(reply);
    return { data };
  });

  registerDataset<ProjectItem>(app, deps, {
    name: 'projects', summary: "A cycle's public projects", item: Project,
    columns: ['number', 'title', 'status', 'category', 'district', 'currency', 'cost', 'department_cost', 'counted_cost', 'funded', 'implementation_status', 'progress', 'lat', 'lng', 'url'],
    cells: (p) => [p.number, p.title, p.status, p.category, p.district, p.currency, p.cost, p.departmentCost, p.countedCost, p.funded, p.implementationStatus, p.progress, p.lat, p.lng, p.url],
    async load(req, cycle, page) {
      const m = req.municipality!;
      const { rows, total } = await publicProjects(deps.db, cycle.id, page);
      return {
        total, items: rows.map((r) => ({
          number: r.number, title: r.title, status: r.status, category: r.category_slug, categoryNames: r.category_names as Record<string, string>, district: r.district_slug,
          currency: cycle.currency, cost: r.cost_total, departmentCost: r.department_cost, countedCost: countedCost(r), funded: r.funded,
          implementationStatus: r.funded ? (r.impl_status ?? 'planned') : null, progress: r.progress, lat: r.lat, lng: r.lng, url: projectUrl(deps, m, r.number),
        })),
      };
    },
  });

  registerDataset<BallotItem>(app, deps, {
    name: 'ballots', summary: "A cycle's ballots, anonymised (once voting has closed)", item: Ballot,
    columns: ['voter', 'channel', 'choices', 'version', 'cast_on'],
    cells: (b) => [b.voter, b.channel, b.choices.join(' '), b.version, b.castOn],
    async load(req, cycle, page) {
      // While voting runs, the choices would show a running count: ballots are published once it has closed.
      if (new Date() < cycle.voting_closes) return { notYet: req.t('pb.data.ballotsLater', { date: req.fmt.dateTime(cycle.voting_closes) }) };
      const { rows, total } = await anonymisedBallots(deps.db, cycle.id, req.municipality!.time_zone, page);
      return { total, items: rows.map((b) => ({ voter: b.voter, channel: b.channel, choices: b.choices, version: b.version, castOn: b.cast_on })) };
    },
  });

  registerDataset<ResultItem>(app, deps, {
    name: 'results', summary: "A cycle's published results, per category by rank", item: Result,
    columns: ['number', 'title', 'category', 'currency', 'cost', 'votes', 'rank', 'funded'],
    cells: (r) => [r.number, r.title, r.category, r.currency, r.cost, r.votes, r.rank, r.funded],
    async load(req, cycle, page) {
      if (!cycle.results_published_at) return { notYet: req.t('pb.data.resultsLater') };
      const { rows, total } = await cycleResults(deps.db, cycle.id, page);
      return { total, items: rows.map((r) => ({ number: r.number, title: r.title, category: r.category_slug, currency: cycle.currency, cost: countedCost(r), votes: r.votes, rank: r.rank, funded: r.funded })) };
    },
  });

  registerDataset<ImplementationItem>(app, deps, {
    name: 'implementation', summary: "The implementation of a cycle's funded projects (late ones first)", item: Implementation,
    columns: ['number', 'title', 'category', 'status', 'progress', 'due_on', 'overdue', 'currency', 'budget', 'contracted', 'spent', 'milestones', 'milestones_reached', 'updates', 'last_update_at', 'lat', 'lng', 'url'],
    cells: (i) => [i.number, i.title, i.category, i.status, i.progress, i.dueOn, i.overdue, i.currency, i.budget, i.contracted, i.spent, i.milestones, i.milestonesReached, i.updates, i.lastUpdateAt, i.lat, i.lng, i.url],
    load: (req, cycle, page) => implementationItems(deps, req, cycle, page),
  });
}

/** The implementation dataset: every funded project of the cycle with its milestones and updates counted. */
async function implementationItems(deps: Deps, req: FastifyRequest, cycle: Cycle, page: Paging) {
  if (!cycle.results_published_at) return { notYet: req.t('pb.data.resultsLater') };
  const m = req.municipality!;
  const [rows, counts] = await Promise.all([fundedProjects(deps.db, m.id, localDate(new Date(), m.time_zone), { cycleId: cycle.id }), implementationCounts(deps.db, cycle.id)]);
  return {
    total: rows.length,
    items: rows.slice(page.offset, page.offset + page.limit).map((r) => ({
      number: r.number, title: r.title, category: r.category_slug, status: r.impl_status ?? 'planned', progress: r.progress, dueOn: r.due_on, overdue: r.overdue,
      currency: cycle.currency, budget: countedCost(r), contracted: r.contracted, spent: r.spent,
      milestones: counts.milestones.get(r.id)?.n ?? 0, milestonesReached: counts.milestones.get(r.id)?.done ?? 0,
      updates: counts.updates.get(r.id)?.n ?? 0, lastUpdateAt: iso(counts.updates.get(r.id)?.latest ?? null), lat: r.lat, lng: r.lng, url: projectUrl(deps, m, r.number),
    })),
  };
}
