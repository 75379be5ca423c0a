import type { FastifyRequest } from 'fastify';
import { Type, type TObject, type TSchema, type Static } from 'typebox';
import { Value } from 'typebox/value';
import type { Municipality } from '../db/schema.ts';
import { VERIFICATION_LEVELS, type VerificationLevel } from './auth/current-user.ts';
import { Field, Select, type FormErrors, type FormValues } from './views/components.tsx';

/** A setting that says which verification level an action needs, e.g. signing a petition. */
export function levelSetting(defaultLevel: VerificationLevel) {
  return Type.Enum([...VERIFICATION_LEVELS], { default: defaultLevel, 'x-hromada': 'verification' });
}

/** A module's settings for one municipality: what the admin saved, with the schema's defaults for the rest. */
export function moduleSettings<S extends TObject>(m: Municipality, moduleId: string, schema: S): Static<S> {
  // Read on every request: parse once per municipality row (rows are replaced, never changed in place).
  const key = (m.settings && typeof m.settings === 'object' ? m.settings : EMPTY) as object;
  let perModule = parsed.get(key);
  if (!perModule) parsed.set(key, (perModule = new Map()));
  if (!perModule.has(moduleId)) {
    const saved = (key as Record<string, unknown>)[moduleId] ?? {};
    const merged = Value.Default(schema, Value.Clean(schema, structuredClone(saved)));
    perModule.set(moduleId, Object.freeze(Value.Check(schema, merged) ? merged : Value.Default(schema, {})));
  }
  return perModule.get(moduleId) as Static<S>;
}
const parsed = new WeakMap<object, Map<string, unknown>>();
const EMPTY = {};

type Prop = TSchema & { type?: string; enum?: string[]; 'x-hromada'?: string; minimum?: number; maximum?: number };

/**
 * The form fields of a settings schema: numbers become numeric inputs, enumerations selects, and
 * verification levels a select of the levels. Labels are `<module>.settings.<key>` (and `.hint`).
 */
export function SettingsFields(p: { req: FastifyRequest; moduleId: string; schema: TObject; values: FormValues; errors: FormErrors }) {
  const { t } = p.req;
  return (
    <>
      {Object.entries(p.schema.properties).map(([key, raw]) => {
        const prop = raw as Prop;
        const label = t(`${p.moduleId}.settings.${key}`);
        const hint = t(`${p.moduleId}.settings.${key}.hint`);
        const common = { name: key, label, hint: hint.endsWith('.hint') ? undefined : hint, errors: p.errors };
        if (prop.enum) {
          const optionLabel = (v: string) => (prop['x-hromada'] === 'verification' ? t(`verification.level.${v}`) : t(`${p.moduleId}.settings.${key}.${v}`));
          return <Select key={key} {...common} value={String(p.values[key] ?? '')} options={prop.enum.map((v) => ({ value: v, label: optionLabel(v) }))} />;
        }
        const numeric = prop.type === 'integer' || prop.type === 'number';
        return <Field key={key} {...common} values={p.values} inputMode={numeric ? 'numeric' : undefined} />;
      })}
    </>
  );
}
