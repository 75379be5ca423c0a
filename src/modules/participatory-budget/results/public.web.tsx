import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App, Deps } from '../../../platform/http/deps.ts';
import { notFound } from '../../../platform/http/errors.tsx';
import { render } from '../../../platform/http/render.tsx';
import { can } from '../../../platform/tenancy/policy.ts';
import { Banner, ButtonLink } from '../../../platform/views/components.tsx';
import { Content, contentText } from '../../../platform/views/content.tsx';
import { cycleCategories, findCycle } from '../cycle.repo.ts';
import { countedCost } from '../cost.ts';
import { cycleChain, cyclePath, pbStaffBase } from '../paths.ts';
import type { Category, Cycle } from '../pb.tables.ts';
import { CycleNav } from '../web/cycle-nav.tsx';
import { PhaseBanner } from '../web/phase.tsx';
import { ballotTotals, publishedResults } from './results.repo.ts';
import { CategoryResults, outcomeOf, RuleText, Turnout, type CategoryView } from './views.tsx';

/** The cycle of the request's `:number` in its municipality; drafts only for those who manage cycles. 404 otherwise. */
export async function loadCycle(deps: Deps, req: FastifyRequest, reply: FastifyReply): Promise<Cycle | undefined> {
  const m = req.municipality!;
  const cycle = await findCycle(deps.db, m.id, (req.params as { number: number }).number);
  if (cycle && (cycle.status === 'published' || can(req.user ?? null, 'pb.manage', { municipalityId: m.id }))) return cycle;
  await notFound(deps, req, reply);
  return undefined;
}

/** A cycle's published results per category, from pb_results. */
export async function publishedViews(deps: Deps, cycle: Cycle, categories: Category[]): Promise<CategoryView[]> {
  const rows = await publishedResults(deps.db, cycle.id);
  return categories.map((category) => {
    const mine = rows.filter((r) => r.category_id === category.id)
      .map((r) => ({ number: r.number, title: r.title, votes: r.votes, rank: r.rank, cost: countedCost(r), outcome: outcomeOf(r) }));
    const spent = mine.filter((r) => r.outcome === 'funded').reduce((s, r) => s + r.cost, 0);
    return { category, spent, left: Number(category.amount) - spent, rows: mine };
  });
}

/** How to re-count the results from the public ledger: the chain's page and `hromada verify-ledger`. */
function Recount({ deps, req, cycle }: { deps: Deps; req: FastifyRequest; cycle: Cycle }) {
  const chain = cycleChain(cycle.number);
  return (
    <section aria-labelledby="pb-results-recount">
      <h2 id="pb-results-recount">{req.t('pb.results.recountTitle')}</h2>
      <p>{req.t('pb.results.recountLead', { chain })}</p>
      <p><a href={`${cyclePath(req, cycle.number)}/ledger`}>{req.t('pb.results.recountLink')}</a></p>
      <p>{req.t('pb.results.recountCommand')}</p>
      <pre><code>hromada verify-ledger {deps.config.baseUrl}/api/v1/{req.municipality!.slug}/ledger/{chain}/entries.json</code></pre>
    </section>
  );
}

/** When the results will come, before they are published. */
function NotYet({ req, cycle, now }: { req: FastifyRequest; cycle: Cycle; now: Date }) {
  const at = (d: Date) => req.fmt.dateTime(d);
  const key = now < cycle.voting_opens ? 'pb.results.notYet.before' : now < cycle.voting_closes ? 'pb.results.notYet.voting' : 'pb.results.notYet.counting';
  return <Banner kind="info" title={req.t('pb.results.notYet.title')}><p>{req.t(key, { opens: at(cycle.voting_opens), closes: at(cycle.voting_closes) })}</p></Banner>;
}

/** `/cycles/:number/results`: per category the table and chart, turnout, the rule, and how to re-count. */
export function registerResultsPage(app: App, deps: Deps): void {
  app.get('/:locale/:municipality/participatory-budget/cycles/:number/results', { schema: { hide: true } }, async (req, reply) => {
    const cycle = await loadCycle(deps, req, reply);
    if (!cycle) return reply;
    const now = new Date();
    const m = req.municipality!;
    const published = cycle.results_published_at !== null;
    const categories = await cycleCategories(deps.db, cycle.id);
    const [views, turnout] = published ? await Promise.all([publishedViews(deps, cycle, categories), ballotTotals(deps.db, cycle.id)]) : [[], null];
    const manages = can(req.user ?? null, 'pb.manage', { municipalityId: m.id });
    const title = req.t('pb.results.title');
    return render(deps, req, reply, {
      title: `${title}: ${contentText(req, cycle.title)}`,
      body: (
        <>
          <p><a href={cyclePath(req, cycle.number)}><Content text={cycle.title} /></a></p>
          <h1>{title}</h1>
          <PhaseBanner req={req} cycle={cycle} now={now} />
          <CycleNav req={req} cycle={cycle} now={now} />
          {!published && <NotYet req={req} cycle={cycle} now={now} />}
          {!published && manages && <p><ButtonLink href={`${pbStaffBase(req)}/cycles/${cycle.number}/results`} variant="secondary">{req.t('pb.results.staffLink')}</ButtonLink></p>}
          {published && (
            <>
              <p class="lead">{req.t('pb.results.publishedAt', { date: req.fmt.dateTime(cycle.results_published_at!) })}</p>
              {turnout && <Turnout req={req} turnout={turnout} />}
              {views.map((v) => <CategoryResults key={v.category.id} req={req} view={v} currency={cycle.currency} />)}
              <RuleText req={req} />
              <Recount deps={deps} req={req} cycle={cycle} />
            </>
          )}
        </>
      ),
    });
  });
}
