import type { Database } from '../../../db/database.ts';
import type { Municipality } from '../../../db/schema.ts';
import type { App, Deps } from '../../../platform/http/deps.ts';
import type { SitemapPage } from '../../../platform/module.ts';
import { registerProjectsGeoJson } from './geojson.api.ts';
import { projectsForSitemap } from './project.repo.ts';
import { registerEditPages } from './web/edit.web.tsx';
import { registerListPage } from './web/list.web.tsx';
import { registerManageRoutes } from './web/manage.web.tsx';
import { registerProjectPage } from './web/show.web.tsx';

/** Residents' projects: proposing and editing them, their pages, the list of a cycle's projects and its map. */
export function registerProjectPages(app: App, deps: Deps): void {
  registerEditPages(app, deps);
  registerManageRoutes(app, deps);
  registerProjectPage(app, deps);
  registerListPage(app, deps);
  registerProjectsGeoJson(app, deps);
}

/** Every public project's page, for sitemap.xml. */
export async function projectPages(db: Database, m: Municipality): Promise<SitemapPage[]> {
  return (await projectsForSitemap(db, m.id)).map((r) => ({ path: `/participatory-budget/projects/${r.number}`, updated: r.updated_at }));
}
