import type { ModuleManifest } from '../../platform/module.ts';
import './report.policy.ts';
import { ReportSettingsSchema } from './report.settings.ts';
import { registerReportStaffPages } from './staff/routes.tsx';
import { registerReportPages } from './web/routes.tsx';

/** Communal problem reports: residents report a problem at a place, routed to the department that fixes it. */
export const reports: ModuleManifest = {
  id: 'reports',
  nameKey: 'reports.name',
  summaryKey: 'reports.summary',
  settings: ReportSettingsSchema,
  staffPages: [
    { path: 'reports/staff', labelKey: 'reports.staff.queue', action: 'reports.handle' },
    { path: 'reports/staff/categories', labelKey: 'reports.staff.categories', action: 'reports.categories' },
  ],
  async routes(app, deps) {
    registerReportStaffPages(app, deps);
    registerReportPages(app, deps);
  },
};
