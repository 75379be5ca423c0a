import type { App, Deps } from '../../../../platform/http/deps.ts';
import { Id, Query } from '../../../../platform/http/input.ts';
import { render } from '../../../../platform/http/render.tsx';
import { localized } from '../../../../platform/i18n/i18n.ts';
import { formatMoney } from '../../../../platform/i18n/money.ts';
import { municipalGuard } from '../../../../platform/tenancy/admin.web.tsx';
import { listDepartments } from '../../../../platform/tenancy/municipality.repo.ts';
import { EmptyState, FilterSelect, Table, Tag } from '../../../../platform/views/components.tsx';
import { Content, contentText, Name } from '../../../../platform/views/content.tsx';
import { listCycles } from '../../cycle.repo.ts';
import { pbStaffBase } from '../../paths.ts';
import { StaffNav } from '../../cycles/staff-nav.tsx';
import { reviewQueue } from '../review.repo.ts';

/** Where a project is reviewed. */
export const reviewPath = (req: import('fastify').FastifyRequest, number: number) => `${pbStaffBase(req)}/projects/${number}/review`;

/** The technical review queue: submitted projects by nearest deadline, overdue marked, filtered by cycle and department. */
export function registerQueuePage(app: App, deps: Deps): void {
  app.get('/:locale/:municipality/participatory-budget/staff/review', { schema: { hide: true, querystring: Query({ cycle: Id(), department: Id() }) } }, async (req, reply) => {
    await municipalGuard(deps, 'pb.review')(req, reply);
    if (reply.sent) return reply;
    const t = req.t;
    const m = req.municipality!;
    const q = req.query as { cycle?: number; department?: number };
    const [cycles, departments] = await Promise.all([listCycles(deps.db, m.id, { drafts: true }), listDepartments(deps.db, m.id)]);
    const cycle = cycles.find((c) => c.number === q.cycle);
    const department = departments.find((d) => d.id === q.department);
    const rows = await reviewQueue(deps.db, m.id, { cycleId: cycle?.id, departmentId: department?.id, limit: 500 });
    const now = new Date();
    return render(deps, req, reply, {
      title: t('pb.review.queue'), wide: true,
      body: (
        <>
          <h1>{t('pb.review.queue')}</h1>
          <StaffNav req={req} />
          <form method="get" action={`${pbStaffBase(req)}/review`} class="filters" aria-label={t('pb.review.filter')}>
            <FilterSelect name="cycle" label={t('pb.staff.cycle')} anyLabel={t('pb.review.allCycles')} value={cycle ? String(cycle.number) : undefined}
              options={cycles.map((c) => ({ value: String(c.number), label: `${t('pb.cycle.number', { number: c.number })}: ${contentText(req, c.title)}` }))} />
            <FilterSelect name="department" label={t('pb.review.field.departmentId')} anyLabel={t('pb.review.allDepartments')} value={department ? String(department.id) : undefined}
              options={departments.map((d) => ({ value: String(d.id), label: localized(d.names, req.locale) }))} />
            <button class="button button--secondary" type="submit">{t('pb.review.apply')}</button>
          </form>
          {rows.length === 0 ? <EmptyState title={t('pb.review.empty')} /> : (
            <Table caption={t('pb.review.queue')} captionHidden numeric={[3]}
              head={[t('pb.review.project'), t('pb.staff.cycle'), t('pb.review.category'), t('pb.review.authorTotal'), t('pb.review.field.departmentId'), t('pb.review.submitted'), t('pb.review.due')]}
              rows={rows.map((r) => {
                const late = r.review_due_at !== null && r.review_due_at < now;
                return [
                  <a href={reviewPath(req, r.number)}>{t('pb.review.projectNumber', { number: r.number })}: <Content text={r.title} /></a>,
                  t('pb.cycle.number', { number: r.cycle_number }),
                  <Name names={r.category_names} />,
                  formatMoney(req.fmt, r.cost_total, r.currency),
                  r.department_names ? <Name names={r.department_names} /> : '—',
                  r.submitted_at ? req.fmt.dateTime(r.submitted_at) : '—',
                  <>{r.review_due_at ? req.fmt.dateTime(r.review_due_at) : '—'}{late && <> <Tag tone="danger">{t('pb.review.overdue')}</Tag></>}</>,
                ];
              })} />
          )}
        </>
      ),
    });
  });
}
