import type { FastifyRequest } from 'fastify';
import type { Database } from '../../db/database.ts';
import { localized } from '../i18n/i18n.ts';
import { findDistrict, listDistricts } from '../tenancy/districts.repo.ts';
import { Select, type FormErrors } from '../views/components.tsx';

/**
 * The district of a residence (platform/tenancy/districts), where the municipality has drawn districts: the
 * registrar may record it when confirming in person, the resident may name it in a request, and approving a
 * request keeps the one named unless the registrar corrects it. Rules by district (the participatory
 * budget's district categories) read it with `residenceDistrict`.
 */

/** A district a form names: null for none, `foreign` where it is not one of the municipality's (a tampered or stale id). */
export async function checkedDistrict(db: Database, municipalityId: number, id: number | null | undefined): Promise<number | null | 'foreign'> {
  if (id === undefined || id === null) return null;
  return (await findDistrict(db, municipalityId, id)) ? id : 'foreign';
}

/** A district's name in the reader's language, or null when none is recorded (or it has been removed). */
export async function districtName(db: Database, req: FastifyRequest, id: number | null): Promise<string | null> {
  const d = id === null ? undefined : await findDistrict(db, req.municipality!.id, id);
  return d ? localized(d.names, req.locale) : null;
}

export type DistrictChoices = { value: string; label: string }[];

/** The municipality's districts for a select, by name in the reader's language; empty where it has none. */
export async function districtChoices(db: Database, req: FastifyRequest): Promise<DistrictChoices> {
  const districts = await listDistricts(db, req.municipality!.id);
  return districts.map((d) => ({ value: String(d.id), label: localized(d.names, req.locale) }))
    .sort((a, b) => a.label.localeCompare(b.label, req.locale));
}

/** The optional district select of a residence form (`districtId`); nothing where the municipality has no districts. */
export function DistrictSelect(p: { req: FastifyRequest; choices: DistrictChoices; none: string; hint: string; value: unknown; errors: FormErrors }) {
  if (!p.choices.length) return null;
  return (
    <Select name="districtId" label={p.req.t('residence.field.district')} hint={p.hint} errors={p.errors}
      value={p.value === undefined || p.value === null ? '' : String(p.value)} options={[{ value: '', label: p.none }, ...p.choices]} />
  );
}

/** The field error for a district that is not the municipality's. */
export const foreignDistrict = (req: FastifyRequest): FormErrors => ({
  districtId: req.t('residence.district.foreign', { municipality: localized(req.municipality!.names, req.locale) }),
});
