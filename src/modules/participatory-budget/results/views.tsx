import type { FastifyRequest } from 'fastify';
import { localizedText } from '../../../platform/i18n/i18n.ts';
import { formatMoney } from '../../../platform/i18n/money.ts';
import { HorizontalBars } from '../../../platform/views/charts.tsx';
import { SummaryList, Table } from '../../../platform/views/components.tsx';
import { Content, contentText, Name } from '../../../platform/views/content.tsx';
import type { Category } from '../pb.tables.ts';
import { projectPath } from '../paths.ts';
import type { Outcome, Results } from './compute.ts';

/** One project's line in a category's results, as the pages show it. */
export interface ResultRow { number: number; title: string; votes: number; rank: number; cost: number; outcome: Outcome }
export interface CategoryView { category: Category; spent: number; left: number; rows: ResultRow[] }

/** Why a published row is funded or not (pb_results keeps votes, rank and funded; the reason follows from them). */
export const outcomeOf = (r: { funded: boolean; votes: number }): Outcome => (r.funded ? 'funded' : r.votes === 0 ? 'no_votes' : 'did_not_fit');

/** Computed results as the pages' category views, with the projects' titles. */
export function categoryViews(results: Results, categories: Category[], titles: Map<number, string>): CategoryView[] {
  return results.categories.flatMap((c) => {
    const category = categories.find((x) => x.slug === c.slug);
    if (!category) return [];
    return [{ category, spent: c.spent, left: c.left, rows: c.projects.map((p) => ({ number: p.number, title: titles.get(p.number) ?? '', votes: p.votes, rank: p.rank, cost: p.cost, outcome: p.outcome })) }];
  });
}

/** A category's results: the money, the table (rank, project, votes, cost, funded or why not), and the chart of votes. */
export function CategoryResults({ req, view, currency }: { req: FastifyRequest; view: CategoryView; currency: string }) {
  const t = req.t;
  const money = (n: number) => formatMoney(req.fmt, n, currency);
  const name = localizedText(view.category.names, req.locale).text;
  const id = `pb-results-${view.category.slug}`;
  return (
    <section aria-labelledby={id}>
      <h2 id={id}><Name names={view.category.names} /></h2>
      <SummaryList items={[
        [t('pb.results.amount'), money(Number(view.category.amount))],
        [t('pb.results.spent'), money(view.spent)],
        [t('pb.results.left'), money(view.left)],
      ]} />
      {view.rows.length === 0
        ? <p>{t('pb.results.noProjects')}</p>
        : (
          <>
            <Table caption={t('pb.results.caption', { name })} numeric={[0, 2, 3]}
              head={[t('pb.results.rank'), t('pb.results.project'), t('pb.results.votes'), t('pb.results.cost'), t('pb.results.outcome')]}
              rows={view.rows.map((r) => [
                req.fmt.number(r.rank),
                <a href={projectPath(req, r.number)}>{t('pb.results.number', { number: r.number })} <Content text={r.title} /></a>,
                req.fmt.number(r.votes),
                money(r.cost),
                r.outcome === 'funded' ? <strong>{t('pb.results.outcome.funded')}</strong> : t(`pb.results.outcome.${r.outcome}`),
              ])} />
            <HorizontalBars id={`${id}-chart`} title={t('pb.results.chartTitle', { name })} note={t('pb.results.chartDescription')} tableElsewhere
              data={view.rows.map((r) => ({
                label: `${t('pb.results.number', { number: r.number })} ${contentText(req, r.title)}`, value: r.votes, tone: r.outcome === 'funded' ? undefined : 'light',
                text: r.outcome === 'funded' ? t('pb.results.chartFunded', { votes: r.votes }) : req.fmt.number(r.votes),
              }))} />
          </>
        )}
    </section>
  );
}

/** The results rule in words: ranking, ties, funding in order while money remains. */
export function RuleText({ req }: { req: FastifyRequest }) {
  return (
    <section aria-labelledby="pb-results-rule">
      <h2 id="pb-results-rule">{req.t('pb.results.ruleTitle')}</h2>
      <p>{req.t('pb.results.ruleRank')}</p>
      <p>{req.t('pb.results.ruleTies')}</p>
      <p>{req.t('pb.results.ruleFunding')}</p>
    </section>
  );
}

/** Voters in all, online and on paper. */
export function Turnout({ req, turnout }: { req: FastifyRequest; turnout: { voters: number; online: number; paper: number } }) {
  return (
    <section aria-labelledby="pb-results-turnout">
      <h2 id="pb-results-turnout">{req.t('pb.results.turnout')}</h2>
      <SummaryList items={[
        [req.t('pb.results.voters'), req.fmt.number(turnout.voters)],
        [req.t('pb.results.online'), req.fmt.number(turnout.online)],
        [req.t('pb.results.paper'), req.fmt.number(turnout.paper)],
      ]} />
    </section>
  );
}
