import type { ModuleManifest } from '../../platform/module.ts';
import './report.policy.ts';
import { ReportSettingsSchema } from './report.settings.ts';
import { registerReportPages } from './web/routes.tsx';

/** Communal problem reports: residents report a problem at a place, routed to the department that fixes it. */
export const reports: ModuleManifest = {
  id: 'reports',
  nameKey: 'reports.name',
  summaryKey: 'reports.summary',
  settings: ReportSettingsSchema,
  async routes(app, deps) {
    registerReportPages(app, deps);
  },
};
