import type { DataExport } from '../../../platform/module.ts';

/** Problem reports' public datasets, for the open-data catalogue (GeoJSON, Open311, the feed, the performance table). */
export const reportExports: DataExport[] = [
  {
    id: 'reports', titleKey: 'reports.export.reports.title', descriptionKey: 'reports.export.reports.description',
    formats: [
      { format: 'geojson', url: '/api/v1/{municipality}/reports.geojson' },
      { format: 'json', url: '/open311/v2/requests.json?jurisdiction_id={municipality}' },
      { format: 'xml', url: '/open311/v2/requests.xml?jurisdiction_id={municipality}' },
      { format: 'atom', url: '/{locale}/{municipality}/reports/feed.atom' },
    ],
  },
  {
    id: 'services', titleKey: 'reports.export.services.title', descriptionKey: 'reports.export.services.description',
    formats: [
      { format: 'json', url: '/open311/v2/services.json?jurisdiction_id={municipality}' },
      { format: 'xml', url: '/open311/v2/services.xml?jurisdiction_id={municipality}' },
    ],
  },
  {
    id: 'performance', titleKey: 'reports.export.performance.title', descriptionKey: 'reports.export.performance.description',
    formats: [{ format: 'csv', url: '/{locale}/{municipality}/reports/performance.csv' }],
  },
];
