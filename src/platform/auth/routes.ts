import type { App, Deps } from '../http/deps.ts';
import { registerAccountPages } from './account.web.tsx';
import { registerAuthPages } from './auth.web.tsx';
import { registerIdentityRoutes } from './identity/routes.ts';

/** Every account route of the platform. */
export async function registerAuthRoutes(app: App, deps: Deps): Promise<void> {
  registerAuthPages(app, deps);
  registerAccountPages(app, deps);
  await registerIdentityRoutes(app, deps);
}
