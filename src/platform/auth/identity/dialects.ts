import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TObject } from 'typebox';
import { Value } from 'typebox/value';
import { ConfigError, type IdentityProviderConfig } from '../../../config.ts';
import type { App, Deps } from '../../http/deps.ts';
import type { Locale } from '../../i18n/i18n.ts';

/** Where a sign-in was started: the page's locale and where to go after it. */
export interface FlowStart {
  locale: Locale;
  next: string | null;
}

/**
 * A kind of identity provider (OpenID Connect, Ukraine's id.gov.ua, SAML 2.0 national nodes): its settings,
 * how it sends the browser to the provider, and the routes the provider answers on. Each dialect turns what
 * the provider vouched for into a `VerifiedIdentity` and hands it to `finishSignIn` (finish.ts), or calls
 * `failSignIn`; linking, sessions, the audit and the pages are the same for every dialect.
 */
export interface IdentityDialect {
  type: string;
  /** The provider settings the dialect reads besides id, name and type (checked at start). */
  settings: TObject;
  /** Sends the browser to the provider (a 303, or a page that posts a form there). */
  start(deps: Deps, req: FastifyRequest, reply: FastifyReply, provider: IdentityProviderConfig, flow: FlowStart): Promise<FastifyReply>;
  /** Registers the routes its providers answer on (callbacks, SAML's assertion consumer and metadata). */
  routes(app: App, deps: Deps, providers: IdentityProviderConfig[]): void | Promise<void>;
}

const dialects = new Map<string, IdentityDialect>();

/** Adds a dialect (each dialect's file calls this; identity/index.ts imports them all). */
export function registerDialect(dialect: IdentityDialect): void {
  dialects.set(dialect.type, dialect);
}

export function dialectOf(type: string): IdentityDialect {
  const d = dialects.get(type);
  if (!d) throw new Error(`no identity dialect ${type}`);
  return d;
}

/** Checks every configured provider against its dialect's settings; throws a ConfigError naming each problem. */
export function checkProviders(providers: IdentityProviderConfig[]): void {
  const problems: string[] = [];
  for (const p of providers) {
    const d = dialects.get(p.type);
    if (!d) {
      problems.push(`identity provider ${p.id}: unknown type "${p.type}" (known: ${[...dialects.keys()].join(', ')})`);
      continue;
    }
    for (const e of Value.Errors(d.settings, p)) problems.push(`identity provider ${p.id}: ${e.instancePath || '/'} ${e.message}`);
  }
  if (problems.length) throw new ConfigError(problems);
}

/** The link that starts signing in (or verifying) with a provider, from any page. */
export function identitySignInHref(locale: string, providerId: string, next?: string | null): string {
  return `/${locale}/auth/with/${providerId}${next ? `?next=${encodeURIComponent(next)}` : ''}`;
}
