import type { FastifyRequest } from 'fastify';
import type { App, Deps } from '../../../platform/http/deps.ts';
import { render } from '../../../platform/http/render.tsx';
import { EmptyState, SummaryList, Table, Tag } from '../../../platform/views/components.tsx';
import { Content } from '../../../platform/views/content.tsx';
import { countByStatus, responseTimes } from '../petition.repo.ts';
import { StatusTag } from '../petition.views.tsx';
import { guard, overdue, StaffNav } from './nav.tsx';
import { workList } from './staff.repo.ts';

type Row = Awaited<ReturnType<typeof workList>>[number];

function dateFmt(req: FastifyRequest) {
  const f = new Intl.DateTimeFormat(req.locale, { dateStyle: 'medium', timeZone: req.municipality!.time_zone });
  return (d: Date | string | null) => (d ? f.format(new Date(d)) : '—');
}

/** A work list with each deadline and an explicit "overdue" tag (never colour alone). */
function WorkTable({ req, rows, caption, due }: { req: FastifyRequest; rows: Row[]; caption: string; due: 'moderation_due_at' | 'response_due_at' }) {
  const t = req.t;
  const fmt = dateFmt(req);
  const base = `/${req.locale}/${req.municipality!.slug}/petitions`;
  const action = due === 'response_due_at' ? 'respond' : 'moderate';
  if (rows.length === 0) return <EmptyState title={t('petitions.staff.nothing')} />;
  return (
    <Table caption={caption} head={[t('petitions.staff.petition'), t('petitions.web.status'), t('petitions.staff.signatures'), t('petitions.staff.deadline'), t('petitions.staff.action')]} numeric={[2]}
      rows={rows.map((p) => [
        <a href={`${base}/${p.number}`}>{t('petitions.number', { number: p.number })}: <Content text={p.title} /></a>,
        <StatusTag status={p.status} />,
        String(p.signatures),
        <>{fmt(p[due])} {overdue(p[due]) && <Tag tone="danger">{t('petitions.staff.overdue')}</Tag>}</>,
        p.status === 'supporters' ? '—' : <a href={`${base}/${p.number}/${action}`}>{t(`petitions.staff.do.${action}`)}</a>,
      ])} />
  );
}

const median = (xs: number[]) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** Dashboard, moderation queue and statistics. */
export function registerQueuePages(app: App, deps: Deps): void {
  app.get('/:locale/:municipality/petitions/staff', { schema: { hide: true }, preHandler: guard(deps, 'petitions.dashboard') }, async (req, reply) => {
    const m = req.municipality!;
    const [awaiting, moderation] = await Promise.all([
      workList(deps.db, m.id, ['awaiting_response'], 'response_due_at'),
      workList(deps.db, m.id, ['moderation'], 'moderation_due_at'),
    ]);
    const late = awaiting.filter((p) => overdue(p.response_due_at)).length;
    return render(deps, req, reply, {
      title: req.t('petitions.staff.dashboard'),
      body: (
        <>
          <h1>{req.t('petitions.staff.dashboard')}</h1>
          <StaffNav req={req} />
          <SummaryList items={[
            [req.t('petitions.staff.awaitingCount'), String(awaiting.length)],
            [req.t('petitions.staff.overdueCount'), String(late)],
            [req.t('petitions.staff.moderationCount'), String(moderation.length)],
          ]} />
          <h2>{req.t('petitions.staff.awaiting')}</h2>
          <WorkTable req={req} rows={awaiting} caption={req.t('petitions.staff.awaiting')} due="response_due_at" />
        </>
      ),
    });
  });

  app.get('/:locale/:municipality/petitions/staff/moderation', { schema: { hide: true }, preHandler: guard(deps, 'petitions.moderate') }, async (req, reply) => {
    const m = req.municipality!;
    const [queue, supporters] = await Promise.all([
      workList(deps.db, m.id, ['moderation'], 'moderation_due_at'),
      workList(deps.db, m.id, ['supporters'], 'submitted_at'),
    ]);
    return render(deps, req, reply, {
      title: req.t('petitions.staff.moderation'),
      body: (
        <>
          <h1>{req.t('petitions.staff.moderation')}</h1>
          <StaffNav req={req} />
          <WorkTable req={req} rows={queue} caption={req.t('petitions.staff.moderation')} due="moderation_due_at" />
          {supporters.length > 0 && (
            <>
              <h2>{req.t('petitions.staff.supporters')}</h2>
              <WorkTable req={req} rows={supporters} caption={req.t('petitions.staff.supporters')} due="moderation_due_at" />
            </>
          )}
        </>
      ),
    });
  });

  app.get('/:locale/:municipality/petitions/staff/stats', { schema: { hide: true }, preHandler: guard(deps, 'petitions.dashboard') }, async (req, reply) => {
    const m = req.municipality!;
    const [byStatus, times] = await Promise.all([countByStatus(deps.db, m.id), responseTimes(deps.db, m.id)]);
    const days = median(times.map((r) => Number(r.seconds) / 86_400));
    const onTime = times.filter((r) => r.on_time).length;
    const fmt = new Intl.NumberFormat(req.locale, { maximumFractionDigits: 1 });
    const pct = new Intl.NumberFormat(req.locale, { style: 'percent', maximumFractionDigits: 0 });
    return render(deps, req, reply, {
      title: req.t('petitions.staff.stats'),
      body: (
        <>
          <h1>{req.t('petitions.staff.stats')}</h1>
          <StaffNav req={req} />
          <SummaryList items={[
            [req.t('petitions.staff.answeredCount'), String(times.length)],
            [req.t('petitions.staff.medianDays'), days === null ? '—' : req.t('petitions.staff.days', { days: fmt.format(days) })],
            [req.t('petitions.staff.onTime'), times.length ? pct.format(onTime / times.length) : '—'],
          ]} />
          <Table caption={req.t('petitions.staff.byStatus')} head={[req.t('petitions.web.status'), req.t('petitions.staff.count')]} numeric={[1]}
            rows={byStatus.map((r) => [<StatusTag status={r.status} />, String(r.n)])} />
        </>
      ),
    });
  });
}
