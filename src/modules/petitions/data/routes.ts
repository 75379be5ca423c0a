import type { App, Deps } from '../../../platform/http/deps.ts';
import { registerPetitionApi } from './api.ts';
import { registerPetitionExports } from './export.ts';
import { registerLedgerRoutes } from './ledger.web.tsx';

/** Open data of petitions: the JSON API, the public ledger, CSV and Atom feeds. */
export function registerPetitionData(app: App, deps: Deps): void {
  registerPetitionApi(app, deps);
  registerLedgerRoutes(app, deps);
  registerPetitionExports(app, deps);
}
