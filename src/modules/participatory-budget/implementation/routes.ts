import type { App, Deps } from '../../../platform/http/deps.ts';
import { registerAccountabilityPage } from './accountability.web.tsx';
import { registerImplementationItemPages } from './items.web.tsx';
import { registerImplementationLists } from './list.web.tsx';
import { registerImplementationSection } from './section.tsx';
import { registerImplementationStaffPages } from './staff.web.tsx';

/** Implementation of funded projects: officials' pages, the public list, the project page's section, accountability. */
export function registerImplementation(app: App, deps: Deps): void {
  registerImplementationLists(app, deps);
  registerImplementationStaffPages(app, deps);
  registerImplementationItemPages(app, deps);
  registerAccountabilityPage(app, deps);
  registerImplementationSection();
}
