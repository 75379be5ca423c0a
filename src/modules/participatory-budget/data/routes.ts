import type { App, Deps } from '../../../platform/http/deps.ts';
import { registerPbApi } from './api.ts';

/** Open data of the participatory budget: the JSON and CSV under /api/v1/:municipality/participatory-budget. */
export function registerPbData(app: App, deps: Deps): void {
  registerPbApi(app, deps);
}
