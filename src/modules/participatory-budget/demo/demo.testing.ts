import type { Database } from '../../../db/database.ts';
import type { Municipality } from '../../../db/schema.ts';
import { DEMO_MUNICIPALITIES } from '../../../platform/cli/demo-data.ts';
import type { DemoPeople } from '../../../platform/module.ts';
import { createMunicipality } from '../../../platform/testing/http.ts';
import { resident } from '../../../platform/testing/people.ts';

export interface DemoTown { m: Municipality; people: DemoPeople }

/** The four demo municipalities as the demo command makes them (language, currency, time zone, centre, communal department), with demo people. */
export async function demoTowns(db: Database): Promise<DemoTown[]> {
  const towns: DemoTown[] = [];
  for (const d of DEMO_MUNICIPALITIES) {
    const made = await createMunicipality(db, { slug: d.slug, centerLat: d.lat, centerLng: d.lng, currency: d.currency, defaultLocale: d.locale, enabledModules: ['participatory-budget'] });
    const m = await db.updateTable('municipalities').set({ time_zone: d.timeZone }).where('id', '=', made.id).returningAll().executeTakeFirstOrThrow();
    await db.insertInto('departments').values({ municipality_id: m.id, slug: 'communal', names: JSON.stringify(d.departments[0]!.names) }).execute();
    const person = async (who: string, role?: 'official' | 'moderator' | 'admin') => (await resident(db, `${who}@${d.slug}.example`, m, role ? { role } : {})).id;
    towns.push({
      m,
      people: {
        residents: [await person('resident1'), await person('resident2')],
        officials: [await person('official', 'official')], moderators: [await person('moderator', 'moderator')], admin: await person('admin', 'admin'),
      },
    });
  }
  return towns;
}
