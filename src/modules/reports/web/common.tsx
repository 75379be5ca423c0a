import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ReportStatus } from '../../../db/schema.reports.ts';
import type { Deps } from '../../../platform/http/deps.ts';
import { notFound } from '../../../platform/http/errors.tsx';
import { render } from '../../../platform/http/render.tsx';
import { LevelExplanation } from '../../../platform/views/level.tsx';
import { Tag } from '../../../platform/views/components.tsx';
import { useView } from '../../../platform/views/context.ts';
import { findReport, type ReportRow } from '../report.repo.ts';

/** `/uk/zhovkva/reports` for the current request. */
export const reportsBase = (req: FastifyRequest) => `/${req.locale}/${req.municipality!.slug}/reports`;
export const reportPath = (req: FastifyRequest, number: number) => `${reportsBase(req)}/${number}`;

const TONES: Record<ReportStatus, 'neutral' | 'success' | 'warning' | 'danger' | 'info'> = {
  new: 'info', acknowledged: 'info', in_progress: 'warning', scheduled: 'warning', fixed: 'success', closed: 'neutral',
};

/** A report's status as a coloured tag with its name in words. */
export function ReportStatusTag({ status }: { status: ReportStatus }) {
  return <Tag tone={TONES[status]}>{useView().t(`reports.status.${status}`)}</Tag>;
}

/** The report named by `:number`, or a 404 answered and null. Every report is public. */
export async function loadReport(deps: Deps, req: FastifyRequest, reply: FastifyReply): Promise<ReportRow | null> {
  const raw = (req.params as { number?: string }).number ?? '';
  const r = /^[1-9]\d{0,8}$/.test(raw) ? await findReport(deps.db, req.municipality!.id, Number(raw)) : undefined;
  if (!r) {
    await notFound(deps, req, reply);
    return null;
  }
  return r;
}

/** The 403 page that says what a resident still needs to report a problem here, and how to get it. */
export function levelPage(deps: Deps, req: FastifyRequest, reply: FastifyReply, required: string, back: string) {
  const lead = req.t('reports.web.levelNeeded', { level: req.t(`verification.level.${required}`) });
  return render(deps, req, reply, { title: req.t('platform.level.title'), status: 403, body: <LevelExplanation req={req} required={required} lead={lead} back={back} /> });
}
