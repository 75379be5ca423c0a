import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { App, Deps } from '../../../../platform/http/deps.ts';
import { notFound } from '../../../../platform/http/errors.tsx';
import { redirectWithFlash } from '../../../../platform/http/flash.ts';
import { formRoute } from '../../../../platform/http/form-route.tsx';
import { localized } from '../../../../platform/i18n/i18n.ts';
import { formatMoney, moneyInput, parseMoney } from '../../../../platform/i18n/money.ts';
import { municipalGuard } from '../../../../platform/tenancy/admin.web.tsx';
import { listDepartments } from '../../../../platform/tenancy/municipality.repo.ts';
import { localDateTimeInput, parseLocalDateTime } from '../../../../platform/time/working-days.ts';
import { Banner, Button, ErrorSummary, Field, Form, Select, SummaryList, Tag, type FormErrors } from '../../../../platform/views/components.tsx';
import { Content, ContentBlock, contentText, Name } from '../../../../platform/views/content.tsx';
import { findCycleById } from '../../cycle.repo.ts';
import { DATE_TIME, MoneyText } from '../../cycles/cycle.input.ts';
import { StaffNav } from '../../cycles/staff-nav.tsx';
import type { Project } from '../../pb.tables.ts';
import { pbStaffBase, projectPath } from '../../paths.ts';
import { PhaseBanner } from '../../web/phase.tsx';
import { categoryOf, findProject } from '../review.repo.ts';
import { reviewStep, type Decision, type ReviewOutcome } from '../review.service.ts';
import { CostTable } from './cost-table.tsx';
import { reviewPath } from './queue.web.tsx';

const DECISIONS = ['admitted', 'returned', 'rejected'] as const;
const ReviewSchema = Type.Object({
  // The submission the form was drawn for (epoch ms of submitted_at): a resubmitted project is a new one to review.
  version: Type.Integer({ minimum: 0, maximum: 9_000_000_000_000_000 }),
  departmentCost: Type.Optional(MoneyText),
  departmentId: Type.Optional(Type.Integer({ minimum: 1 })),
  decision: Type.Optional(Type.Enum([...DECISIONS])),
  note: Type.Optional(Type.String({ maxLength: 5000 })),
  resubmitBy: Type.Optional(Type.String({ pattern: DATE_TIME })),
});

const label = (req: FastifyRequest, field: string) => req.t(`pb.review.field.${field}`);

/** Field messages (or a flash and a redirect) for a refused review step. */
function refused(deps: Deps, req: FastifyRequest, reply: FastifyReply, p: Project, currency: string, r: Exclude<ReviewOutcome, { kind: 'done' | 'unchanged' }>): Promise<FastifyReply> | FastifyReply | FormErrors {
  const t = req.t;
  const money = (n: number) => formatMoney(req.fmt, n, currency);
  const back = reviewPath(req, p.number);
  switch (r.kind) {
    case 'gone': return notFound(deps, req, reply);
    case 'stale': return redirectWithFlash(reply, back, { kind: 'error', message: t('pb.review.stale') });
    case 'frozen': return redirectWithFlash(reply, back, { kind: 'error', message: t('pb.review.error.frozen', { since: req.fmt.dateTime(r.since) }) });
    case 'unknown_department': return { departmentId: t('pb.review.error.unknownDepartment', { field: label(req, 'departmentId') }) };
    case 'outside_limits': return { departmentCost: t('pb.review.error.outsideLimits', { cost: money(r.cost), min: money(r.min), max: money(r.max) }) };
    case 'resubmit_past': return { resubmitBy: t('pb.review.error.resubmitPast', { field: label(req, 'resubmitBy') }) };
    case 'resubmit_after_voting': return { resubmitBy: t('pb.review.error.resubmitAfterVoting', { field: label(req, 'resubmitBy'), date: req.fmt.dateTime(r.votingOpens) }) };
  }
}

/** The review of one project: what the author proposes and what it costs, the department's estimate, and the decision. */
export function registerDecisionPage(app: App, deps: Deps): void {
  const load = async (req: FastifyRequest) => {
    const p = await findProject(deps.db, req.municipality!.id, (req.params as { number: number }).number);
    if (!p) return null;
    const [cycle, category] = await Promise.all([findCycleById(deps.db, req.municipality!.id, p.cycle_id), categoryOf(deps.db, p.category_id)]);
    return { p, cycle: cycle!, category };
  };

  formRoute(app, deps, {
    url: '/:locale/:municipality/participatory-budget/staff/projects/:number/review',
    schema: ReviewSchema,
    title: (req) => req.t('pb.review.title'),
    async guard(req, reply) {
      await municipalGuard(deps, 'pb.review')(req, reply);
      if (!reply.sent && !(await load(req))) await notFound(deps, req, reply);
      return reply.sent ? reply : undefined;
    },
    initial: async (req) => {
      const { p, cycle } = (await load(req))!;
      return {
        version: p.submitted_at?.getTime() ?? 0, departmentCost: p.department_cost === null ? '' : moneyInput(p.department_cost), departmentId: p.department_id ?? '',
        resubmitBy: cycle.revision_closes ? localDateTimeInput(cycle.revision_closes, req.municipality!.time_zone) : '',
      };
    },
    view: async (req, { errors, values }) => {
      const t = req.t;
      const { p, cycle, category } = (await load(req))!;
      const departments = await listDepartments(deps.db, req.municipality!.id);
      const now = new Date();
      const money = (n: number) => formatMoney(req.fmt, n, cycle.currency);
      const late = p.review_due_at !== null && p.review_due_at < now;
      return (
        <>
          <p class="eyebrow">{t('pb.review.projectNumber', { number: p.number })} · <Tag>{t(`pb.review.status.${p.status}`)}</Tag></p>
          <h1><Content text={p.title} /></h1>
          <StaffNav req={req} />
          <PhaseBanner req={req} cycle={cycle} now={now} />
          <p><a href={projectPath(req, p.number)}>{t('pb.review.publicPage')}</a> · <a href={`${pbStaffBase(req)}/review`}>{t('pb.review.backToQueue')}</a></p>
          {p.status === 'submitted' && p.review_due_at && (
            <Banner kind={late ? 'warning' : 'info'}>{t(late ? 'pb.review.dueWas' : 'pb.review.dueOn', { date: req.fmt.dateTime(p.review_due_at) })}</Banner>
          )}
          <SummaryList items={[
            [t('pb.staff.cycle'), <Content text={cycle.title} />],
            [t('pb.review.category'), <>{<Name names={category.names} />} ({t('pb.review.limits', { min: money(category.min_cost), max: money(category.max_cost) })})</>],
            [t('pb.review.submitted'), p.submitted_at ? req.fmt.dateTime(p.submitted_at) : '—'],
          ]} />
          <h2>{t('pb.review.summary')}</h2>
          <ContentBlock text={p.summary} />
          <h2>{t('pb.review.costs')}</h2>
          <CostTable req={req} items={p.cost_items} currency={cycle.currency} authorTotal={p.cost_total} departmentCost={p.department_cost} />
          {p.status !== 'submitted' ? (
            <Banner kind="info" title={t('pb.review.notWaiting', { status: t(`pb.review.status.${p.status}`) })}>
              {p.decision_note && <ContentBlock text={p.decision_note} />}
            </Banner>
          ) : (
            <>
              <h2>{t('pb.review.decisionTitle')}</h2>
              <ErrorSummary errors={errors} />
              <Form action={reviewPath(req, p.number)}>
                <input type="hidden" name="version" value={String(values.version ?? '')} />
                <Field name="departmentCost" label={label(req, 'departmentCost')} hint={t('pb.review.hint.departmentCost', { total: money(p.cost_total) })} inputMode="decimal" errors={errors} values={values} />
                <Select name="departmentId" label={label(req, 'departmentId')} errors={errors} value={String(values.departmentId ?? '')}
                  options={[{ value: '', label: t('pb.review.noDepartment') }, ...departments.map((d) => ({ value: String(d.id), label: localized(d.names, req.locale) }))]} />
                <Select name="decision" label={label(req, 'decision')} errors={errors} value={String(values.decision ?? '')}
                  options={[{ value: '', label: t('pb.review.decision.none') }, ...DECISIONS.map((d) => ({ value: d, label: t(`pb.review.decision.${d}`) }))]} />
                <Field name="note" label={label(req, 'note')} hint={t('pb.review.hint.note')} multiline rows={5} maxLength={5000} errors={errors} values={values} />
                <Field name="resubmitBy" label={label(req, 'resubmitBy')} hint={t('pb.review.hint.resubmitBy', { zone: t(`time.zone.city.${req.municipality!.time_zone}`) })}
                  type="datetime-local" errors={errors} values={values} />
                <Button>{t('pb.review.save')}</Button>
              </Form>
            </>
          )}
        </>
      );
    },
    async handle(v, req, reply) {
      const t = req.t;
      const { p, cycle } = (await load(req))!;
      const errors: FormErrors = {};
      const departmentCost = v.departmentCost === undefined ? null : parseMoney(v.departmentCost);
      if (departmentCost === undefined) errors.departmentCost = t('pb.cycles.error.money', { field: label(req, 'departmentCost') });
      const note = v.note ?? null;
      if ((v.decision === 'returned' || v.decision === 'rejected') && !note) errors.note = t(`pb.review.error.noteNeeded.${v.decision}`, { field: label(req, 'note') });
      const resubmitBy = v.resubmitBy ? parseLocalDateTime(v.resubmitBy, req.municipality!.time_zone) : undefined;
      if (v.decision === 'returned' && !resubmitBy) errors.resubmitBy = t('pb.review.error.resubmitNeeded', { field: label(req, 'resubmitBy') });
      if (Object.keys(errors).length > 0) return errors;
      const decision: Decision = v.decision === 'admitted' ? { kind: 'admitted', note }
        : v.decision === 'returned' ? { kind: 'returned', note: note!, resubmitBy: resubmitBy! }
          : v.decision === 'rejected' ? { kind: 'rejected', note: note! } : { kind: 'estimate' };
      const r = await reviewStep(deps, { id: req.user!.id, ip: req.ip }, req.municipality!, p.number, v.version,
        { departmentCost: departmentCost ?? null, departmentId: v.departmentId ?? null }, decision, new Date());
      if (r.kind === 'unchanged') return redirectWithFlash(reply, reviewPath(req, p.number), { kind: 'info', message: t('pb.review.unchanged') });
      if (r.kind !== 'done') return refused(deps, req, reply, p, cycle.currency, r);
      if (decision.kind === 'estimate') return redirectWithFlash(reply, reviewPath(req, p.number), { kind: 'success', message: t('pb.review.estimateSaved') });
      return redirectWithFlash(reply, `${pbStaffBase(req)}/review`, { kind: 'success', message: t(`pb.review.decided.${decision.kind}`, { number: p.number, title: contentText(req, p.title) }) });
    },
  });
}
