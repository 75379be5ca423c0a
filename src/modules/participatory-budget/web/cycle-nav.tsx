import type { FastifyRequest } from 'fastify';
import { phaseAt, PHASES } from '../phase.ts';
import type { Cycle } from '../pb.tables.ts';
import { cyclePath } from '../paths.ts';

/**
 * Links between a cycle's public pages, each shown from the phase where it has something to say
 * (the ballot from voting, results once voting has closed, implementation once results are published).
 */
export function CycleNav({ req, cycle, now = new Date() }: { req: FastifyRequest; cycle: Cycle; now?: Date }) {
  const at = PHASES.indexOf(phaseAt(cycle, now).phase);
  const from = (p: (typeof PHASES)[number]) => at >= PHASES.indexOf(p);
  const base = cyclePath(req, cycle.number);
  const links: [string, string, boolean][] = [
    [base, 'pb.nav.overview', true],
    [`${base}/projects`, 'pb.nav.projects', from('submission')],
    [`${base}/ballot`, 'pb.nav.ballot', from('voting')],
    [`${base}/results`, 'pb.nav.results', from('results')],
    [`${base}/implementation`, 'pb.nav.implementation', cycle.results_published_at !== null],
    [`${base}/statistics`, 'pb.nav.statistics', from('voting')],
    [`${base}/accountability`, 'pb.nav.accountability', cycle.results_published_at !== null],
  ];
  const path = req.url.split('?')[0];
  return (
    <nav aria-label={req.t('pb.nav.label')} class="subnav">
      <ul class="actions">
        {links.filter(([, , shown]) => shown).map(([href, key]) => (
          <li key={href}><a href={href} aria-current={path === href ? 'page' : undefined}>{req.t(key)}</a></li>
        ))}
      </ul>
    </nav>
  );
}
