import type { TSchema, Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { Value } from 'typebox/value';
import type { Translate } from '../i18n/i18n.ts';
import { ONCE_FIELD } from '../idempotency/field.ts';

/** Field name → translated message. */
export type FieldErrors = Record<string, string>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors; values: Record<string, unknown> };

interface SchemaError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
}

const compiled = new WeakMap<TSchema, ReturnType<typeof Compile>>();

/**
 * A field's label inside a message: as the form shows it, or in sentence case where the message puts it
 * mid-sentence without quotes ("Enter title", but "Title must…" and "Заповніть поле «Назва»"). A form's
 * message is written before its page is, so it holds a mark that the page replaces with the label its own
 * field shows (`resolveLabels`): the two cannot drift apart.
 */
export type LabelOf = (field: string, inSentence: boolean) => string;

// Stands for the label while the message is formatted, so where the message puts it can be seen.
const LABEL = '\u0001label\u0002';
const mark: LabelOf = (field, inSentence) => `\u0001${inSentence ? '~' : ''}${field}\u0002`;
const MARK = /\u0001(~?)([^\u0001\u0002]*)\u0002/g;

/** A label mid-sentence: its first letter small ("Enter title"), unless it starts an acronym ("IBAN"). */
export function inSentence(label: string): string {
  const [first = '', second = ''] = Array.from(label);
  return second && second === second.toUpperCase() && second !== second.toLowerCase() ? label : first.toLowerCase() + label.slice(first.length);
}

/** Replaces label marks by the labels a page's fields show, or by `field.<name>` where no field showed one. */
export function resolveLabels(text: string, shown: ReadonlyMap<string, string>, t: Translate, escape: (s: string) => string = (s) => s): string {
  if (!text.includes('\u0001')) return text;
  return text.replace(MARK, (_, small: string, field: string) => {
    const label = shown.get(field) ?? catalogLabel(t, field);
    return escape(small ? inSentence(label) : label);
  });
}

// A query parameter has no label on any form: it is named as it appears in the address.
const catalogLabel = (t: Translate, field: string): string => (t(`field.${field}`) === `field.${field}` ? field : t(`field.${field}`));

/** Labels from the `field.<name>` messages, for answers without a form (the JSON API). */
export const catalogLabels = (t: Translate): LabelOf => (field, small) => {
  const label = catalogLabel(t, field);
  return small ? inSentence(label) : label;
};

/** Turns schema errors into one translated message per field (the first problem of each). */
export function fieldErrors(errors: Iterable<SchemaError>, t: Translate, labelOf: LabelOf = catalogLabels(t)): FieldErrors {
  const out: FieldErrors = {};
  for (const e of errors) {
    const missing = e.keyword === 'required' ? (e.params.requiredProperties as string[] | undefined) ?? [] : [];
    const fields = missing.length ? missing : [e.instancePath.split('/')[1] || '_form'];
    for (const field of fields) {
      if (out[field]) continue;
      const key = missing.length ? 'required' : e.keyword;
      const known = ['repeated', 'controlCharacters', 'required', 'minLength', 'maxLength', 'format', 'pattern', 'minimum', 'maximum', 'enum', 'type', 'const'];
      const message = t(`platform.validation.${known.includes(key) ? key : 'invalid'}`, { field: LABEL, limit: Number(e.params.limit ?? 0) });
      out[field] = message.replace(new RegExp(`(^|.)${LABEL}`, 'gsu'), (_, before: string) =>
        before + labelOf(field, before !== '' && !/["'«»„“”‘’‚]/u.test(before)));
    }
  }
  return out;
}

/**
 * Browsers send a textarea's line breaks as CRLF (HTML's form serialisation), seeds and the JSON API as LF:
 * stored text always has LF only, so paragraphs (`\n\n`) mean the same whoever typed them.
 */
export const normalizeLineEndings = (s: string) => s.replace(/\r\n?/g, '\n');

/**
 * Validates a form post or JSON body against a TypeBox schema; its messages name each field by the label its form
 * shows (resolved when the page is rendered, see `resolveLabels`). Form values arrive as strings:
 * line endings normalised, trimmed, empty strings dropped (so "required" reads as required), then converted.
 */
export function parseBody<S extends TSchema>(schema: S, body: unknown, t: Translate): Parsed<Static<S>> {
  let check = compiled.get(schema);
  if (!check) compiled.set(schema, (check = Compile(schema)));
  const values: Record<string, unknown> = {};
  for (const [k, v] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    if (k === '_csrf' || k === ONCE_FIELD) continue;
    const clean = typeof v === 'string' ? normalizeLineEndings(v).trim() : v;
    if (clean !== '') values[k] = clean;
  }
  const converted = Value.Convert(schema, structuredClone(values));
  if (check.Check(converted)) return { ok: true, value: converted as Static<S> };
  return { ok: false, errors: fieldErrors(check.Errors(converted) as Iterable<SchemaError>, t, mark), values };
}
