import type { Database } from '../../db/database.ts';
import type { Municipality } from '../../db/schema.ts';
import type { ReportQuestion } from '../../db/schema.reports.ts';
import { createMunicipality } from '../../platform/testing/http.ts';
import type { ReportSettings } from './report.settings.ts';

export { resident, serviceDeps } from '../../platform/testing/people.ts';

/** Zhovkva's centre, where test reports are placed unless said otherwise. */
export const ZHOVKVA = { lat: 50.0565, lng: 23.9727 };

/** A municipality with reports enabled, centred on Zhovkva, with the given settings. */
export function reportTown(db: Database, slug: string, settings: Partial<ReportSettings> = {}, center = ZHOVKVA): Promise<Municipality> {
  return createMunicipality(db, { slug, centerLat: center.lat, centerLng: center.lng, enabledModules: ['reports'], settings: { reports: settings } });
}

/** A report category of `m`, routed to a new department of the same name unless `department` is null. */
export async function reportCategory(db: Database, m: Pick<Municipality, 'id'>, slug: string, opts: { questions?: ReportQuestion[]; department?: null; active?: boolean } = {}) {
  const department = opts.department === null ? null : (await db.insertInto('departments')
    .values({ municipality_id: m.id, slug: `${slug}-dept`, names: JSON.stringify({ uk: `Відділ: ${slug}`, en: `Department: ${slug}` }) })
    .returning('id').executeTakeFirstOrThrow()).id;
  return db.insertInto('report_categories').values({
    municipality_id: m.id, slug, names: JSON.stringify({ uk: slug, en: slug }), department_id: department,
    questions: JSON.stringify(opts.questions ?? []), active: opts.active ?? true,
  }).returningAll().executeTakeFirstOrThrow();
}
