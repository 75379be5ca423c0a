import type { FastifyRequest } from 'fastify';
import type { App, Deps } from '../../../platform/http/deps.ts';
import { notFound } from '../../../platform/http/errors.tsx';
import { render } from '../../../platform/http/render.tsx';
import { INTL_TAG, localized } from '../../../platform/i18n/i18n.ts';
import { listDistricts } from '../../../platform/tenancy/districts.repo.ts';
import { localDate } from '../../../platform/time/working-days.ts';
import { Columns, HorizontalBars, type ChartDatum } from '../../../platform/views/charts.tsx';
import { Banner, EmptyState, SummaryList } from '../../../platform/views/components.tsx';
import { Content } from '../../../platform/views/content.tsx';
import { cyclePath } from '../paths.ts';
import type { Cycle } from '../pb.tables.ts';
import { CycleNav } from '../web/cycle-nav.tsx';
import { PhaseBanner } from '../web/phase.tsx';
import { publicCycle } from '../implementation/common.tsx';
import { ballotCounts, type BallotCounts } from './stats.repo.ts';
import { anyHidden, byAge, everyDay, MIN_CELL, suppressSmall, type Cell, type ShownCell } from './stats.ts';

/** A day as the axis under its column shows it: "2.05." / "5/2". */
const shortDay = (req: FastifyRequest, d: string) => new Intl.DateTimeFormat(INTL_TAG[req.locale], { day: 'numeric', month: 'numeric', timeZone: 'UTC' }).format(new Date(`${d}T12:00:00Z`));

/** A breakdown's published cells as chart data: each count and its share of all ballots, or "not shown". */
function chartData<K>(req: FastifyRequest, cells: ShownCell<K>[], total: number, label: (k: K) => string): ChartDatum[] {
  return cells.map((c) => ({
    label: label(c.key), value: c.n,
    text: c.n === null ? req.t('pb.stats.hidden') : req.fmt.number(c.n),
    extra: [c.n === null || total === 0 ? '—' : req.fmt.percent(c.n / total)],
  }));
}

/** The breakdowns of the page, each with what it is made of. */
function breakdowns(req: FastifyRequest, cycle: Cycle, counts: BallotCounts, districts: { id: number; names: unknown }[], now: Date) {
  const tz = req.municipality!.time_zone;
  const lastInstant = new Date(Math.min(now.getTime(), cycle.voting_closes.getTime() - 1));
  const days = suppressSmall(everyDay(counts.days, localDate(cycle.voting_opens, tz), localDate(lastInstant, tz)));
  const byDistrict = new Map(counts.districts.map((d) => [d.key, d.n]));
  const districtCells: Cell<number | null>[] = [
    ...districts.map((d) => ({ key: d.id as number | null, n: byDistrict.get(d.id) ?? 0 })),
    ...(byDistrict.get(null) ? [{ key: null, n: byDistrict.get(null)! }] : []),
    // A district deleted since a ballot named it still counts, under "not known".
    ...[...byDistrict].filter(([k]) => k !== null && !districts.some((d) => d.id === k)).map(([, n]) => ({ key: null, n })),
  ];
  const merged = new Map<number | null, number>();
  for (const c of districtCells) merged.set(c.key, (merged.get(c.key) ?? 0) + c.n);
  const names = new Map(districts.map((d) => [d.id, localized(d.names as never, req.locale)]));
  const channels = (['online', 'paper'] as const).map((key) => ({ key, n: counts.channels.find((c) => c.key === key)?.n ?? 0 }));
  return {
    days,
    districts: { cells: suppressSmall([...merged].map(([key, n]) => ({ key, n }))), label: (k: number | null) => (k === null ? req.t('pb.stats.unknownDistrict') : names.get(k) ?? '') },
    ages: { cells: suppressSmall(byAge(counts.ages)), label: (k: string | null) => (k === null ? req.t('pb.stats.unknownAge') : k) },
    channels: { cells: suppressSmall(channels), label: (k: 'online' | 'paper') => req.t(`pb.stats.channel.${k}`) },
  };
}

/** A cycle's statistics from voting on: turnout, and ballots by day, district, age band and channel. */
export function registerStatisticsPage(app: App, deps: Deps): void {
  app.get('/:locale/:municipality/participatory-budget/cycles/:number/statistics', { schema: { hide: true } }, async (req, reply) => {
    const cycle = await publicCycle(deps.db, req);
    if (!cycle) return notFound(deps, req, reply);
    const m = req.municipality!;
    const t = req.t;
    const now = new Date();
    const title = t('pb.stats.title');
    const started = cycle.voting_opens <= now;
    const [counts, districts] = started ? await Promise.all([ballotCounts(deps.db, cycle.id, m.time_zone), listDistricts(deps.db, m.id)]) : [null, []];
    const b = counts && breakdowns(req, cycle, counts, districts, now);
    const share = [t('pb.stats.share')];
    const hiddenNote = t('pb.stats.hiddenNote', { min: MIN_CELL });
    const chart = <K,>(id: string, heading: string, column: string, part: { cells: ShownCell<K>[]; label: (k: K) => string }) => (
      <section aria-labelledby={`${id}-h`}>
        <h2 id={`${id}-h`}>{heading}</h2>
        <HorizontalBars id={id} title={heading} head={[column, t('pb.stats.ballots')]} extraHead={share} data={chartData(req, part.cells, counts!.total, part.label)}
          {...(anyHidden(part.cells) ? { note: hiddenNote } : {})} />
      </section>
    );
    return render(deps, req, reply, {
      title: `${title}: ${cycle.title}`, wide: true,
      body: (
        <>
          <p><a href={cyclePath(req, cycle.number)}><Content text={cycle.title} /></a></p>
          <h1>{title}</h1>
          <PhaseBanner req={req} cycle={cycle} now={now} />
          <CycleNav req={req} cycle={cycle} now={now} />
          {!counts || !b
            ? <EmptyState title={t('pb.stats.notYet', { opens: req.fmt.dateTime(cycle.voting_opens) })} />
            : (
              <>
                <SummaryList items={[
                  [t('pb.stats.ballots'), req.fmt.number(counts.total)],
                  [t('pb.stats.population'), req.fmt.number(m.population)],
                  [t('pb.stats.turnout'), m.population > 0 ? req.fmt.percent(counts.total / m.population) : '—'],
                ]} />
                <Banner kind="info" title={t('pb.stats.aboutTitle')}>
                  <p>{cycle.min_age ? t('pb.stats.denominatorAge', { age: cycle.min_age }) : t('pb.stats.denominator')}</p>
                  <p>{t('pb.stats.privacy', { min: MIN_CELL })}</p>
                </Banner>
                <section aria-labelledby="pb-days-h">
                  <h2 id="pb-days-h">{t('pb.stats.byDay')}</h2>
                  <Columns id="pb-days" title={t('pb.stats.byDay')} head={[t('pb.stats.day'), t('pb.stats.ballots')]} extraHead={share}
                    data={chartData(req, b.days, counts.total, (d) => req.fmt.date(`${d}T12:00:00Z`)).map((d, i) => ({ ...d, short: shortDay(req, b.days[i]!.key) }))}
                    {...(anyHidden(b.days) ? { note: hiddenNote } : {})} />
                </section>
                {chart('pb-districts', t('pb.stats.byDistrict'), t('pb.stats.district'), b.districts)}
                {chart('pb-ages', t('pb.stats.byAge'), t('pb.stats.ageBand'), b.ages)}
                {chart('pb-channels', t('pb.stats.byChannel'), t('pb.stats.channel'), b.channels)}
              </>
            )}
        </>
      ),
    });
  });
}
