import type { FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { ButtonLink } from '../../../../platform/views/components.tsx';
import { cyclePath, projectPath } from '../../paths.ts';
import { votingOpen } from '../../phase.ts';
import { registerCycleSection, registerProjectSection } from '../../web/sections.ts';
import { voterState } from '../state.ts';
import { ballotPath, categoryName } from './common.tsx';
import { CategoryLeft, OverallLeft, SelectButton } from './views.tsx';

function Section({ req, children }: { req: FastifyRequest; children: ComponentChildren }) {
  return <section aria-labelledby="pb-ballot-title" id="pb-ballot" class="ballot-section"><h2 id="pb-ballot-title">{req.t('pb.ballot.section.title')}</h2>{children}</section>;
}

const signInHref = (req: FastifyRequest, next: string) => `/${req.locale}/account/sign-in?next=${encodeURIComponent(next)}`;

/** The ballot's parts of a project's page and a cycle's page. */
export function registerBallotSections(): void {
  // On an admitted project's page while voting is open: add it to the ballot or take it off, with what is left.
  registerProjectSection({
    id: 'pb.ballot',
    order: 20,
    async render(deps, req, { cycle, category, project, now }) {
      if (project.status !== 'admitted' || cycle.status !== 'published' || !votingOpen(cycle, now)) return null;
      const t = req.t;
      const here = projectPath(req, project.number);
      const ballot = ballotPath(req, cycle.number);
      if (!req.user) return <Section req={req}><p>{t('pb.ballot.section.signIn')} <a href={signInHref(req, here)}>{t('pb.ballot.signIn')}</a></p></Section>;
      const s = await voterState(deps.db, req.municipality!, cycle, req.user, now);
      const chosen = s.selection.includes(project.number);
      if (s.cast && !s.canSelect) {
        const on = s.cast.choices.includes(project.number);
        return <Section req={req}><p>{t(on ? 'pb.ballot.section.votedFor' : 'pb.ballot.section.voted')} <a href={`${ballot}/receipt`}>{t('pb.ballot.receiptLink')}</a></p></Section>;
      }
      if (!s.canSelect) return <Section req={req}><p>{t('pb.ballot.section.cannot')} <a href={ballot}>{t('pb.ballot.section.why')}</a></p></Section>;
      const c = s.tally.categories.find((x) => x.slug === category.slug);
      if (!c) {
        return <Section req={req}><p>{t(s.district === null ? 'pb.ballot.section.districtFirst' : 'pb.ballot.section.otherDistrict', { category: categoryName(req, s.ballot, category.slug) })} <a href={ballot}>{t('pb.ballot.section.toBallot')}</a></p></Section>;
      }
      return (
        <Section req={req}>
          {chosen && <p><strong>{t('pb.ballot.isChosen')}</strong></p>}
          <SelectButton req={req} cycle={cycle} number={project.number} chosen={chosen} next={`${here}#pb-ballot`} title={project.title} />
          <p>{categoryName(req, s.ballot, category.slug)}:</p>
          <CategoryLeft req={req} cycle={cycle} c={c} />
          <OverallLeft req={req} tally={s.tally} />
          <p><a href={ballot}>{t('pb.ballot.section.toBallotCount', { count: s.selection.length })}</a></p>
        </Section>
      );
    },
  });

  // On the cycle's page: the call to vote while voting is open, "you have voted" after, and the public ledger.
  registerCycleSection({
    id: 'pb.ballot',
    order: 20,
    async render(deps, req, { cycle, now }) {
      const open = cycle.status === 'published' && votingOpen(cycle, now);
      if (!open && now < cycle.voting_opens) return null;
      const t = req.t;
      const ballot = ballotPath(req, cycle.number);
      const s = req.user ? await voterState(deps.db, req.municipality!, cycle, req.user, now) : null;
      const ledger = cycle.frozen_at ? <p><a href={`${cyclePath(req, cycle.number)}/ledger`}>{t('pb.ballot.section.ledger')}</a></p> : null;
      if (s?.cast) {
        return (
          <Section req={req}>
            <p>{t(`pb.ballot.voted.${s.cast.channel}`)} {t('pb.ballot.votedAt', { date: req.fmt.dateTime(s.cast.cast_at) })}</p>
            <p><a href={`${ballot}/receipt`}>{t('pb.ballot.receiptLink')}</a>{s.canSelect && <> · <a href={ballot}>{t('pb.ballot.section.change')}</a></>}</p>
            {ledger}
          </Section>
        );
      }
      if (!open) return ledger && <Section req={req}>{ledger}</Section>;
      return (
        <Section req={req}>
          <p>{t('pb.ballot.section.call', { date: req.fmt.dateTime(cycle.voting_closes) })}</p>
          <p><ButtonLink href={ballot}>{t(s && s.selection.length > 0 ? 'pb.ballot.section.continue' : 'pb.ballot.section.vote')}</ButtonLink></p>
          {ledger}
        </Section>
      );
    },
  });
}
