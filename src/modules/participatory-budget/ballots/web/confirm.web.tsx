import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { App, Deps } from '../../../../platform/http/deps.ts';
import { redirectWithFlash } from '../../../../platform/http/flash.ts';
import { parseBody } from '../../../../platform/http/forms.ts';
import { Id } from '../../../../platform/http/input.ts';
import { render } from '../../../../platform/http/render.tsx';
import { redirectToSignIn } from '../../../../platform/http/request-context.ts';
import { Banner, Button, ButtonLink, Form } from '../../../../platform/views/components.tsx';
import { PhaseBanner } from '../../web/phase.tsx';
import { loadCycleBallot } from '../ballot.rules.ts';
import { ballotProblem, castOnline, type CastOutcome } from '../cast.service.ts';
import { voterState } from '../state.ts';
import { ballotPath, loadCycle, money, problemMessage } from './common.tsx';
import { ChoiceList } from './views.tsx';

/** What the confirmation posts: the choices it showed, and the version of the ballot it changes (0: a first ballot). */
export const CastForm = Type.Object({
  choices: Type.Array(Id({ maximum: 999_999_999 }), { minItems: 1, maxItems: 100 }),
  version: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
});

/** Per account and per network: far above a person, tight for scripts. Off in tests (RATE_LIMITS=false). */
const CAST_LIMITS = {
  rateLimit: { max: 30, timeWindow: 60_000, keyGenerator: (req: FastifyRequest) => (req.user ? `pb-cast:user:${req.user.id}` : `pb-cast:ip:${req.ip}`) },
};

/** The explicit confirmation: the final list, then one button that casts exactly that list. */
async function confirmPage(deps: Deps, req: FastifyRequest, reply: FastifyReply) {
  if (!req.user) return redirectToSignIn(req, reply);
  const cycle = await loadCycle(deps, req, reply);
  if (!cycle) return reply;
  const now = new Date();
  const t = req.t;
  const path = ballotPath(req, cycle.number);
  const s = await voterState(deps.db, req.municipality!, cycle, req.user, now);
  if (!s.canSelect || s.selection.length === 0) return reply.redirect(path, 303);
  const problem = ballotProblem(s.ballot, s.selection, s.district);
  const spent = s.tally.categories.reduce((sum, c) => sum + c.spent, 0);
  return render(deps, req, reply, {
    title: t('pb.ballot.confirm.title'),
    body: (
      <>
        <PhaseBanner req={req} cycle={cycle} now={now} />
        <h1>{t('pb.ballot.confirm.title')}</h1>
        <p class="lead">{t('pb.ballot.confirm.lead', { count: s.selection.length, total: money(req, cycle, spent) })}</p>
        <ChoiceList req={req} cycle={cycle} ballot={s.ballot} choices={s.selection} level={2} />
        {problem
          ? <Banner kind="error" title={t('pb.ballot.confirm.notYet')}><p>{problemMessage(req, cycle, s.ballot, problem)}</p></Banner>
          : (
            <Form action={`${path}/cast`}>
              {s.selection.map((n) => <input key={n} type="hidden" name="choices" value={String(n)} />)}
              <input type="hidden" name="version" value={String(s.cast?.version ?? 0)} />
              <p>{t(cycle.ballot_changes ? 'pb.ballot.confirm.changeable' : 'pb.ballot.confirm.final', { date: req.fmt.dateTime(cycle.voting_closes) })}</p>
              <Button>{t(s.cast ? 'pb.ballot.confirm.change' : 'pb.ballot.confirm.cast')}</Button>
            </Form>
          )}
        <p><ButtonLink variant="secondary" href={path}>{t('pb.ballot.confirm.back')}</ButtonLink></p>
      </>
    ),
  });
}

/** Where a cast goes: the receipt (which says what happened), or back to the ballot with the reason. */
async function afterCast(deps: Deps, req: FastifyRequest, reply: FastifyReply, cycle: Parameters<typeof castOnline>[3], r: CastOutcome) {
  const path = ballotPath(req, cycle.number);
  const t = req.t;
  switch (r.kind) {
    // The receipt says which it was: a query parameter costs a rush less than a signed flash cookie.
    case 'cast': return reply.redirect(`${path}/receipt?cast=new`, 303);
    case 'changed': return reply.redirect(`${path}/receipt?cast=changed`, 303);
    case 'already': return reply.redirect(`${path}/receipt?cast=${r.channel === 'paper' ? 'paper' : 'again'}`, 303);
    case 'stale': case 'unchanged': return reply.redirect(`${path}/receipt?cast=${r.kind}`, 303);
    case 'final': return redirectWithFlash(reply, path, { kind: 'error', message: t('pb.ballot.final') });
    case 'refused': {
      if (r.problem.code === 'not_eligible') return reply.redirect(path, 303);
      const message = problemMessage(req, cycle, await loadCycleBallot(deps.db, cycle), r.problem);
      return redirectWithFlash(reply, path, { kind: 'error', message });
    }
  }
}

export function registerConfirmPages(app: App, deps: Deps): void {
  app.get('/:locale/:municipality/participatory-budget/cycles/:number/ballot/confirm', { schema: { hide: true } }, (req, reply) => confirmPage(deps, req, reply));

  // Casting does not empty the shared page cache (a rush would make every reader render again).
  app.post('/:locale/:municipality/participatory-budget/cycles/:number/ballot/cast', {
    schema: { hide: true }, config: { invalidatesSharedCache: false, form: CastForm, ...CAST_LIMITS },
  }, async (req, reply) => {
    if (!req.user) return redirectToSignIn(req, reply);
    // A row up to a second old will do: the writing statement checks the voting period itself.
    const cycle = await loadCycle(deps, req, reply, { recent: true });
    if (!cycle) return reply;
    const parsed = parseBody(CastForm, req.body, req.t);
    // The form's fields are hidden: no choices is the one a person can cause; anything else is a form tampered with or out of date.
    if (!parsed.ok) return redirectWithFlash(reply, ballotPath(req, cycle.number), { kind: 'error', message: req.t(parsed.errors.choices ? 'pb.ballot.problem.empty' : 'pb.ballot.problem.badForm') });
    const r = await castOnline(deps, req.user, req.municipality!, cycle, parsed.value);
    return afterCast(deps, req, reply, cycle, r);
  });
}
