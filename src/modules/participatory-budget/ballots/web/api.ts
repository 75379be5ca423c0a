import { Type } from 'typebox';
import type { App, Deps } from '../../../../platform/http/deps.ts';
import { markPersonal } from '../../../../platform/http/render.tsx';
import type { VoterState } from '../state.ts';
import { voterState } from '../state.ts';
import { loadCycle } from './common.tsx';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const When = Type.String({ format: 'date-time' });
const Int = Type.Integer();

const PROBLEMS = ['not_signed_in', 'not_open', 'not_eligible', 'already_voted', 'district_needed'] as const;
const REFUSALS = ['level', 'age_unknown', 'too_young'] as const;

/** Where the voter stands, with a stable code (the same words the pages use are in `message`). */
const Problem = Nullable(Type.Object({
  code: Type.Enum([...PROBLEMS], {
    description: '`not_signed_in`; `not_open` (outside the voting period); `not_eligible` (see `refusal`); `already_voted` (a final ballot, or one on paper); `district_needed` (declare a district on the ballot page to choose in district categories)',
  }),
  refusal: Type.Optional(Type.Enum([...REFUSALS])),
  message: Type.String(),
}));

const BallotState = Type.Object({
  cycle: Type.Object({
    number: Int, open: Type.Boolean(), votingOpens: When, votingCloses: When, currency: Type.String(),
    rule: Type.Union([Type.Literal('approval'), Type.Literal('knapsack')]), maxChoices: Nullable(Int), maxPerCategory: Nullable(Int), minChoices: Nullable(Int), minSharePct: Nullable(Int),
    ballotChanges: Type.Boolean({ description: 'A cast ballot may be changed until voting closes (each change a new ledger entry)' }),
  }),
  categories: Type.Array(Type.Object({
    slug: Type.String(), amount: Type.Integer({ description: 'Minor units' }), district: Nullable(Type.String()),
    chosen: Type.Array(Int), spent: Int, moneyLeft: Int, choicesLeft: Nullable(Int),
  }), { description: 'The categories the voter may choose from (the municipality\'s and their district\'s), with what their selection holds' }),
  projects: Type.Array(Type.Object({ number: Int, category: Type.String(), cost: Type.Integer({ description: 'Counted cost, minor units' }), title: Type.String() })),
  choicesLeft: Nullable(Int),
  selection: Nullable(Type.Array(Int, { description: 'Project numbers chosen so far (null when not signed in)' })),
  ballot: Nullable(Type.Object({
    channel: Type.Union([Type.Literal('online'), Type.Literal('paper')]), version: Int, choices: Type.Array(Int), castAt: When, changedAt: When,
    voter: Type.String({ description: 'The pseudonymous voter id of the ballot\'s entries in the cycle\'s ledger chain' }),
  })),
  canSelect: Type.Boolean({ description: 'The voter may change their selection and cast (or change) their ballot now' }),
  problem: Problem,
});

type Problem = { code: (typeof PROBLEMS)[number]; refusal?: (typeof REFUSALS)[number]; message: string } | null;

function problemOf(s: VoterState, signedIn: boolean, t: (k: string) => string): Problem {
  if (!signedIn) return { code: 'not_signed_in', message: t('pb.ballot.problem.not_signed_in') };
  if (!s.open) return { code: 'not_open', message: t('pb.ballot.problem.not_open') };
  if (s.cast && !s.canSelect) return { code: 'already_voted', message: t(`pb.ballot.already.${s.cast.channel}`) };
  if (s.refusal) return { code: 'not_eligible', refusal: s.refusal.code, message: t(`pb.ballot.problem.not_eligible.${s.refusal.code}`) };
  if (s.needsDistrict) return { code: 'district_needed', message: t('pb.ballot.district.hidden') };
  return null;
}

/**
 * The ballot in JSON: the cycle's rules, categories and projects, and for a signed-in voter (session cookie)
 * their selection, cast ballot and what keeps them from voting. Casting is the ballot page's confirmation form
 * (a session-cookie form post with its CSRF token): no API write of the site takes cookies.
 */
export function registerBallotApi(app: App, deps: Deps): void {
  app.get('/api/v1/:municipality/participatory-budget/cycles/:number/ballot', {
    schema: { tags: ['participatory-budget'], summary: 'A cycle\'s ballot and, signed in, the voter\'s selection and ballot', response: { 200: BallotState } },
  }, async (req, reply) => {
    const cycle = await loadCycle(deps, req, reply);
    if (!cycle) return reply;
    const s = await voterState(deps.db, req.municipality!, cycle, req.user, new Date());
    if (req.user) markPersonal(reply);
    const b = s.cast;
    return {
      cycle: {
        number: cycle.number, open: s.open, votingOpens: cycle.voting_opens.toISOString(), votingCloses: cycle.voting_closes.toISOString(), currency: cycle.currency,
        rule: cycle.rule, maxChoices: cycle.max_choices, maxPerCategory: cycle.max_per_category, minChoices: cycle.min_choices, minSharePct: cycle.min_share_pct, ballotChanges: cycle.ballot_changes,
      },
      categories: s.tally.categories.map((c) => ({ ...c, district: s.ballot.categories.find((x) => x.slug === c.slug)!.districtSlug })),
      projects: s.ballot.projects.map((p) => ({ number: p.number, category: p.category, cost: p.cost, title: p.title })),
      choicesLeft: s.tally.choicesLeft,
      selection: req.user ? s.selection : null,
      ballot: b ? { channel: b.channel, version: b.version, choices: b.choices, castAt: new Date(b.cast_at).toISOString(), changedAt: new Date(b.changed_at).toISOString(), voter: b.voter } : null,
      canSelect: s.canSelect,
      problem: problemOf(s, req.user !== null, req.t),
    };
  });
}
