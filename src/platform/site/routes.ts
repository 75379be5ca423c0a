import type { App, Deps } from '../http/deps.ts';
import { registerCrawlerFiles } from './crawlers.ts';
import { registerIcons } from './icons.ts';
import { registerSitemap } from './sitemap.ts';

/** What browsers, crawlers and security researchers look for at well-known addresses. */
export function registerSiteFiles(app: App, deps: Deps): void {
  registerCrawlerFiles(app, deps);
  registerSitemap(app, deps);
  registerIcons(app, deps);
}
