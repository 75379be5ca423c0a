import { Type, type Static } from 'typebox';
import type { Translate } from '../../../platform/i18n/i18n.ts';
import { moneyInput, parseMoney } from '../../../platform/i18n/money.ts';
import { levelSetting } from '../../../platform/module-settings.tsx';
import { CURRENCIES } from '../../../platform/tenancy/municipality.schemas.ts';
import { localDateTimeInput, parseLocalDateTime } from '../../../platform/time/working-days.ts';
import type { FormErrors, FormValues } from '../../../platform/views/components.tsx';
import type { AgeSource, Cycle, VotingRule } from '../pb.tables.ts';
import { DATE_COLUMNS, dateOrderProblems, type CycleDates, type DateColumn } from './cycle.dates.ts';

/** A date and time as a `datetime-local` field sends it (seconds and a space instead of `T` accepted too). */
export const DATE_TIME = '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])[T ]([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d)?$';
const DateTime = Type.String({ pattern: DATE_TIME });
const Limit = Type.Optional(Type.Integer({ minimum: 1, maximum: 100 }));
/** Money as people type it ("1 250 000,50"), read by parseMoney. */
export const MoneyText = Type.String({ maxLength: 40 });

export const RULES: VotingRule[] = ['approval', 'knapsack'];
export const AGE_SOURCES: AgeSource[] = ['identity', 'identity_or_declared'];

export const CycleSchema = Type.Object({
  year: Type.Integer({ minimum: 2000, maximum: 2100 }),
  title: Type.String({ minLength: 3, maxLength: 160 }),
  description: Type.Optional(Type.String({ maxLength: 10_000 })),
  totalAmount: MoneyText,
  currency: Type.Enum([...CURRENCIES]),
  submissionOpens: DateTime,
  submissionCloses: DateTime,
  reviewCloses: DateTime,
  revisionCloses: Type.Optional(DateTime),
  votingOpens: DateTime,
  votingCloses: DateTime,
  implementationOpens: DateTime,
  rule: Type.Enum(RULES),
  maxChoices: Limit,
  maxPerCategory: Limit,
  minChoices: Limit,
  minSharePct: Limit,
  voteLevel: levelSetting('resident'),
  submitLevel: levelSetting('email'),
  minAge: Type.Optional(Type.Integer({ minimum: 1, maximum: 120 })),
  ageSource: Type.Enum(AGE_SOURCES),
  ballotChanges: Type.Optional(Type.Literal('yes')),
  reviewDays: Type.Integer({ minimum: 1, maximum: 120 }),
});
export type CycleForm = Static<typeof CycleSchema>;

/** What a cycle form sets, as columns. */
export type CycleInput = CycleDates & Pick<Cycle, 'year' | 'title' | 'description' | 'total_amount' | 'currency' | 'rule' | 'max_choices' | 'max_per_category'
  | 'min_choices' | 'min_share_pct' | 'vote_level' | 'submit_level' | 'min_age' | 'age_source' | 'ballot_changes' | 'review_days'>;

/** The columns frozen once a ballot exists: the rule, its limits, eligibility and the money. */
export const FROZEN_COLUMNS = ['currency', 'total_amount', 'rule', 'max_choices', 'max_per_category', 'min_choices', 'min_share_pct',
  'vote_level', 'submit_level', 'min_age', 'age_source', 'ballot_changes'] as const satisfies readonly (keyof CycleInput)[];

/** The form field of a column: `voting_opens` → `votingOpens`. */
export const fieldOf = (column: string) => column.replace(/_([a-z])/g, (_, l: string) => l.toUpperCase());
/** The label of a cycle form's field, as the form shows it. */
export const cycleLabel = (t: Translate, field: string) => t(`pb.cycles.field.${field}`);

/**
 * Reads a valid form into columns, or says which fields are wrong: amounts that are no amount, dates out of
 * order, an approval rule without its maximum or with limits above it. The knapsack rule keeps no N, K or M and
 * approval no minimum share, so a rule switched back and forth leaves nothing behind.
 */
export function readCycleForm(v: CycleForm, timeZone: string, t: Translate): { ok: true; input: CycleInput } | { ok: false; errors: FormErrors } {
  const errors: FormErrors = {};
  const label = (f: string) => cycleLabel(t, f);
  const total = parseMoney(v.totalAmount);
  if (total === undefined) errors.totalAmount = t('pb.cycles.error.money', { field: label('totalAmount') });
  const dates = {} as Record<DateColumn, Date | null>;
  for (const column of DATE_COLUMNS) {
    const text = (v as unknown as Record<string, string | undefined>)[fieldOf(column)];
    dates[column] = text ? parseLocalDateTime(text, timeZone) ?? null : null;
    if (text && !dates[column]) errors[fieldOf(column)] = t('pb.cycles.error.date', { field: label(fieldOf(column)) });
  }
  for (const p of dateOrderProblems(dates as CycleDates)) {
    errors[fieldOf(p.field)] = t(p.strict ? 'pb.cycles.error.after' : 'pb.cycles.error.notBefore', { field: label(fieldOf(p.field)), other: label(fieldOf(p.after)) });
  }
  const approval = v.rule === 'approval';
  const max = approval ? v.maxChoices ?? null : null;
  if (approval && max === null) errors.maxChoices = t('pb.cycles.error.maxNeeded', { field: label('maxChoices') });
  for (const f of ['maxPerCategory', 'minChoices'] as const) {
    if (approval && max !== null && (v[f] ?? 0) > max) errors[f] = t('pb.cycles.error.aboveMax', { field: label(f), other: label('maxChoices'), max });
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    input: {
      ...(dates as CycleDates),
      year: v.year, title: v.title, description: v.description ?? '', total_amount: total!, currency: v.currency, rule: v.rule,
      max_choices: max, max_per_category: approval ? v.maxPerCategory ?? null : null, min_choices: approval ? v.minChoices ?? null : null,
      min_share_pct: approval ? null : v.minSharePct ?? null, vote_level: v.voteLevel, submit_level: v.submitLevel, min_age: v.minAge ?? null,
      age_source: v.ageSource, ballot_changes: v.ballotChanges === 'yes', review_days: v.reviewDays,
    },
  };
}

/** A cycle as its form shows it for editing: money as typed, dates in the municipality's time zone. */
export function cycleFormValues(c: Cycle, timeZone: string): FormValues {
  const dates = Object.fromEntries(DATE_COLUMNS.map((col) => [fieldOf(col), c[col] ? localDateTimeInput(c[col]!, timeZone) : '']));
  return {
    ...dates, year: c.year, title: c.title, description: c.description, totalAmount: moneyInput(c.total_amount), currency: c.currency, rule: c.rule,
    maxChoices: c.max_choices ?? '', maxPerCategory: c.max_per_category ?? '', minChoices: c.min_choices ?? '', minSharePct: c.min_share_pct ?? '',
    voteLevel: c.vote_level, submitLevel: c.submit_level, minAge: c.min_age ?? '', ageSource: c.age_source, ballotChanges: c.ballot_changes ? 'yes' : '',
    reviewDays: c.review_days,
  };
}

/**
 * The columns a form changes on a cycle, with their new values. A date counts as changed only when it differs
 * to the minute the form shows, so saving a form untouched never "moves" a date stored with seconds.
 */
export function changedColumns(c: Cycle, input: CycleInput, timeZone: string): Partial<CycleInput> {
  const out: Partial<CycleInput> = {};
  const shown = (d: Date | null) => (d ? localDateTimeInput(d, timeZone) : null);
  for (const [k, value] of Object.entries(input) as [keyof CycleInput, CycleInput[keyof CycleInput]][]) {
    const was = c[k];
    const same = (DATE_COLUMNS as readonly string[]).includes(k) ? shown(was as Date | null) === shown(value as Date | null) : was === value;
    if (!same) (out as Record<string, unknown>)[k] = value;
  }
  return out;
}
