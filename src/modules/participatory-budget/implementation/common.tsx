import type { FastifyRequest } from 'fastify';
import type { Database } from '../../../db/database.ts';
import { formatMoney } from '../../../platform/i18n/money.ts';
import { localDate } from '../../../platform/time/working-days.ts';
import { ProgressBar, SummaryList, Tag } from '../../../platform/views/components.tsx';
import { findCycle } from '../cycle.repo.ts';
import { countedCost } from '../cost.ts';
import type { Cycle, ImplementationStatus, Project } from '../pb.tables.ts';

/** A published cycle by the route's number, or undefined: drafts are staff's, and another municipality's number finds nothing. */
export async function publicCycle(db: Database, req: FastifyRequest): Promise<Cycle | undefined> {
  const c = await findCycle(db, req.municipality!.id, (req.params as { number: number }).number);
  return c?.status === 'published' ? c : undefined;
}

/** Today in the municipality's calendar (due dates are its dates). */
export const today = (req: FastifyRequest, now: Date) => localDate(now, req.municipality!.time_zone);

/** A calendar date (YYYY-MM-DD) in words; noon UTC, so no time zone moves it to another day. */
export const day = (req: FastifyRequest, date: string) => req.fmt.date(`${date}T12:00:00Z`);

/** Whether a project is late: due before today and neither completed nor cancelled. */
export const isOverdue = (p: { due_on: string | null; impl_status: ImplementationStatus | null }, todayDate: string) =>
  p.due_on !== null && p.due_on < todayDate && p.impl_status !== 'completed' && p.impl_status !== 'cancelled';

const TONES: Record<ImplementationStatus, 'neutral' | 'info' | 'success' | 'warning' | 'danger'> = {
  planned: 'neutral', procurement: 'info', in_progress: 'info', completed: 'success', cancelled: 'danger',
};

/** The implementation status as a tag; a funded project whose status was never set is planned. */
export function ImplStatusTag({ req, status }: { req: FastifyRequest; status: ImplementationStatus | null }) {
  const s = status ?? 'planned';
  return <Tag tone={TONES[s]}>{req.t(`pb.impl.status.${s}`)}</Tag>;
}

/** "Overdue" where the project is late. */
export const OverdueTag = ({ req }: { req: FastifyRequest }) => <Tag tone="warning">{req.t('pb.impl.overdue')}</Tag>;

/** The due date, marked when it has passed. */
export function DueDate({ req, p, todayDate }: { req: FastifyRequest; p: { due_on: string | null; impl_status: ImplementationStatus | null }; todayDate: string }) {
  if (!p.due_on) return <>{req.t('pb.impl.noDueDate')}</>;
  return <><time dateTime={p.due_on}>{day(req, p.due_on)}</time>{isOverdue(p, todayDate) && <> <OverdueTag req={req} /></>}</>;
}

type Money = Pick<Project, 'cost_total' | 'department_cost' | 'contracted' | 'spent'>;

/** Budget (the counted cost), contracted and spent, in the cycle's currency. */
export function moneyFigures(req: FastifyRequest, p: Money, currency: string) {
  const money = (n: number) => formatMoney(req.fmt, n, currency);
  return { budget: money(countedCost(p)), contracted: p.contracted === null ? req.t('pb.impl.noContract') : money(p.contracted), spent: money(p.spent) };
}

/** Progress, status, due date and money of one funded project, as a list. */
export function ImplementationSummary({ req, p, currency, todayDate }: { req: FastifyRequest; p: Money & Pick<Project, 'impl_status' | 'progress' | 'due_on'>; currency: string; todayDate: string }) {
  const f = moneyFigures(req, p, currency);
  return (
    <>
      <ProgressBar value={p.progress} max={100} label={req.t('pb.impl.progressLabel', { progress: p.progress })} />
      <SummaryList items={[
        [req.t('pb.impl.field.status'), <ImplStatusTag req={req} status={p.impl_status} />],
        [req.t('pb.impl.field.dueOn'), <DueDate req={req} p={p} todayDate={todayDate} />],
        [req.t('pb.impl.budget'), f.budget],
        [req.t('pb.impl.field.contracted'), f.contracted],
        [req.t('pb.impl.field.spent'), f.spent],
      ]} />
    </>
  );
}
