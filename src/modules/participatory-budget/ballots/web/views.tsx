import type { FastifyRequest } from 'fastify';
import { startOfLocalDay } from '../../../../platform/time/working-days.ts';
import { identitySignInHref } from '../../../../platform/auth/identity/dialects.ts';
import { Button, ButtonLink, Form } from '../../../../platform/views/components.tsx';
import { Content } from '../../../../platform/views/content.tsx';
import { LevelExplanation } from '../../../../platform/views/level.tsx';
import { useView } from '../../../../platform/views/context.ts';
import type { Cycle } from '../../pb.tables.ts';
import { projectPath } from '../../paths.ts';
import type { BallotState, CategoryTally } from '../../rules.ts';
import type { CycleBallot } from '../ballot.rules.ts';
import type { Refusal } from '../eligibility.ts';
import { ballotPath, categoryName, money } from './common.tsx';

/** The cycle's voting rule in one sentence: how many projects, or how much money, per category. */
export function RulesLead({ req, cycle }: { req: FastifyRequest; cycle: Cycle }) {
  const t = req.t;
  const parts = cycle.rule === 'approval'
    ? [
      cycle.max_choices !== null ? t('pb.ballot.rules.approvalMax', { max: cycle.max_choices }) : t('pb.ballot.rules.approvalAny'),
      cycle.max_per_category !== null ? t('pb.ballot.rules.perCategory', { max: cycle.max_per_category }) : '',
      cycle.min_choices !== null ? t('pb.ballot.rules.minChoices', { min: cycle.min_choices }) : '',
    ]
    : [t('pb.ballot.rules.knapsack'), cycle.min_share_pct !== null ? t('pb.ballot.rules.minShare', { pct: cycle.min_share_pct }) : ''];
  return <p>{parts.filter(Boolean).join(' ')}</p>;
}

/** What is chosen in a category and what is left of it (projects under approval, money under knapsack). */
export function CategoryLeft({ req, cycle, c }: { req: FastifyRequest; cycle: Cycle; c: CategoryTally }) {
  const t = req.t;
  const left = cycle.rule === 'knapsack'
    ? t('pb.ballot.left.money', { amount: money(req, cycle, c.moneyLeft) })
    : c.choicesLeft !== null ? t('pb.ballot.left.inCategory', { count: c.choicesLeft }) : '';
  return <p class="ballot__left">{t('pb.ballot.chosen', { count: c.chosen.length, spent: money(req, cycle, c.spent), amount: money(req, cycle, c.amount) })} {left}</p>;
}

/** How many projects may still be chosen in all (approval with a maximum), or nothing. */
export function OverallLeft({ req, tally }: { req: FastifyRequest; tally: BallotState }) {
  if (tally.choicesLeft === null) return null;
  return <p class="ballot__left"><strong>{req.t('pb.ballot.left.overall', { count: tally.choicesLeft, chosen: tally.chosen })}</strong></p>;
}

/** "Add to my ballot" or "Remove", a plain form post that comes back to `next`. */
export function SelectButton({ req, cycle, number, chosen, next, title }: { req: FastifyRequest; cycle: Cycle; number: number; chosen: boolean; next: string; title: string }) {
  const { t } = useView();
  return (
    <Form action={`${ballotPath(req, cycle.number)}/${chosen ? 'remove' : 'add'}`} class="inline-form">
      <input type="hidden" name="project" value={String(number)} />
      <input type="hidden" name="next" value={next} />
      <Button variant={chosen ? 'secondary' : 'primary'}>
        {t(chosen ? 'pb.ballot.remove' : 'pb.ballot.add')}<span class="visually-hidden">: {title}</span>
      </Button>
    </Form>
  );
}

/**
 * The chosen projects of a list of choices, by category, with their costs (the confirmation and the receipt). Each
 * category is a heading one level below the page's part it is in: h2 under the page's h1, h3 under a section's h2.
 */
export function ChoiceList({ req, cycle, ballot, choices, level = 3 }: { req: FastifyRequest; cycle: Cycle; ballot: CycleBallot; choices: readonly number[]; level?: 2 | 3 }) {
  const H = level === 2 ? 'h2' : 'h3';
  const chosen = ballot.projects.filter((p) => choices.includes(p.number));
  return (
    <>
      {ballot.categories.filter((c) => chosen.some((p) => p.category === c.slug)).map((c) => (
        <section key={c.slug} aria-label={categoryName(req, ballot, c.slug)}>
          <H>{categoryName(req, ballot, c.slug)}</H>
          <ul>
            {chosen.filter((p) => p.category === c.slug).map((p) => (
              <li key={p.number}><a href={projectPath(req, p.number)}><Content text={p.title} /></a> — {money(req, cycle, p.cost)} <span class="muted">(#{p.number})</span></li>
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}

/** The page that says why this person cannot vote in the cycle yet, and how to get there. */
export function RefusalExplanation({ req, cycle, refusal }: { req: FastifyRequest; cycle: Cycle; refusal: Refusal }) {
  const { t, identityProviders, fmt } = useView();
  const back = `/${req.locale}/${req.municipality!.slug}/participatory-budget/cycles/${cycle.number}`;
  if (refusal.code === 'level') {
    const lead = t('pb.ballot.refusal.level', { level: t(`verification.level.${refusal.required}`) });
    return <LevelExplanation req={req} required={refusal.required} lead={lead} back={back} />;
  }
  const here = req.url.split('?')[0]!;
  const turns = refusal.code === 'too_young' ? startOfLocalDay(refusal.from, req.municipality!.time_zone) : new Date(0);
  const providers = identityProviders.map((p) => <li key={p.id}><a href={identitySignInHref(req.locale, p.id, here)}>{t('platform.level.identityWith', { provider: p.name })}</a></li>);
  return (
    <>
      <h1>{t('platform.level.title')}</h1>
      {refusal.code === 'too_young'
        ? <p class="lead">{t(turns < cycle.voting_closes ? 'pb.ballot.refusal.tooYoungFrom' : 'pb.ballot.refusal.tooYoung', { min: refusal.minAge, date: fmt.date(turns) })}</p>
        : (
          <>
            <p class="lead">{t('pb.ballot.refusal.ageUnknown', { min: refusal.minAge })}</p>
            <ol class="steps">
              {refusal.declaredCounts && <li>{t('pb.ballot.refusal.declare')} <a href={`/${req.locale}/account/birth-date?next=${encodeURIComponent(here)}`}>{t('pb.ballot.refusal.declareLink')}</a></li>}
              {!refusal.declaredCounts && refusal.hasDeclared && <li>{t('pb.ballot.refusal.declaredIgnored')}</li>}
              {providers.length > 0 && <li>{t('pb.ballot.refusal.identity')}<ul>{providers}</ul></li>}
              {providers.length === 0 && !refusal.declaredCounts && <li>{t('pb.ballot.refusal.noIdentity')}</li>}
            </ol>
          </>
        )}
      <p><ButtonLink variant="secondary" href={back}>{t('platform.level.back')}</ButtonLink></p>
    </>
  );
}
