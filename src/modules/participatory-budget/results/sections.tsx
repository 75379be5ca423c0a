import type { Deps } from '../../../platform/http/deps.ts';
import { Content } from '../../../platform/views/content.tsx';
import { cyclePath, projectPath } from '../paths.ts';
import { registerCycleSection, registerProjectSection } from '../web/sections.ts';
import { publishedResults, projectResult } from './results.repo.ts';
import { outcomeOf } from './views.tsx';

/** What the results add to a project's page (its votes, rank and whether funded) and to a cycle's page (the winners). */
export function registerResultSections(): void {
  registerProjectSection({
    id: 'results', order: 50,
    async render(deps: Deps, req, { cycle, project }) {
      if (!cycle.results_published_at) return null;
      const r = await projectResult(deps.db, project.id);
      if (!r) return null;
      return (
        <section aria-labelledby="pb-project-result">
          <h2 id="pb-project-result">{req.t('pb.results.section.project')}</h2>
          <p>{req.t('pb.results.section.projectLine', { votes: r.votes, rank: r.rank })}</p>
          <p><strong>{req.t(`pb.results.outcome.${outcomeOf(r)}`)}</strong></p>
          <p><a href={`${cyclePath(req, cycle.number)}/results`}>{req.t('pb.results.section.all')}</a></p>
        </section>
      );
    },
  });

  registerCycleSection({
    id: 'results', order: 50,
    async render(deps: Deps, req, { cycle }) {
      if (!cycle.results_published_at) return null;
      const winners = (await publishedResults(deps.db, cycle.id)).filter((r) => r.funded);
      return (
        <section aria-labelledby="pb-cycle-winners">
          <h2 id="pb-cycle-winners">{req.t('pb.results.section.winners')}</h2>
          {winners.length === 0
            ? <p>{req.t('pb.results.section.none')}</p>
            : <ul>{winners.map((w) => <li key={w.number}><a href={projectPath(req, w.number)}>{req.t('pb.results.number', { number: w.number })} <Content text={w.title} /></a> ({req.t('pb.results.section.votes', { votes: w.votes })})</li>)}</ul>}
          <p><a href={`${cyclePath(req, cycle.number)}/results`}>{req.t('pb.results.section.all')}</a></p>
        </section>
      );
    },
  });
}
