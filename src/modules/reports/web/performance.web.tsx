import type { FastifyRequest } from 'fastify';
import type { App, Deps } from '../../../platform/http/deps.ts';
import { sendCsv } from '../../../platform/http/csv.ts';
import { render } from '../../../platform/http/render.tsx';
import { localized } from '../../../platform/i18n/i18n.ts';
import { SummaryList, Table } from '../../../platform/views/components.tsx';
import { byMonth, performance, type Performance } from '../report.stats.ts';
import { reportsBase } from './common.tsx';
import { Query, Page } from '../../../platform/http/input.ts';

const PERIODS = [3, 6, 12, 24];

function period(req: FastifyRequest) {
  const months = Number((req.query as { months?: string }).months);
  const chosen = PERIODS.includes(months) ? months : 12;
  const since = new Date();
  since.setUTCMonth(since.getUTCMonth() - chosen + 1, 1);
  since.setUTCHours(0, 0, 0, 0);
  return { months: chosen, since };
}

/** The figures of one row in the visitor's language; a dash where there is nothing to measure yet. */
function cells(req: FastifyRequest, p: Performance) {
  const dash = '—';
  const share = (v: number | null) => (v === null ? dash : req.fmt.percent(v));
  const one = (v: number | null) => (v === null ? dash : req.fmt.number(Math.round(v * 10) / 10));
  return [String(p.total), String(p.open), String(p.fixed), String(p.closed), one(p.medianAckHours), share(p.ackOnTime), one(p.medianFixDays), share(p.fixOnTime)];
}

const departmentName = (req: FastifyRequest, p: Performance) => (p.departmentNames ? localized(p.departmentNames, req.locale) : req.t('reports.staff.noDepartment'));

/** Public accountability: how fast the municipality and each department acknowledge and fix reports, with CSV. */
export function registerPerformancePages(app: App, deps: Deps): void {
  app.get('/:locale/:municipality/reports/performance', { schema: { hide: true, querystring: Query({ months: Page }) } }, async (req, reply) => {
    const m = req.municipality!;
    const t = req.t;
    const { months, since } = period(req);
    const [perf, monthly] = await Promise.all([performance(deps.db, m.id, since), byMonth(deps.db, m.id, since)]);
    const head = ['total', 'open', 'fixed', 'closed', 'medianAck', 'ackOnTime', 'medianFix', 'fixOnTime'].map((k) => t(`reports.perf.${k}`));
    const c = cells(req, perf.all);
    const peak = Math.max(1, ...monthly.flatMap((x) => [x.made, x.fixed]));
    const base = reportsBase(req);
    return render(deps, req, reply, {
      title: t('reports.perf.title'),
      wide: true,
      body: (
        <>
          <h1>{t('reports.perf.title')}</h1>
          <p class="lead">{t('reports.perf.lead')}</p>
          <nav aria-label={t('reports.perf.period')}><ul class="actions">
            {PERIODS.map((p) => <li key={p}><a href={`${base}/performance?months=${p}`} aria-current={p === months ? 'page' : undefined}>{t('reports.perf.months', { months: p })}</a></li>)}
          </ul></nav>
          <SummaryList items={head.map((h, i) => [h, c[i]!])} />
          <h2>{t('reports.perf.byDepartment')}</h2>
          <Table caption={t('reports.perf.byDepartment')} captionHidden head={[t('reports.staff.department'), ...head]}
            rows={perf.departments.map((p) => [departmentName(req, p), ...cells(req, p)])} numeric={[1, 2, 3, 4, 5, 6, 7, 8]} />
          <h2 id="by-month">{t('reports.perf.byMonth')}</h2>
          <p class="bars__legend" aria-hidden="true"><span class="bars__key bars__bar--made" /> {t('reports.perf.made')} <span class="bars__key bars__bar--fixed" /> {t('reports.perf.fixedInMonth')}</p>
          <div class="bars" aria-hidden="true">
            {monthly.map((x) => (
              <div class="bars__row" key={x.month}>
                <span class="bars__label">{x.month}</span>
                <span class="bars__bar bars__bar--made" style={`width:${(x.made / peak) * 100}%`} />
                <span class="bars__bar bars__bar--fixed" style={`width:${(x.fixed / peak) * 100}%`} />
              </div>
            ))}
          </div>
          <Table caption={t('reports.perf.byMonth')} captionHidden head={[t('reports.perf.month'), t('reports.perf.made'), t('reports.perf.fixedInMonth')]}
            rows={monthly.map((x) => [x.month, String(x.made), String(x.fixed)])} numeric={[1, 2]} />
          <p class="data-links"><a href={`${base}/performance.csv?months=${months}`}>{t('reports.perf.csv')}</a></p>
        </>
      ),
    });
  });

  app.get('/:locale/:municipality/reports/performance.csv', { schema: { hide: true, querystring: Query({ months: Page }) } }, async (req, reply) => {
    const m = req.municipality!;
    const { months, since } = period(req);
    const perf = await performance(deps.db, m.id, since);
    const head = ['department', 'total', 'open', 'fixed', 'closed', 'medianAck', 'ackOnTime', 'medianFix', 'fixOnTime'].map((k) => req.t(`reports.perf.${k}`));
    const raw = (p: Performance) => [p.total, p.open, p.fixed, p.closed, p.medianAckHours, p.ackOnTime, p.medianFixDays, p.fixOnTime];
    return sendCsv(reply, `${m.slug}-reports-performance-${months}m-${req.locale}.csv`, head,
      [[req.t('reports.perf.all'), ...raw(perf.all)], ...perf.departments.map((p) => [departmentName(req, p), ...raw(p)])]);
  });
}
