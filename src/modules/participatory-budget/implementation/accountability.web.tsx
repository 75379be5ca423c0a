import type { FastifyRequest } from 'fastify';
import type { App, Deps } from '../../../platform/http/deps.ts';
import { notFound } from '../../../platform/http/errors.tsx';
import { render } from '../../../platform/http/render.tsx';
import { localized } from '../../../platform/i18n/i18n.ts';
import { formatMoney } from '../../../platform/i18n/money.ts';
import { HorizontalBars } from '../../../platform/views/charts.tsx';
import { EmptyState, Table } from '../../../platform/views/components.tsx';
import { Content } from '../../../platform/views/content.tsx';
import { cycleCategories } from '../cycle.repo.ts';
import { cyclePath } from '../paths.ts';
import type { Cycle } from '../pb.tables.ts';
import { CycleNav } from '../web/cycle-nav.tsx';
import { PhaseBanner } from '../web/phase.tsx';
import { accountability, share, type Delivered } from './accountability.ts';
import { publicCycle, today } from './common.tsx';
import { fundedProjects } from './impl.repo.ts';

function Figures({ req, cycle, rows }: { req: FastifyRequest; cycle: Cycle; rows: { label: string; d: Delivered }[] }) {
  const t = req.t;
  const money = (n: number) => formatMoney(req.fmt, n, cycle.currency);
  const pct = (part: number, whole: number) => {
    const s = share(part, whole);
    return s === null ? '—' : req.fmt.percent(s);
  };
  return (
    <>
      <h2 id="pb-acc-table">{t('pb.acc.tableTitle')}</h2>
      <Table caption={t('pb.acc.tableTitle')} captionHidden
        head={[t('pb.acc.category'), t('pb.acc.amount'), t('pb.acc.funded'), t('pb.acc.completed'), t('pb.acc.cancelled'), t('pb.acc.overdue'), t('pb.impl.budget'), t('pb.impl.field.contracted'), t('pb.impl.field.spent')]}
        numeric={[1, 2, 3, 4, 5, 6, 7, 8]}
        rows={rows.map(({ label, d }) => [label, money(d.amount), String(d.funded), String(d.completed), String(d.cancelled), String(d.overdue), money(d.budget), money(d.contracted), money(d.spent)])} />
      <h2>{t('pb.acc.spentTitle')}</h2>
      <HorizontalBars id="pb-acc-spent" title={t('pb.acc.spentTitle')} head={[t('pb.acc.category'), t('pb.acc.spentShare')]} max={100}
        extraHead={[t('pb.impl.field.spent'), t('pb.impl.budget')]}
        data={rows.map(({ label, d }) => ({ label, value: d.budget > 0 ? (d.spent / d.budget) * 100 : null, text: pct(d.spent, d.budget), extra: [money(d.spent), money(d.budget)] }))}
        note={t('pb.acc.spentNote')} />
      <h2>{t('pb.acc.completedTitle')}</h2>
      <HorizontalBars id="pb-acc-completed" title={t('pb.acc.completedTitle')} head={[t('pb.acc.category'), t('pb.acc.completedShare')]} max={100}
        extraHead={[t('pb.acc.completed'), t('pb.acc.funded')]}
        data={rows.map(({ label, d }) => ({ label, value: d.funded > 0 ? (d.completed / d.funded) * 100 : null, text: t('pb.acc.completedOf', { completed: d.completed, funded: d.funded }), extra: [String(d.completed), String(d.funded)] }))} />
    </>
  );
}

/** A cycle's accountability: per category and in total, what was funded, what is built and what is spent. */
export function registerAccountabilityPage(app: App, deps: Deps): void {
  app.get('/:locale/:municipality/participatory-budget/cycles/:number/accountability', { schema: { hide: true } }, async (req, reply) => {
    const cycle = await publicCycle(deps.db, req);
    if (!cycle) return notFound(deps, req, reply);
    const now = new Date();
    const [categories, funded] = await Promise.all([
      cycleCategories(deps.db, cycle.id),
      cycle.results_published_at ? fundedProjects(deps.db, req.municipality!.id, today(req, now), { cycleId: cycle.id }) : Promise.resolve([]),
    ]);
    const acc = accountability(categories, funded);
    const rows = [...acc.categories.map((d) => ({ label: localized(d.names, req.locale), d })), { label: req.t('pb.acc.total'), d: acc.total }];
    const title = req.t('pb.acc.title');
    return render(deps, req, reply, {
      title: `${title}: ${cycle.title}`, wide: true,
      body: (
        <>
          <p><a href={cyclePath(req, cycle.number)}><Content text={cycle.title} /></a></p>
          <h1>{title}</h1>
          <PhaseBanner req={req} cycle={cycle} now={now} />
          <CycleNav req={req} cycle={cycle} now={now} />
          {!cycle.results_published_at
            ? <EmptyState title={req.t('pb.impl.public.notYet')} />
            : (
              <>
                <p class="lead">{req.t('pb.acc.lead', { funded: acc.total.funded, completed: acc.total.completed, spent: formatMoney(req.fmt, acc.total.spent, cycle.currency), budget: formatMoney(req.fmt, acc.total.budget, cycle.currency) })}</p>
                <Figures req={req} cycle={cycle} rows={rows} />
                <p><a href={`${cyclePath(req, cycle.number)}/implementation`}>{req.t('pb.acc.toImplementation')}</a></p>
              </>
            )}
        </>
      ),
    });
  });
}
