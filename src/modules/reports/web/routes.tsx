import type { App, Deps } from '../../../platform/http/deps.ts';
import { registerAreaPages } from './areas.web.tsx';
import { registerConfirmPages } from './confirm.web.tsx';
import { registerReportListPage } from './list.web.tsx';
import { registerNewReportPage } from './new.web.tsx';
import { registerPerformancePages } from './performance.web.tsx';
import { registerPhotoRoutes } from './photos.web.tsx';
import { registerShowReportPages } from './show.web.tsx';

/** Residents' pages: the list, filing a report, a report's page and "me too". */
export function registerReportPages(app: App, deps: Deps): void {
  registerReportListPage(app, deps);
  registerNewReportPage(app, deps);
  registerConfirmPages(app, deps);
  registerPerformancePages(app, deps);
  registerAreaPages(app, deps);
  registerShowReportPages(app, deps);
  registerPhotoRoutes(app, deps);
}
