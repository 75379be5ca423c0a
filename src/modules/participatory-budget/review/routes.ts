import type { App, Deps } from '../../../platform/http/deps.ts';
import { registerDecisionPage } from './web/decide.web.tsx';
import { registerQueuePage } from './web/queue.web.tsx';

/** The technical review: the queue of submitted projects and the page where each is decided. */
export function registerReviewPages(app: App, deps: Deps): void {
  registerQueuePage(app, deps);
  registerDecisionPage(app, deps);
}
