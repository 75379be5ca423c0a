import type { App, Deps } from '../../../platform/http/deps.ts';
import { registerCategoryPages } from './web/categories.web.tsx';
import { registerCycleFormPages } from './web/cycles.web.tsx';
import { registerDocumentPages } from './web/documents.web.tsx';
import { registerPublicCyclePages } from './web/public.web.tsx';
import { registerStaffHome } from './web/staff-home.web.tsx';

/** The cycles' pages: the public index and cycle pages, the staff home, and a cycle's settings, categories and documents. */
export function registerCyclePages(app: App, deps: Deps): void {
  registerPublicCyclePages(app, deps);
  registerStaffHome(app, deps);
  registerCycleFormPages(app, deps);
  registerCategoryPages(app, deps);
  registerDocumentPages(app, deps);
}
