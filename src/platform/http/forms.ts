import type { TSchema, Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { Value } from 'typebox/value';
import type { Translate } from '../i18n/i18n.ts';

/** Field name → translated message. */
export type FieldErrors = Record<string, string>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors; values: Record<string, unknown> };

interface SchemaError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
}

const compiled = new WeakMap<TSchema, ReturnType<typeof Compile>>();

/** Turns schema errors into one translated message per field (the first problem of each). */
export function fieldErrors(errors: Iterable<SchemaError>, t: Translate): FieldErrors {
  const out: FieldErrors = {};
  for (const e of errors) {
    const missing = e.keyword === 'required' ? (e.params.requiredProperties as string[] | undefined) ?? [] : [];
    const fields = missing.length ? missing : [e.instancePath.split('/')[1] || '_form'];
    for (const field of fields) {
      if (out[field]) continue;
      const label = t(`field.${field}`);
      const params = { field: label, limit: Number(e.params.limit ?? 0) };
      const key = missing.length ? 'required' : e.keyword;
      const known = ['required', 'minLength', 'maxLength', 'format', 'pattern', 'minimum', 'maximum', 'enum', 'type', 'const'];
      out[field] = t(`platform.validation.${known.includes(key) ? key : 'invalid'}`, params);
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
 * Validates a form post or JSON body against a TypeBox schema. Form values arrive as strings:
 * line endings normalised, trimmed, empty strings dropped (so "required" reads as required), then converted.
 */
export function parseBody<S extends TSchema>(schema: S, body: unknown, t: Translate): Parsed<Static<S>> {
  let check = compiled.get(schema);
  if (!check) compiled.set(schema, (check = Compile(schema)));
  const values: Record<string, unknown> = {};
  for (const [k, v] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    if (k === '_csrf') continue;
    const clean = typeof v === 'string' ? normalizeLineEndings(v).trim() : v;
    if (clean !== '') values[k] = clean;
  }
  const converted = Value.Convert(schema, structuredClone(values));
  if (check.Check(converted)) return { ok: true, value: converted as Static<S> };
  return { ok: false, errors: fieldErrors(check.Errors(converted) as Iterable<SchemaError>, t), values };
}
