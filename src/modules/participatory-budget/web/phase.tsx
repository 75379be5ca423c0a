import type { FastifyRequest } from 'fastify';
import { Banner, Table } from '../../../platform/views/components.tsx';
import { calendar, phaseAt, type Phase } from '../phase.ts';
import type { Cycle } from '../pb.tables.ts';

/** The message that says what a resident can do in the cycle's current phase, and until when. */
function leadKey(phase: Phase, c: Pick<Cycle, 'results_published_at'>): string {
  if (phase === 'results' && c.results_published_at) return 'pb.phase.lead.resultsPublished';
  return `pb.phase.lead.${phase}`;
}

/**
 * Shown at the top of every page of a cycle: which phase is on, what a resident can do now and until when.
 * `now` is taken once per request by the caller, so a page never contradicts itself across a phase change.
 */
export function PhaseBanner({ req, cycle, now = new Date() }: { req: FastifyRequest; cycle: Cycle; now?: Date }) {
  const span = phaseAt(cycle, now);
  const dateTime = (d: Date | null) => (d ? req.fmt.dateTime(d) : '');
  return (
    <Banner kind="info" title={req.t('pb.phase.now', { phase: req.t(`pb.phase.name.${span.phase}`) })}>
      <p>{req.t(leadKey(span.phase, cycle), { until: dateTime(span.until), opens: dateTime(cycle.submission_opens), voting: dateTime(cycle.voting_opens) })}</p>
    </Banner>
  );
}

/** The cycle's calendar as a table: each phase with its dates, the current one marked. */
export function CycleCalendar({ req, cycle, now = new Date(), headingLevel = 2 }: { req: FastifyRequest; cycle: Cycle; now?: Date; headingLevel?: 2 | 3 }) {
  const on = phaseAt(cycle, now).phase;
  const H = headingLevel === 2 ? 'h2' : 'h3';
  const rows = calendar(cycle).map((s) => [
    s.phase === on ? <strong>{req.t(`pb.phase.name.${s.phase}`)} ({req.t('pb.phase.current')})</strong> : req.t(`pb.phase.name.${s.phase}`),
    s.from ? req.fmt.dateTime(s.from) : req.t('pb.phase.fromPublication'),
    s.until ? req.fmt.dateTime(s.until) : '—',
  ]);
  return (
    <section aria-labelledby="pb-calendar">
      <H id="pb-calendar">{req.t('pb.calendar.title')}</H>
      <Table caption={req.t('pb.calendar.title')} captionHidden head={[req.t('pb.calendar.phase'), req.t('pb.calendar.from'), req.t('pb.calendar.until')]} rows={rows} />
    </section>
  );
}
