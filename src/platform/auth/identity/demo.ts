import type { IdentityProviderConfig } from '../../../config.ts';

/** A demo identity provider running on this machine: the provider entry that points at it, and how to stop it. */
export interface RunningDemoProvider {
  provider: IdentityProviderConfig;
  stop(): Promise<void>;
}

/**
 * Starts a demo identity provider of one dialect (a fake id.gov.ua with "Diia (demo)", a SAML IdP as
 * "login.gov.pl (demo)"…) on 127.0.0.1, for `npm run demo` only: `appBaseUrl` is where the platform answers,
 * so the provider can send the browser back. Its people are the demo's residents (see demo-people.ts).
 */
export type DemoProviderStarter = (appBaseUrl: string) => Promise<RunningDemoProvider[]>;

const starters: DemoProviderStarter[] = [];

/** Adds the demo providers of a dialect (each dialect's demo file calls this). */
export function registerDemoProviders(start: DemoProviderStarter): void {
  starters.push(start);
}

/**
 * Starts every registered demo provider; their entries are marked `demo` (shown as "(demo)", refused in
 * production by the configuration).
 */
export async function startDemoProviders(appBaseUrl: string): Promise<RunningDemoProvider[]> {
  const running: RunningDemoProvider[] = [];
  for (const start of starters) running.push(...(await start(appBaseUrl)));
  return running.map((r) => ({ ...r, provider: { ...r.provider, demo: true } }));
}
