import { Type } from 'typebox';
import type { LocalizedText } from '../../db/schema.ts';
import { LOCALES, localized } from '../i18n/i18n.ts';

export const CURRENCIES = ['UAH', 'RSD', 'PLN', 'EUR'] as const;
export const TIME_ZONES = ['Europe/Kyiv', 'Europe/Belgrade', 'Europe/Warsaw'] as const;

const localeUnion = Type.Enum([...LOCALES]);

/** The fields of a municipality as an admin edits them. Names per locale: at least the default one. */
/** A name in every locale: English required (the fallback everyone can read), the others optional. */
/** The name fields of a form, one per locale; English is required as the last fallback. */
export function localizedNames(maxLength: number) {
  const optional = Type.Optional(Type.String({ maxLength }));
  return { nameUk: optional, nameSrCyrl: optional, nameSrLatn: optional, namePl: optional, nameEn: Type.String({ minLength: 2, maxLength }) };
}

export const MunicipalitySchema = Type.Object({
  ...localizedNames(120),
  slug: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,62}$' }),
  officialCode: Type.String({ minLength: 2, maxLength: 40 }),
  population: Type.Integer({ minimum: 0, maximum: 50_000_000 }),
  centerLat: Type.Number({ minimum: -90, maximum: 90 }),
  centerLng: Type.Number({ minimum: -180, maximum: 180 }),
  zoom: Type.Integer({ minimum: 3, maximum: 19 }),
  defaultLocale: localeUnion,
  currency: Type.Enum([...CURRENCIES]),
  timeZone: Type.Enum([...TIME_ZONES]),
  host: Type.Optional(Type.String({ maxLength: 253, pattern: '^[a-z0-9.-]+$' })),
  // Whom residents ask (to be confirmed as residents, for one): shown wherever a page says what they lack.
  contactEmail: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
  contactPhone: Type.Optional(Type.String({ maxLength: 40, pattern: '^[+0-9 ()./-]+$' })),
  contactAddress: Type.Optional(Type.String({ maxLength: 300 })),
});

export const DepartmentSchema = Type.Object({
  slug: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,62}$' }),
  ...localizedNames(160),
  email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
});

export const StaffSchema = Type.Object({
  email: Type.String({ format: 'email', maxLength: 254 }),
  role: Type.Enum(['moderator', 'official', 'registrar', 'admin']),
  departmentId: Type.Optional(Type.Integer({ minimum: 1 })),
});

export const SetupSchema = Type.Object({
  fullName: Type.String({ minLength: 2, maxLength: 120 }),
  email: Type.String({ format: 'email', maxLength: 254 }),
  password: Type.String({ minLength: 10, maxLength: 200 }),
  associationName: Type.String({ minLength: 2, maxLength: 160 }),
  municipalityName: Type.String({ minLength: 2, maxLength: 120 }),
  slug: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,62}$' }),
  officialCode: Type.String({ minLength: 2, maxLength: 40 }),
  population: Type.Integer({ minimum: 0, maximum: 50_000_000 }),
  centerLat: Type.Number({ minimum: -90, maximum: 90 }),
  centerLng: Type.Number({ minimum: -180, maximum: 180 }),
  defaultLocale: localeUnion,
  currency: Type.Enum([...CURRENCIES]),
});

/** Collects the per-locale name fields of a form into a LocalizedText. */
export function namesFrom(v: { nameUk?: string | undefined; nameSrCyrl?: string | undefined; nameSrLatn?: string | undefined; namePl?: string | undefined; nameEn: string }) {
  const names: Record<string, string> = { en: v.nameEn };
  if (v.nameUk) names.uk = v.nameUk;
  if (v.nameSrCyrl) names['sr-Cyrl'] = v.nameSrCyrl;
  if (v.nameSrLatn) names['sr-Latn'] = v.nameSrLatn;
  if (v.namePl) names.pl = v.namePl;
  return names;
}

/** The other way round: stored names as the values of NameFields (English falls back to any name). */
export function nameValues(names: LocalizedText) {
  return { nameUk: names.uk, nameSrCyrl: names['sr-Cyrl'], nameSrLatn: names['sr-Latn'], namePl: names.pl, nameEn: names.en ?? localized(names, 'en') };
}
