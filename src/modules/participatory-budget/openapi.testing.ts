import type { Database } from '../../db/database.ts';
import { resident, pbTown, seedCycle, seedProject } from './testing.ts';

/**
 * For the platform's OpenAPI test: a municipality whose published cycle has its results out and one funded
 * project, and one real request for every answer the module's API documents.
 */
export async function seedPbApi(db: Database, slug: string): Promise<number> {
  const town = await pbTown(db, slug);
  const author = await resident(db, `pb-author@${slug}.example.org`, town);
  const { cycle, categories } = await seedCycle(db, town, { phase: 'implementation', resultsPublished: true });
  const p = await seedProject(db, town, categories[0]!, author.id, { cost: 2_000_000 });
  await db.updateTable('pb_projects').set({ funded: true, impl_status: 'in_progress', progress: 10 }).where('id', '=', p.id).execute();
  await db.insertInto('pb_results').values({ municipality_id: town.id, cycle_id: cycle.id, project_id: p.id, votes: 1, rank: 1, funded: true }).execute();
  return cycle.number;
}

/** `without` is a municipality that does not run the participatory budget. */
export function pbCases(slug: string, cycle: number, without: string) {
  const b = `/api/v1/${slug}/participatory-budget`;
  const c = `${b}/cycles/${cycle}`;
  const none = `${b}/cycles/9999`;
  return [
    { url: `${b}/cycles.json`, status: 200 }, { url: `/api/v1/${without}/participatory-budget/cycles.json`, status: 404 },
    { url: `${c}/projects.geojson`, status: 200 }, { url: `${c}/projects.geojson?bbox=1,2`, status: 400 }, { url: `${none}/projects.geojson`, status: 404 },
    { url: `${c}/ballot`, status: 200 }, { url: `${none}/ballot`, status: 404 },
    ...['projects', 'ballots', 'results', 'implementation'].flatMap((d) => ['json', 'csv'].flatMap((ext) => [
      { url: `${c}/${d}.${ext}`, status: 200 }, { url: `${c}/${d}.${ext}?perPage=0`, status: 400 }, { url: `${none}/${d}.${ext}`, status: 404 },
    ])),
  ];
}
