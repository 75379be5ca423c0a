import type { App, Deps } from '../../../../platform/http/deps.ts';
import { render } from '../../../../platform/http/render.tsx';
import { formatMoney } from '../../../../platform/i18n/money.ts';
import { municipalGuard } from '../../../../platform/tenancy/admin.web.tsx';
import { can } from '../../../../platform/tenancy/policy.ts';
import { ButtonLink, EmptyState, Table, Tag } from '../../../../platform/views/components.tsx';
import { Content } from '../../../../platform/views/content.tsx';
import { listCycles } from '../../cycle.repo.ts';
import { phaseAt } from '../../phase.ts';
import { cyclePath, pbStaffBase } from '../../paths.ts';
import { reviewCounts } from '../cycles.repo.ts';
import { StaffNav, staffCyclePath } from '../staff-nav.tsx';

/** The staff home: every cycle (drafts too) with its phase and what waits for review, and the way to a new cycle. */
export function registerStaffHome(app: App, deps: Deps): void {
  app.get('/:locale/:municipality/participatory-budget/staff', { schema: { hide: true } }, async (req, reply) => {
    await municipalGuard(deps, 'pb.dashboard')(req, reply);
    if (reply.sent) return reply;
    const t = req.t;
    const m = req.municipality!;
    const now = new Date();
    const [cycles, counts] = await Promise.all([listCycles(deps.db, m.id, { drafts: true }), reviewCounts(deps.db, m.id, now)]);
    const may = (action: string) => can(req.user, action, { municipalityId: m.id });
    const waiting = [...counts.values()].reduce((s, c) => s + c.waiting, 0);
    const overdue = [...counts.values()].reduce((s, c) => s + c.overdue, 0);
    return render(deps, req, reply, {
      title: t('pb.staff.home'), wide: true,
      body: (
        <>
          <h1>{t('pb.staff.home')}</h1>
          <StaffNav req={req} />
          <p>
            {t('pb.staff.waiting', { count: waiting })}{overdue > 0 && <> <Tag tone="danger">{t('pb.staff.overdueCount', { count: overdue })}</Tag></>}
            {waiting > 0 && may('pb.review') && <> <a href={`${pbStaffBase(req)}/review`}>{t('pb.staff.openQueue')}</a></>}
          </p>
          {may('pb.manage') && <p><ButtonLink href={`${pbStaffBase(req)}/cycles/new`}>{t('pb.cycles.new')}</ButtonLink></p>}
          {cycles.length === 0 ? <EmptyState title={t('pb.staff.noCycles')} /> : (
            <Table caption={t('pb.staff.cycles')} numeric={[3, 4]}
              head={[t('pb.staff.cycle'), t('pb.staff.state'), t('pb.calendar.phase'), t('pb.cycles.field.totalAmount'), t('pb.staff.review')]}
              rows={cycles.map((c) => {
                const count = counts.get(c.id);
                return [
                  <a href={may('pb.manage') ? staffCyclePath(req, c.number) : cyclePath(req, c.number)}>{t('pb.cycle.number', { number: c.number })}: <Content text={c.title} /></a>,
                  <Tag tone={c.status === 'draft' ? 'warning' : 'success'}>{t(`pb.cycle.status.${c.status}`)}</Tag>,
                  c.status === 'draft' ? '—' : t(`pb.phase.name.${phaseAt(c, now).phase}`),
                  formatMoney(req.fmt, c.total_amount, c.currency),
                  count ? <>{count.waiting}{count.overdue > 0 && <> <Tag tone="danger">{t('pb.staff.overdueCount', { count: count.overdue })}</Tag></>}</> : '0',
                ];
              })} />
          )}
        </>
      ),
    });
  });
}
