import type { DataExport } from '../../../platform/module.ts';
import { petitionsForSitemap } from '../petition.repo.ts';
import { publicStatuses } from '../petition.service.ts';

/** Petitions' public datasets, for the open-data catalogue (the routes are in api.ts, export.ts and ledger.web.tsx). */
export const petitionExports: DataExport[] = [
  {
    id: 'petitions', titleKey: 'petitions.data.export.petitions.title', descriptionKey: 'petitions.data.export.petitions.description',
    formats: [
      { format: 'json', url: '/api/v1/{municipality}/petitions' },
      { format: 'csv', url: '/{locale}/{municipality}/petitions.csv' },
      { format: 'atom', url: '/{locale}/{municipality}/petitions/feed.atom' },
    ],
  },
  {
    id: 'responses', titleKey: 'petitions.data.export.responses.title', descriptionKey: 'petitions.data.export.responses.description',
    formats: [{ format: 'atom', url: '/{locale}/{municipality}/petitions/responses.atom' }],
  },
  {
    id: 'signatures', titleKey: 'petitions.data.export.signatures.title', descriptionKey: 'petitions.data.export.signatures.description',
    formats: [
      { format: 'json', url: '/api/v1/{municipality}/petitions/{petition}/ledger.json' },
      { format: 'csv', url: '/api/v1/{municipality}/petitions/{petition}/ledger.csv' },
    ],
    instances: async (db, m) => (await petitionsForSitemap(db, m.id, publicStatuses(m))).map((p) => ({ petition: String(p.number) })),
  },
];
