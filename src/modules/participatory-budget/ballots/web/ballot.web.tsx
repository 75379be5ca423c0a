import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { App, Deps } from '../../../../platform/http/deps.ts';
import { redirectWithFlash } from '../../../../platform/http/flash.ts';
import { parseBody } from '../../../../platform/http/forms.ts';
import { Id } from '../../../../platform/http/input.ts';
import { render } from '../../../../platform/http/render.tsx';
import { redirectToSignIn, safeNext } from '../../../../platform/http/request-context.ts';
import { localized } from '../../../../platform/i18n/i18n.ts';
import { Banner, Button, ButtonLink, Form, Select } from '../../../../platform/views/components.tsx';
import { Content } from '../../../../platform/views/content.tsx';
import type { Cycle } from '../../pb.tables.ts';
import { projectPath } from '../../paths.ts';
import { CycleNav } from '../../web/cycle-nav.tsx';
import { PhaseBanner } from '../../web/phase.tsx';
import { addToSelection, chooseDistrict, removeFromSelection, type SelectionOutcome } from '../selection.service.ts';
import { voterState, type VoterState } from '../state.ts';
import { ballotPath, categoryName, loadCycle, money, problemMessage } from './common.tsx';
import { CastSummary } from './receipt.views.tsx';
import { CategoryLeft, OverallLeft, RefusalExplanation, RulesLead, SelectButton } from './views.tsx';

const ProjectForm = Type.Object({ project: Id(), next: Type.Optional(Type.String({ maxLength: 500 })) });
const DistrictForm = Type.Object({ district: Id(), next: Type.Optional(Type.String({ maxLength: 500 })) });

/** The district select, for a voter with no confirmed residence district where the cycle has district categories. */
function DistrictChoice({ req, cycle, s }: { req: FastifyRequest; cycle: Cycle; s: VoterState }) {
  const t = req.t;
  const districts = s.ballot.categories.filter((c) => c.districtId !== null);
  const options = [...new Map(districts.map((c) => [c.districtId!, localized(c.districtNames ?? {}, req.locale) || c.districtSlug || ''])).entries()]
    .map(([id, name]) => ({ value: String(id), label: name }));
  return (
    <section aria-labelledby="pb-district">
      <h2 id="pb-district">{t('pb.ballot.district.title')}</h2>
      <p>{s.district === null ? t('pb.ballot.district.lead') : t('pb.ballot.district.change')}</p>
      <Form action={`${ballotPath(req, cycle.number)}/district`}>
        <Select name="district" label={t('pb.ballot.district.label')} options={[{ value: '', label: t('pb.ballot.district.none') }, ...options]} value={s.district === null ? '' : String(s.district)} />
        <Button variant="secondary">{t('pb.ballot.district.save')}</Button>
      </Form>
    </section>
  );
}

/** One category of the ballot: what is chosen and left, and each project with its button. */
function CategoryBlock({ req, cycle, s, slug }: { req: FastifyRequest; cycle: Cycle; s: VoterState; slug: string }) {
  const c = s.tally.categories.find((x) => x.slug === slug)!;
  const here = ballotPath(req, cycle.number);
  return (
    <section aria-labelledby={`pb-cat-${slug}`} id={`category-${slug}`}>
      <h2 id={`pb-cat-${slug}`}>{categoryName(req, s.ballot, slug)}</h2>
      <CategoryLeft req={req} cycle={cycle} c={c} />
      <ul class="ballot__projects">
        {s.ballot.projects.filter((p) => p.category === slug).map((p) => {
          const chosen = s.selection.includes(p.number);
          return (
            <li key={p.number} class={chosen ? 'ballot__project ballot__project--chosen' : 'ballot__project'}>
              <a href={projectPath(req, p.number)}><Content text={p.title} /></a> — {money(req, cycle, p.cost)}
              {chosen && <> <strong>{req.t('pb.ballot.isChosen')}</strong></>}
              {s.canSelect && <SelectButton req={req} cycle={cycle} number={p.number} chosen={chosen} next={`${here}#category-${slug}`} title={p.title} />}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** The ballot page: the call to vote, the voter's refusal, the cast ballot, or the selection being built. */
async function ballotPage(deps: Deps, req: FastifyRequest, reply: FastifyReply) {
  const cycle = await loadCycle(deps, req, reply);
  if (!cycle) return reply;
  const now = new Date();
  const t = req.t;
  const s = await voterState(deps.db, req.municipality!, cycle, req.user, now);
  const frame = (body: preact.ComponentChildren, title = t('pb.ballot.title')) => render(deps, req, reply, {
    title,
    body: <><PhaseBanner req={req} cycle={cycle} now={now} /><CycleNav req={req} cycle={cycle} now={now} />{body}</>,
  });
  // A visitor who is not signed in sees the ballot and its rules, with the link to sign in (below).
  if (req.user && s.open && s.refusal && !s.cast) return frame(<RefusalExplanation req={req} cycle={cycle} refusal={s.refusal} />, t('platform.level.title'));
  const path = ballotPath(req, cycle.number);
  return frame(
    <>
      <h1>{t('pb.ballot.title')}</h1>
      <p class="lead"><Content text={cycle.title} /></p>
      {!s.open && <Banner kind="info">{t(now < cycle.voting_opens ? 'pb.ballot.notYet' : 'pb.ballot.closed', { date: req.fmt.dateTime(now < cycle.voting_opens ? cycle.voting_opens : cycle.voting_closes) })}</Banner>}
      {s.cast && <CastSummary req={req} cycle={cycle} s={s} />}
      {(s.canSelect || !s.cast) && (
        <>
          <RulesLead req={req} cycle={cycle} />
          {s.canSelect && s.ballot.categories.some((c) => c.districtId !== null) && !s.cast && s.facts?.residence_district == null && <DistrictChoice req={req} cycle={cycle} s={s} />}
          <OverallLeft req={req} tally={s.tally} />
          {s.categories.map((c) => <CategoryBlock key={c.slug} req={req} cycle={cycle} s={s} slug={c.slug} />)}
          {s.needsDistrict && <p>{t('pb.ballot.district.hidden')}</p>}
          {s.canSelect && (s.selection.length > 0
            ? <p><ButtonLink href={`${path}/confirm`}>{t(s.cast ? 'pb.ballot.reviewChange' : 'pb.ballot.review')}</ButtonLink></p>
            : <p>{t('pb.ballot.emptyHint')}</p>)}
          {!req.user && s.open && <p><a href={`/${req.locale}/account/sign-in?next=${encodeURIComponent(path)}`}>{t('pb.ballot.signIn')}</a></p>}
        </>
      )}
    </>,
  );
}

/** Where a selection form goes back to: the page it was sent from (the ballot or a project), never elsewhere. */
const backTo = (req: FastifyRequest, cycle: Cycle, next: string | undefined) => safeNext(next, ballotPath(req, cycle.number));

/** The flash after a change of the selection. */
function selectionFlash(req: FastifyRequest, cycle: Cycle, r: SelectionOutcome) {
  const t = req.t;
  switch (r.kind) {
    case 'added': return { kind: 'success' as const, message: t('pb.ballot.added') };
    case 'removed': return { kind: 'success' as const, message: t('pb.ballot.removed') };
    case 'declared': return { kind: 'success' as const, message: t('pb.ballot.district.saved') };
    case 'voted': return { kind: 'info' as const, message: t(`pb.ballot.already.${r.channel}`) };
    case 'not_open': return { kind: 'error' as const, message: t('pb.ballot.problem.not_open') };
    case 'not_eligible': return { kind: 'error' as const, message: t(`pb.ballot.problem.not_eligible.${r.refusal.code}`) };
    case 'unknown_project': return { kind: 'error' as const, message: t('pb.ballot.problem.notOnBallot') };
    case 'district_fixed': return { kind: 'error' as const, message: t('pb.ballot.district.fixed') };
    case 'unknown_district': return { kind: 'error' as const, message: t('pb.ballot.district.unknown') };
    case 'rules': return { kind: 'error' as const, message: problemMessage(req, cycle, r.ballot, { code: 'rules', problem: r.problem }) };
    case 'district': return { kind: 'error' as const, message: problemMessage(req, cycle, r.ballot, { code: 'district', problem: r.problem }) };
  }
}

export function registerBallotPage(app: App, deps: Deps): void {
  app.get('/:locale/:municipality/participatory-budget/cycles/:number/ballot', { schema: { hide: true } }, (req, reply) => ballotPage(deps, req, reply));

  const selection = (action: 'add' | 'remove' | 'district') => app.post(`/:locale/:municipality/participatory-budget/cycles/:number/ballot/${action}`, {
    schema: { hide: true },
    // Only the voter's own pages show a selection: the shared cache of anonymous pages stays.
    config: { invalidatesSharedCache: false, form: action === 'district' ? DistrictForm : ProjectForm },
  }, async (req, reply) => {
    if (!req.user) return redirectToSignIn(req, reply);
    const cycle = await loadCycle(deps, req, reply);
    if (!cycle) return reply;
    const m = req.municipality!;
    const back = ballotPath(req, cycle.number);
    if (action === 'district') {
      const parsed = parseBody(DistrictForm, req.body, req.t);
      if (!parsed.ok) return redirectWithFlash(reply, back, { kind: 'error', message: req.t('pb.ballot.district.unknown') });
      return redirectWithFlash(reply, backTo(req, cycle, parsed.value.next), selectionFlash(req, cycle, await chooseDistrict(deps, req.user, m, cycle, parsed.value.district)));
    }
    const parsed = parseBody(ProjectForm, req.body, req.t);
    if (!parsed.ok) return redirectWithFlash(reply, back, { kind: 'error', message: req.t('pb.ballot.problem.notOnBallot') });
    const r = await (action === 'add' ? addToSelection : removeFromSelection)(deps, req.user, m, cycle, parsed.value.project);
    return redirectWithFlash(reply, backTo(req, cycle, parsed.value.next), selectionFlash(req, cycle, r));
  });
  selection('add');
  selection('remove');
  selection('district');
}
