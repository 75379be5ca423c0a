import type { Municipality } from '../../db/schema.ts';
import type { Deps } from '../http/deps.ts';
import { listDistricts } from '../tenancy/districts.repo.ts';
import { addWorkingDays } from '../time/working-days.ts';
import { saveResidentWays } from './confirm.service.ts';
import { insertRequest } from './residence.repo.ts';
import { RESIDENT_WAYS } from './residence.tables.ts';
import { REQUEST_WORKING_DAYS } from './residence.ways.ts';

/** Demo addresses by the municipality's language (a request in the registrars' queue). */
const ADDRESSES: Record<string, string> = {
  uk: 'вул. Львівська, 12, кв. 3, м. Жовква',
  'sr-Cyrl': 'Улица Николе Тесле 7, Власотинце',
  'sr-Latn': 'Kralja Petra I 15, Sombor',
  pl: 'ul. Noworudzka 4/2, Kłodzko',
  en: '1 High Street',
};

/** The demo offers every way to become a confirmed resident, and has one request waiting in the registrars' queue (in a district, where there are any). */
export async function residenceDemo(deps: Deps, adminId: number, m: Municipality, applicantId: number): Promise<void> {
  await saveResidentWays(deps, { id: adminId }, m, [...RESIDENT_WAYS]);
  const sent = new Date(Date.now() - 2 * 86_400_000);
  await insertRequest(deps.db, {
    municipalityId: m.id, userId: applicantId, address: ADDRESSES[m.default_locale] ?? ADDRESSES.en!, fileId: null,
    districtId: (await listDistricts(deps.db, m.id))[0]?.id ?? null,
    next: `/${m.default_locale}/${m.slug}/petitions`, dueAt: addWorkingDays(sent, REQUEST_WORKING_DAYS, m.time_zone),
  });
}
