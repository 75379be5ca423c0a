import type { App, Deps } from '../../../platform/http/deps.ts';
import { registerAntifraudPages } from './antifraud.web.tsx';
import { registerCategoryPages } from './categories.web.tsx';
import { registerDecisionPages } from './decide.web.tsx';
import { registerQueuePages } from './queue.web.tsx';

/** Moderators' and officials' pages: moderation queue, responses, dashboard, statistics, anti-fraud. */
export function registerPetitionStaffPages(app: App, deps: Deps): void {
  registerQueuePages(app, deps);
  registerDecisionPages(app, deps);
  registerAntifraudPages(app, deps);
  registerCategoryPages(app, deps);
}
