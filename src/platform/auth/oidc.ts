import type { App, Deps } from '../http/deps.ts';

/** OpenID Connect sign-in routes (BankID, Diia, eID gateways). */
export async function registerOidcRoutes(_app: App, _deps: Deps): Promise<void> {
  // Routes are added by the OIDC integration (see oidc.service.ts once present).
}
