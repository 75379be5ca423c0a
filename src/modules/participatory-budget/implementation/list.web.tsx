import type { FastifyRequest } from 'fastify';
import type { App, Deps } from '../../../platform/http/deps.ts';
import { notFound } from '../../../platform/http/errors.tsx';
import { render } from '../../../platform/http/render.tsx';
import { formatMoney } from '../../../platform/i18n/money.ts';
import { municipalGuard } from '../../../platform/tenancy/admin.web.tsx';
import { EmptyState, ProgressBar, Table } from '../../../platform/views/components.tsx';
import { Content, Name } from '../../../platform/views/content.tsx';
import { countedCost } from '../cost.ts';
import { listCycles } from '../cycle.repo.ts';
import { cyclePath, projectPath } from '../paths.ts';
import type { Cycle } from '../pb.tables.ts';
import { CycleNav } from '../web/cycle-nav.tsx';
import { PhaseBanner } from '../web/phase.tsx';
import { DueDate, ImplStatusTag, publicCycle, today } from './common.tsx';
import { fundedProjects, type FundedRow } from './impl.repo.ts';
import { implPath } from './staff.web.tsx';

/** The table of funded projects: status, progress, money against the budget, due date (late ones first, marked). */
function FundedTable({ req, rows, currency, todayDate, link, caption, cycles }: {
  req: FastifyRequest; rows: FundedRow[]; currency: (r: FundedRow) => string; todayDate: string; link: (r: FundedRow) => string; caption: string; cycles?: Map<number, Cycle>;
}) {
  const t = req.t;
  const money = (r: FundedRow, n: number) => formatMoney(req.fmt, n, currency(r));
  return (
    <Table caption={caption} captionHidden
      head={[t('pb.impl.project'), ...(cycles ? [t('pb.impl.cycle')] : []), t('pb.impl.field.status'), t('pb.impl.field.progress'), t('pb.impl.field.dueOn'), t('pb.impl.budget'), t('pb.impl.field.contracted'), t('pb.impl.field.spent')]}
      numeric={cycles ? [5, 6, 7] : [4, 5, 6]}
      rows={rows.map((r) => [
        <a href={link(r)}>{t('pb.impl.projectNumber', { number: r.number })}: <Content text={r.title} /></a>,
        ...(cycles ? [<Content text={cycles.get(r.cycle_id)?.title ?? ''} />] : []),
        <ImplStatusTag req={req} status={r.impl_status} />,
        <ProgressBar value={r.progress} max={100} label={t('pb.impl.progressLabel', { progress: r.progress })} />,
        <DueDate req={req} p={r} todayDate={todayDate} />,
        money(r, countedCost(r)),
        r.contracted === null ? t('pb.impl.noContract') : money(r, r.contracted),
        money(r, r.spent),
      ])} />
  );
}

/** The staff list of every funded project of the municipality, and the public one of a cycle. */
export function registerImplementationLists(app: App, deps: Deps): void {
  app.get('/:locale/:municipality/participatory-budget/staff/implementation', { schema: { hide: true } }, async (req, reply) => {
    await municipalGuard(deps, 'pb.implement')(req, reply);
    if (reply.sent) return reply;
    const m = req.municipality!;
    const now = new Date();
    const [rows, cycles] = await Promise.all([fundedProjects(deps.db, m.id, today(req, now)), listCycles(deps.db, m.id, { drafts: true })]);
    const byId = new Map(cycles.map((c) => [c.id, c]));
    const late = rows.filter((r) => r.overdue).length;
    return render(deps, req, reply, {
      title: req.t('pb.impl.staff.title'), wide: true,
      body: (
        <>
          <h1>{req.t('pb.impl.staff.title')}</h1>
          {rows.length > 0 && <p class="lead">{req.t('pb.impl.staff.lead', { count: rows.length, late })}</p>}
          {rows.length === 0
            ? <EmptyState title={req.t('pb.impl.none')} />
            : <FundedTable req={req} rows={rows} caption={req.t('pb.impl.staff.title')} cycles={byId} currency={(r) => byId.get(r.cycle_id)?.currency ?? m.currency}
                todayDate={today(req, now)} link={(r) => implPath(req, r.number)} />}
        </>
      ),
    });
  });

  app.get('/:locale/:municipality/participatory-budget/cycles/:number/implementation', { schema: { hide: true } }, async (req, reply) => {
    const cycle = await publicCycle(deps.db, req);
    if (!cycle) return notFound(deps, req, reply);
    const now = new Date();
    const rows = cycle.results_published_at ? await fundedProjects(deps.db, req.municipality!.id, today(req, now), { cycleId: cycle.id }) : [];
    const title = req.t('pb.impl.public.title');
    const located = rows.filter((r) => r.lat !== null && r.lng !== null);
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
            : rows.length === 0
            ? <EmptyState title={req.t('pb.impl.none')} />
            : (
              <>
                <p class="lead">{req.t('pb.impl.public.lead', { count: rows.length, late: rows.filter((r) => r.overdue).length })}</p>
                <FundedTable req={req} rows={rows} caption={title} currency={() => cycle.currency} todayDate={today(req, now)} link={(r) => projectPath(req, r.number)} />
                {/* The map of each project is on its own page; a map of all of them comes with the platform's map view. */}
                {located.length > 0 && (
                  <>
                    <h2>{req.t('pb.impl.public.places')}</h2>
                    <ul>
                      {located.map((r) => (
                        <li key={r.id}><a href={`${projectPath(req, r.number)}#map`}><Content text={r.title} /></a> · <Name names={r.category_names} /> · {req.t('pb.impl.public.at', { lat: r.lat!.toFixed(5), lng: r.lng!.toFixed(5) })}</li>
                      ))}
                    </ul>
                  </>
                )}
                <p class="data-links">
                  <a href={`/api/v1/${req.municipality!.slug}/participatory-budget/cycles/${cycle.number}/implementation.csv`}>{req.t('pb.impl.public.csv')}</a> · <a href={`/api/v1/${req.municipality!.slug}/participatory-budget/cycles/${cycle.number}/implementation.json`}>{req.t('pb.impl.public.json')}</a>
                </p>
              </>
            )}
        </>
      ),
    });
  });
}
