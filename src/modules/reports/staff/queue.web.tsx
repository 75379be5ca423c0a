import type { App, Deps } from '../../../platform/http/deps.ts';
import { render } from '../../../platform/http/render.tsx';
import { localized } from '../../../platform/i18n/i18n.ts';
import { municipalGuard } from '../../../platform/tenancy/admin.web.tsx';
import { listDepartments } from '../../../platform/tenancy/municipality.repo.ts';
import { EmptyState, FilterSelect, Table, Tag } from '../../../platform/views/components.tsx';
import { Content } from '../../../platform/views/content.tsx';
import { staffQueue } from '../report.repo.ts';
import { reportPath, ReportStatusTag } from '../web/common.tsx';
import { staffBase, StaffNav } from './nav.tsx';
import { Query, Text } from '../../../platform/http/input.ts';

/** The officials' queue: open reports, overdue first, for one department or all. */
export function registerQueuePage(app: App, deps: Deps): void {
  app.get('/:locale/:municipality/reports/staff', { schema: { hide: true, querystring: Query({ department: Text(20) }) } }, async (req, reply) => {
    await municipalGuard(deps, 'reports.handle')(req, reply);
    if (reply.sent) return reply;
    const m = req.municipality!;
    const t = req.t;
    const departments = await listDepartments(deps.db, m.id);
    const wanted = Number((req.query as { department?: string }).department);
    const department = departments.find((d) => d.id === wanted);
    const rows = await staffQueue(deps.db, m.id, { departmentId: department?.id, limit: 500 });
    const now = Date.now();
    return render(deps, req, reply, {
      title: t('reports.staff.queue'),
      wide: true,
      body: (
        <>
          <h1>{t('reports.staff.queue')}</h1>
          <StaffNav req={req} />
          <form method="get" action={staffBase(req)} class="filters" aria-label={t('reports.staff.filter')}>
            <FilterSelect name="department" label={t('reports.staff.department')} anyLabel={t('reports.staff.allDepartments')} value={department ? String(department.id) : undefined}
              options={departments.map((d) => ({ value: String(d.id), label: localized(d.names, req.locale) }))} />
            <button class="button button--secondary" type="submit">{t('reports.web.apply')}</button>
          </form>
          {rows.length === 0 ? <EmptyState title={t('reports.staff.empty')} /> : (
            <Table caption={t('reports.staff.queue')} captionHidden
              head={[t('reports.staff.report'), t('reports.web.category'), t('reports.staff.department'), t('reports.web.status'), t('reports.staff.due')]}
              rows={rows.map((r) => {
                const late = new Date(r.due_at).getTime() < now;
                return [
                  <a href={`${reportPath(req, r.number)}/handle`}>{t('reports.number', { number: r.number })}: <Content text={r.title} /></a>,
                  localized(r.category_names, req.locale),
                  r.department_names ? localized(r.department_names, req.locale) : '—',
                  <ReportStatusTag status={r.status} />,
                  <>{req.fmt.dateTime(r.due_at)}{late && <> <Tag tone="danger">{t('reports.staff.overdue')}</Tag></>}</>,
                ];
              })} />
          )}
        </>
      ),
    });
  });
}
