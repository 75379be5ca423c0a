import type { App, Deps } from '../../../platform/http/deps.ts';
import { registerResultsPage } from './public.web.tsx';
import { registerResultSections } from './sections.tsx';
import { registerPublishPage } from './staff.web.tsx';

/** The results part: the public results page, the administrator's publication, and the project and cycle page sections. */
export function registerResults(app: App, deps: Deps): void {
  registerResultsPage(app, deps);
  registerPublishPage(app, deps);
  registerResultSections();
}
