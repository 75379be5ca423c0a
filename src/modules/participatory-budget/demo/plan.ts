import type { Municipality } from '../../../db/schema.ts';
import { localDate, parseLocalDateTime } from '../../../platform/time/working-days.ts';
import type { CycleInput } from '../cycles/cycle.input.ts';
import type { CategoryValues } from '../cycles/cycles.repo.ts';
import type { Phase } from '../phase.ts';
import { CATEGORY_NAMES, type DemoTexts } from './demo-content.ts';

/**
 * What the demo makes of each municipality: a past cycle whose winners are being built, and a current cycle in
 * another phase, so that across the four demo municipalities every phase is on somewhere (Kłodzko also announces
 * its youth budget). Dates are days from now, so the demo means the same on any day.
 */

export type DemoPhase = Exclude<Phase, 'revision'>;
/** What becomes of a project in review: admitted, returned for revision, not admitted, or still waiting. */
export type Fate = 'admitted' | 'returned' | 'rejected' | 'waiting';

export interface CyclePlan {
  kind: 'main' | 'youth';
  phase: DemoPhase;
  /** Indexes into the language's demo projects, with what becomes of each in review. */
  projects: [number, Fate][];
}

const PAST: CyclePlan = { kind: 'main', phase: 'implementation', projects: [[0, 'admitted'], [1, 'admitted'], [2, 'admitted'], [3, 'admitted'], [7, 'returned']] };
const current = (phase: DemoPhase): CyclePlan => ({ kind: 'main', phase, projects: [[4, 'admitted'], [5, 'returned'], [6, 'waiting'], [8, 'rejected']] });

/** The cycles of each demo municipality, oldest first; any other municipality gets Zhovkva's. */
export const DEMO_PLANS: Record<string, CyclePlan[]> = {
  zhovkva: [PAST, current('voting')],
  vlasotince: [PAST, current('submission')],
  sombor: [PAST, current('review')],
  klodzko: [PAST, current('results'), { kind: 'youth', phase: 'information', projects: [] }],
};

const DAY = 86_400_000;

/** Days from now of submission opening and closing, review closing, voting opening and closing, implementation opening. */
const DAYS: Record<DemoPhase, [number, number, number, number, number, number]> = {
  information: [20, 50, 80, 90, 104, 135],
  submission: [-10, 20, 50, 55, 69, 100],
  review: [-40, -10, 15, 30, 44, 75],
  voting: [-75, -45, -15, -5, 9, 40],
  results: [-110, -80, -50, -40, -3, 30],
  implementation: [-420, -390, -360, -350, -336, -300],
};

/** The municipality's local day `days` from `now`, at a local hour. */
function localAt(now: number, days: number, hour: string, timeZone: string): Date {
  return parseLocalDateTime(`${localDate(new Date(now + days * DAY), timeZone)}T${hour}`, timeZone)!;
}

/** A cycle's dates for its phase: phases open in the morning and close in the evening, local time. */
export function planDates(phase: DemoPhase, now: number, timeZone: string) {
  const [so, sc, rc, vo, vc, io] = DAYS[phase];
  const opens = (d: number) => localAt(now, d, '09:00', timeZone);
  const closes = (d: number) => localAt(now, d, '21:00', timeZone);
  return {
    submission_opens: opens(so), submission_closes: closes(sc), review_closes: closes(rc), revision_closes: null,
    voting_opens: opens(vo), voting_closes: closes(vc), implementation_opens: opens(io),
  };
}

/** The budget year a cycle decides on: this year's for the past cycle (being built now), next year's for the others. */
export const planYear = (plan: CyclePlan, now: number, timeZone: string) => Number(localDate(new Date(now), timeZone).slice(0, 4)) + (plan.phase === 'implementation' ? 0 : 1);

export const planTitle = (plan: CyclePlan, texts: DemoTexts, year: number) => (plan.kind === 'youth' ? texts.youthTitle(year) : texts.cycleTitle(year));

/** Money scaled to the currency, so that one plan fits the demo projects' costs in hryvnias, dinars and złoty. */
const SCALE: Record<string, number> = { UAH: 1, RSD: 10, PLN: 0.4, EUR: 0.025 };
const money = (m: Pick<Municipality, 'currency'>, units: number) => Math.round(units * (SCALE[m.currency] ?? 1)) * 100;

/** The categories of a cycle: small and large projects (the youth budget only small ones), in minor units. */
export function planCategories(plan: CyclePlan, m: Pick<Municipality, 'currency'>): { slug: 'small' | 'large'; values: CategoryValues }[] {
  const named = (slug: 'small' | 'large') => ({ names: CATEGORY_NAMES[slug], district_id: null });
  if (plan.kind === 'youth') return [{ slug: 'small', values: { ...named('small'), amount: money(m, 300_000), min_cost: money(m, 10_000), max_cost: money(m, 150_000) } }];
  return [
    { slug: 'small', values: { ...named('small'), amount: money(m, 600_000), min_cost: money(m, 20_000), max_cost: money(m, 310_000) } },
    { slug: 'large', values: { ...named('large'), amount: money(m, 1_500_000), min_cost: money(m, 310_000), max_cost: money(m, 1_000_000) } },
  ];
}

/** The cycle form's values for a plan: approval of up to three projects by confirmed residents. */
export function planInput(plan: CyclePlan, m: Pick<Municipality, 'currency' | 'time_zone'>, texts: DemoTexts, now: number): CycleInput {
  const year = planYear(plan, now, m.time_zone);
  return {
    ...planDates(plan.phase, now, m.time_zone),
    year, title: planTitle(plan, texts, year), description: plan.kind === 'youth' ? texts.youthDescription : texts.cycleDescription,
    total_amount: planCategories(plan, m).reduce((s, c) => s + c.values.amount, 0), currency: m.currency,
    rule: 'approval', max_choices: 3, max_per_category: null, min_choices: null, min_share_pct: null,
    vote_level: 'resident', submit_level: 'email', min_age: null, age_source: 'identity', ballot_changes: plan.phase === 'voting', review_days: 20,
  };
}
