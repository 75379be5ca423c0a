import type { Cycle } from './pb.tables.ts';

/**
 * A cycle's phases in order, each starting at a date of the cycle: information (from publication),
 * submission, technical review, revision (where the cycle has one), voting, results (from the close of voting;
 * the results themselves are published by the administrator) and implementation (from its date, once results
 * are published). A phase lasts until the next one starts, so the gaps between dates belong to the phase before.
 */
export const PHASES = ['information', 'submission', 'review', 'revision', 'voting', 'results', 'implementation'] as const;
export type Phase = (typeof PHASES)[number];

type PhaseDates = Pick<Cycle, 'submission_opens' | 'submission_closes' | 'review_closes' | 'revision_closes' | 'voting_opens' | 'voting_closes' | 'implementation_opens' | 'results_published_at'>;

export interface PhaseSpan { phase: Phase; from: Date | null; until: Date | null }

/** The cycle's calendar: every phase it has, with when it starts and ends (null: open-ended). */
export function calendar(c: PhaseDates): PhaseSpan[] {
  const starts: [Phase, Date][] = [
    ['submission', c.submission_opens],
    ['review', c.submission_closes],
    ...(c.revision_closes ? [['revision', c.review_closes] as [Phase, Date]] : []),
    ['voting', c.voting_opens],
    ['results', c.voting_closes],
    ['implementation', c.implementation_opens],
  ];
  const spans: PhaseSpan[] = [{ phase: 'information', from: null, until: c.submission_opens }];
  starts.forEach(([phase, from], i) => spans.push({ phase, from, until: starts[i + 1]?.[1] ?? null }));
  return spans;
}

/** The phase on at `now`. Implementation starts at its date only once the results are published. */
export function phaseAt(c: PhaseDates, now: Date = new Date()): PhaseSpan {
  const spans = calendar(c);
  let on = spans[0]!;
  for (const s of spans) if (s.from && s.from <= now) on = s;
  if (on.phase === 'implementation' && !c.results_published_at) {
    const results = spans.find((s) => s.phase === 'results')!;
    return { ...results, until: null };
  }
  return on;
}

/** Whether residents may submit and edit projects now (submission) or only returned ones (revision). */
export const submissionOpen = (c: PhaseDates, now: Date = new Date()) => phaseAt(c, now).phase === 'submission';

/** Whether ballots may be cast or changed now: from voting_opens until voting_closes. */
export const votingOpen = (c: Pick<Cycle, 'voting_opens' | 'voting_closes'>, now: Date = new Date()) => c.voting_opens <= now && now < c.voting_closes;
