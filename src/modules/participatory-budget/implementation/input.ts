import type { FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import { parseMoney } from '../../../platform/i18n/money.ts';
import type { FormErrors } from '../../../platform/views/components.tsx';
import type { ImplementationValues, MilestoneValues } from './impl.repo.ts';
import { IMPL_STATUSES } from './impl.service.ts';

/** A date as a date input sends it (whether the day exists, 30 February, is checked after). */
const DateText = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$' });
const Amount = Type.String({ maxLength: 30 });

// Each form's fields have names of their own: several forms share the staff page, and a field's id is its name.
export const StatusSchema = Type.Object({
  status: Type.Enum(IMPL_STATUSES),
  progress: Type.Integer({ minimum: 0, maximum: 100 }),
  dueOn: Type.Optional(DateText),
  contracted: Type.Optional(Amount),
  spent: Type.Optional(Amount),
  version: Type.String({ pattern: '^-?\\d{1,20}$' }),
});

export const MilestoneSchema = Type.Object({
  milestoneTitle: Type.String({ minLength: 1, maxLength: 200 }),
  milestoneDue: DateText,
  milestoneDone: Type.Optional(DateText),
});

export const UpdateSchema = Type.Object({
  body: Type.String({ minLength: 1, maxLength: 5000 }),
  updateProgress: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  caption: Type.Optional(Type.String({ maxLength: 300 })),
});

export const CaptionSchema = Type.Object({ caption: Type.Optional(Type.String({ maxLength: 300 })) });

/** Whether `YYYY-MM-DD` names a real day (not 2027-02-30). */
export const realDate = (s: string) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;

type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FormErrors };

const label = (req: FastifyRequest, field: string) => req.t(`pb.impl.field.${field}`);
const dateError = (req: FastifyRequest, field: string) => req.t('pb.impl.error.date', { field: label(req, field) });

/** The status form's values in minor units and real dates, or a message for each field that is not one. */
export function implementationValues(req: FastifyRequest, v: Static<typeof StatusSchema>): Parsed<ImplementationValues> {
  const errors: FormErrors = {};
  const contracted = v.contracted === undefined ? null : parseMoney(v.contracted);
  const spent = v.spent === undefined ? 0 : parseMoney(v.spent);
  if (contracted === undefined) errors.contracted = req.t('pb.impl.error.money', { field: label(req, 'contracted') });
  if (spent === undefined) errors.spent = req.t('pb.impl.error.money', { field: label(req, 'spent') });
  if (v.dueOn !== undefined && !realDate(v.dueOn)) errors.dueOn = dateError(req, 'dueOn');
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { impl_status: v.status, progress: v.progress, due_on: v.dueOn ?? null, contracted: contracted ?? null, spent: spent ?? 0 } };
}

/** The milestone form's values, or a message for each date that is not a real day. */
export function milestoneValues(req: FastifyRequest, v: Static<typeof MilestoneSchema>): Parsed<MilestoneValues> {
  const errors: FormErrors = {};
  if (!realDate(v.milestoneDue)) errors.milestoneDue = dateError(req, 'milestoneDue');
  if (v.milestoneDone !== undefined && !realDate(v.milestoneDone)) errors.milestoneDone = dateError(req, 'milestoneDone');
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { title: v.milestoneTitle, due_on: v.milestoneDue, done_on: v.milestoneDone ?? null } };
}
