import type { FastifyReply, FastifyRequest } from 'fastify';
import { VERIFICATION_LEVELS } from '../../../../platform/auth/current-user.ts';
import type { Deps } from '../../../../platform/http/deps.ts';
import { notFound } from '../../../../platform/http/errors.tsx';
import { formatMoney } from '../../../../platform/i18n/money.ts';
import { municipalGuard } from '../../../../platform/tenancy/admin.web.tsx';
import { CURRENCIES } from '../../../../platform/tenancy/municipality.schemas.ts';
import { Checkboxes, Field, Select, type FormErrors, type FormValues } from '../../../../platform/views/components.tsx';
import { findCycle } from '../../cycle.repo.ts';
import type { Cycle } from '../../pb.tables.ts';
import { DATE_COLUMNS, type ChangeProblem } from '../cycle.dates.ts';
import { AGE_SOURCES, cycleLabel, fieldOf, RULES } from '../cycle.input.ts';
import type { UpdateOutcome } from '../cycle.service.ts';

/** The cycle of the route's `:number` in this municipality, for a user holding `action`; otherwise the answer (sign-in, 403, 404) is sent. */
export async function staffCycle(deps: Deps, req: FastifyRequest, reply: FastifyReply, action = 'pb.manage'): Promise<Cycle | null> {
  await municipalGuard(deps, action)(req, reply);
  if (reply.sent) return null;
  const cycle = await findCycle(deps.db, req.municipality!.id, (req.params as { number: number }).number);
  if (!cycle) {
    await notFound(deps, req, reply);
    return null;
  }
  return cycle;
}

/** A formRoute guard for a cycle's staff page. */
export const cycleGuard = (deps: Deps, action = 'pb.manage') => async (req: FastifyRequest, reply: FastifyReply) => {
  await staffCycle(deps, req, reply, action);
  return reply.sent ? reply : undefined;
};

/** The fields of a cycle: what it is, its money, its calendar, the voting rule and who may take part. */
export function CycleFields({ req, errors, values }: { req: FastifyRequest; errors: FormErrors; values: FormValues }) {
  const t = req.t;
  const f = { errors, values };
  const label = (name: string) => cycleLabel(t, name);
  const select = (name: string, options: { value: string; label: string }[], hint?: string) =>
    <Select name={name} label={label(name)} errors={errors} value={String(values[name] ?? '')} options={options} {...(hint ? { hint } : {})} />;
  const levels = VERIFICATION_LEVELS.map((l) => ({ value: l, label: t(`verification.level.${l}`) }));
  return (
    <>
      <fieldset class="field-group">
        <legend>{t('pb.cycles.group.about')}</legend>
        <Field name="year" label={label('year')} inputMode="numeric" required {...f} />
        <Field name="title" label={label('title')} required maxLength={160} {...f} />
        <Field name="description" label={label('description')} hint={t('pb.cycles.hint.description')} multiline rows={6} maxLength={10_000} {...f} />
        <Field name="totalAmount" label={label('totalAmount')} hint={t('pb.cycles.hint.money')} inputMode="decimal" required {...f} />
        {select('currency', CURRENCIES.map((c) => ({ value: c, label: c })))}
      </fieldset>
      <fieldset class="field-group">
        <legend>{t('pb.cycles.group.calendar')}</legend>
        <p class="field__hint">{t('pb.cycles.hint.dates', { zone: t(`time.zone.city.${req.municipality!.time_zone}`) })}</p>
        {DATE_COLUMNS.map((c) => fieldOf(c)).map((name) => (
          <Field key={name} name={name} label={label(name)} type="datetime-local" required={name !== 'revisionCloses'}
            hint={name === 'revisionCloses' ? t('pb.cycles.hint.revision') : undefined} {...f} />
        ))}
        <Field name="reviewDays" label={label('reviewDays')} hint={t('pb.cycles.hint.reviewDays')} inputMode="numeric" required {...f} />
      </fieldset>
      <fieldset class="field-group">
        <legend>{t('pb.cycles.group.rule')}</legend>
        {select('rule', RULES.map((r) => ({ value: r, label: t(`pb.cycles.rule.${r}`) })))}
        <Field name="maxChoices" label={label('maxChoices')} hint={t('pb.cycles.hint.approvalOnly')} inputMode="numeric" {...f} />
        <Field name="maxPerCategory" label={label('maxPerCategory')} hint={t('pb.cycles.hint.approvalOnly')} inputMode="numeric" {...f} />
        <Field name="minChoices" label={label('minChoices')} hint={t('pb.cycles.hint.approvalOnly')} inputMode="numeric" {...f} />
        <Field name="minSharePct" label={label('minSharePct')} hint={t('pb.cycles.hint.knapsackOnly')} inputMode="numeric" {...f} />
        <Checkboxes name="ballotChanges" legend={label('ballotChanges')} options={[{ value: 'yes', label: t('pb.cycles.hint.ballotChanges') }]}
          checked={values.ballotChanges === 'yes' ? ['yes'] : []} errors={errors} />
      </fieldset>
      <fieldset class="field-group">
        <legend>{t('pb.cycles.group.eligibility')}</legend>
        {select('submitLevel', levels)}
        {select('voteLevel', levels)}
        <Field name="minAge" label={label('minAge')} inputMode="numeric" {...f} />
        {select('ageSource', AGE_SOURCES.map((s) => ({ value: s, label: t(`pb.cycles.ageSource.${s}`) })))}
      </fieldset>
    </>
  );
}

/** Field messages for a refused save, each naming its field and why. */
export function updateErrors(req: FastifyRequest, cycle: Pick<Cycle, 'currency'>, r: Extract<UpdateOutcome, { kind: 'frozen' | 'dates' | 'below_categories' }>): FormErrors {
  const t = req.t;
  const label = (column: string) => cycleLabel(t, fieldOf(column));
  switch (r.kind) {
    case 'frozen':
      return Object.fromEntries(r.columns.map((c) => [fieldOf(c), t('pb.cycles.error.frozen', { field: label(c), since: req.fmt.dateTime(r.since) })]));
    case 'dates':
      return Object.fromEntries(r.problems.map((p: ChangeProblem) => [fieldOf(p.field), t(`pb.cycles.error.${p.code}`, { field: label(p.field), date: p.was ? req.fmt.dateTime(p.was) : '' })]));
    case 'below_categories':
      return { totalAmount: t('pb.cycles.error.belowCategories', { field: label('total_amount'), sum: formatMoney(req.fmt, r.sum, cycle.currency) }) };
  }
}
