import type { App, Deps } from '../../../platform/http/deps.ts';
import { registerCategoryPages } from './categories.web.tsx';
import { registerHandlePages } from './handle.web.tsx';
import { registerKeyPages } from './keys.web.tsx';
import { registerTemplatePages } from './templates.web.tsx';
import { registerQueuePage } from './queue.web.tsx';

/** Officials' pages: the queue, handling one report, and the categories with their questions. */
export function registerReportStaffPages(app: App, deps: Deps): void {
  registerQueuePage(app, deps);
  registerHandlePages(app, deps);
  registerCategoryPages(app, deps);
  registerKeyPages(app, deps);
  registerTemplatePages(app, deps);
}
