import type { Database } from '../../../db/database.ts';
import type { Municipality } from '../../../db/schema.ts';
import type { DataExport } from '../../../platform/module.ts';
import { listCycles } from '../cycle.repo.ts';
import type { Cycle } from '../pb.tables.ts';

const base = '/api/v1/{municipality}/participatory-budget';

/** JSON and CSV of a per-cycle dataset, published for the cycles `when` accepts now. */
function perCycle(id: string, when: (c: Cycle, now: Date) => boolean): DataExport {
  return {
    id, titleKey: `pb.data.export.${id}.title`, descriptionKey: `pb.data.export.${id}.description`,
    formats: (['json', 'csv'] as const).map((format) => ({ format, url: `${base}/cycles/{cycle}/${id}.${format}` })),
    async instances(db: Database, m: Municipality) {
      const now = new Date();
      return (await listCycles(db, m.id)).filter((c) => when(c, now)).map((c) => ({ cycle: String(c.number) }));
    },
  };
}

/** The participatory budget's public datasets, for the open-data catalogue (the routes are in api.ts). */
export const PB_EXPORTS: DataExport[] = [
  { id: 'cycles', titleKey: 'pb.data.export.cycles.title', descriptionKey: 'pb.data.export.cycles.description', formats: [{ format: 'json', url: `${base}/cycles.json` }] },
  perCycle('projects', () => true),
  perCycle('ballots', (c, now) => c.voting_closes <= now),
  perCycle('results', (c) => c.results_published_at !== null),
  perCycle('implementation', (c) => c.results_published_at !== null),
];
