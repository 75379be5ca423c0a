import type { ModuleManifest } from '../../platform/module.ts';
import { numberedSubject } from '../../platform/audit/audit.subject.ts';
import './report.policy.ts';
import { reportDemo } from './report.demo.ts';
import { reportsForSitemap } from './report.repo.ts';
import { forgetExpiredPending } from './report.guests.repo.ts';
import { ReportSettingsSchema } from './report.settings.ts';
import { reportExports } from './open311/exports.ts';
import { registerGeoJson } from './open311/geojson.api.ts';
import { registerOpen311 } from './open311/open311.api.ts';
import { open311OpenApi } from './open311/open311.openapi.ts';
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
    { path: 'reports/staff/keys', labelKey: 'reports.staff.keys', action: 'reports.keys' },
  ],
  async routes(app, deps) {
    registerReportStaffPages(app, deps);
    registerReportPages(app, deps);
    registerOpen311(app, deps);
    registerGeoJson(app, deps);
  },
  openapi: open311OpenApi,
  periodic: [{ name: 'reports.forget-expired-guests', everySeconds: 3600, run: (deps) => forgetExpiredPending(deps.db) }],
  auditSubjects: { report: numberedSubject('reports', 'reports') },
  async publicPages(db, m) {
    const rows = await reportsForSitemap(db, m.id);
    return [{ path: '/reports/performance' }, ...rows.map((r) => ({ path: `/reports/${r.number}`, updated: r.updated_at }))];
  },
  demo: reportDemo,
  exports: reportExports,
};
