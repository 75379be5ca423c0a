import type { App, Deps } from '../../../platform/http/deps.ts';
import { registerStatisticsPage } from './stats.web.tsx';

/** A cycle's statistics page. */
export function registerStatistics(app: App, deps: Deps): void {
  registerStatisticsPage(app, deps);
}
