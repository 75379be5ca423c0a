import type { FastifyReply, FastifyRequest } from 'fastify';
import * as oidc from 'openid-client';
import type { OidcProviderConfig } from '../../config.ts';
import type { App, Deps } from '../http/deps.ts';
import { redirectWithFlash } from '../http/flash.ts';
import { safeNext } from '../http/request-context.ts';
import { isLocale, translator, type Locale } from '../i18n/i18n.ts';
import { startSession } from './auth.web.tsx';
import { identityFromClaims, signInWithIdentity } from './oidc.service.ts';
import { destroySession, SESSION_COOKIE } from './sessions.ts';
import { Query, Text, SingleLine } from '../http/input.ts';

const FLOW_COOKIE = 'hromada_oidc';
// The flow cookie goes back only to the callback, never to the rest of the site.
const FLOW_COOKIE_PATH = '/auth/oidc/';
const FLOW_TTL_SECONDS = 600;
const SCOPE = 'openid email profile';
const LIMIT = { config: { rateLimit: { max: 30, timeWindow: 5 * 60_000 } } };

/** What the browser carries from the redirect to the provider back to the callback (signed, not secret). */
interface Flow {
  provider: string;
  state: string;
  nonce: string;
  verifier: string;
  locale: Locale;
  next: string | null;
}

/** Discovers the provider and picks the client authentication it expects. */
async function discover(provider: OidcProviderConfig, allowHttp: boolean): Promise<oidc.Configuration> {
  const issuer = new URL(provider.issuer);
  const insecure = allowHttp && issuer.protocol === 'http:';
  const found = await oidc.discovery(issuer, provider.clientId, provider.clientSecret, undefined,
    insecure ? { execute: [oidc.allowInsecureRequests] } : undefined);
  // RFC 8414: an issuer that lists no methods supports client_secret_basic, which every server must.
  const methods = found.serverMetadata().token_endpoint_auth_methods_supported ?? ['client_secret_basic'];
  if (!methods.includes('client_secret_basic')) return found;
  const configuration = new oidc.Configuration(found.serverMetadata(), provider.clientId, provider.clientSecret,
    oidc.ClientSecretBasic(provider.clientSecret));
  if (insecure) oidc.allowInsecureRequests(configuration);
  return configuration;
}

function readFlow(req: FastifyRequest): Flow | null {
  const raw = req.cookies[FLOW_COOKIE];
  if (!raw) return null;
  const unsigned = req.unsignCookie(raw);
  if (!unsigned.valid || !unsigned.value) return null;
  try {
    const f = JSON.parse(unsigned.value) as Partial<Flow>;
    const strings = [f.provider, f.state, f.nonce, f.verifier].every((v) => typeof v === 'string' && v.length > 0);
    if (!strings || !isLocale(f.locale)) return null;
    return { ...(f as Flow), next: safeNext(f.next, '') || null };
  } catch {
    return null;
  }
}

/** ID token claims, completed by the UserInfo endpoint where the provider has one. */
async function fetchClaims(configuration: oidc.Configuration, tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers) {
  const idClaims = tokens.claims();
  if (!idClaims) throw new Error('the provider returned no ID token');
  if (!configuration.serverMetadata().userinfo_endpoint || !tokens.access_token) return { ...idClaims } as Record<string, unknown>;
  const userinfo = await oidc.fetchUserInfo(configuration, tokens.access_token, idClaims.sub);
  return { ...idClaims, ...userinfo } as Record<string, unknown>;
}

/** OpenID Connect sign-in routes (BankID, Diia, eID gateways). */
export async function registerOidcRoutes(app: App, deps: Deps): Promise<void> {
  const providers = new Map(deps.config.oidcProviders.map((p) => [p.id, p]));
  const secure = deps.config.baseUrl.startsWith('https:');
  const configurations = new Map<string, Promise<oidc.Configuration>>();
  // Discovered on first use, so a provider that is down does not stop the platform from starting.
  const configurationOf = (provider: OidcProviderConfig) => {
    let found = configurations.get(provider.id);
    if (!found) {
      found = discover(provider, deps.config.env !== 'production');
      configurations.set(provider.id, found);
      found.catch(() => configurations.delete(provider.id));
    }
    return found;
  };
  const redirectUri = (provider: OidcProviderConfig) => `${deps.config.baseUrl}/auth/oidc/${provider.id}/callback`;
  const providerOf = (req: FastifyRequest) => providers.get((req.params as { provider: string }).provider);

  app.get('/:locale/auth/oidc/:provider', { ...LIMIT, schema: { hide: true, querystring: Query({ next: SingleLine(500) }) } }, async (req, reply) => {
    const provider = providerOf(req);
    if (!provider) return reply.callNotFound();
    let configuration: oidc.Configuration;
    try {
      configuration = await configurationOf(provider);
    } catch (err) {
      req.log.error({ err, provider: provider.id }, 'OIDC discovery failed');
      return redirectWithFlash(reply, `/${req.locale}/account/sign-in`, {
        kind: 'error', message: req.t('auth.oidc.unavailable', { provider: provider.name }),
      });
    }
    const flow: Flow = {
      provider: provider.id,
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      verifier: oidc.randomPKCECodeVerifier(),
      locale: req.locale,
      next: safeNext((req.query as { next?: unknown }).next, '') || null,
    };
    const parameters: Record<string, string> = {
      redirect_uri: redirectUri(provider),
      scope: SCOPE,
      state: flow.state,
      nonce: flow.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
      code_challenge_method: 'S256',
      ui_locales: req.locale,
    };
    // The residence claim belongs to no standard scope; ask for it by name where the provider allows.
    if (configuration.serverMetadata().claims_parameter_supported) {
      const wanted = { [provider.residenceClaim]: null };
      parameters.claims = JSON.stringify({ id_token: wanted, userinfo: wanted });
    }
    reply.setCookie(FLOW_COOKIE, JSON.stringify(flow), {
      path: FLOW_COOKIE_PATH, httpOnly: true, sameSite: 'lax', secure, signed: true, maxAge: FLOW_TTL_SECONDS,
    });
    return reply.redirect(oidc.buildAuthorizationUrl(configuration, parameters).href, 303);
  });

  app.get('/auth/oidc/:provider/callback', { ...LIMIT, schema: { hide: true, querystring: Query({ code: Text(2000), state: Text(500), error: Text(200), error_description: Text(2000), iss: Text(500) }) } }, async (req, reply) => {
    const provider = providerOf(req);
    if (!provider) return reply.callNotFound();
    const flow = readFlow(req);
    reply.clearCookie(FLOW_COOKIE, { path: FLOW_COOKIE_PATH });
    const locale = flow?.locale ?? req.locale;
    const t = translator(locale);
    const query = req.query as Record<string, unknown>;
    const fail = (key: string, log: Record<string, unknown>): FastifyReply => {
      req.log.warn({ ...log, provider: provider.id }, 'OIDC sign-in failed');
      return redirectWithFlash(reply, `/${locale}/account/sign-in`, { kind: 'error', message: t(key, { provider: provider.name }) });
    };

    if (typeof query.error === 'string') {
      const description = typeof query.error_description === 'string' ? query.error_description.slice(0, 300) : undefined;
      return fail(query.error === 'access_denied' ? 'auth.oidc.cancelled' : 'auth.oidc.failed', { error: query.error.slice(0, 100), description });
    }
    // No flow, another provider's flow or a state that does not match: started elsewhere, expired or forged.
    if (!flow || flow.provider !== provider.id || query.state !== flow.state) {
      return fail('auth.oidc.expired', { reason: flow ? 'state mismatch' : 'no flow cookie' });
    }

    let identity;
    try {
      const configuration = await configurationOf(provider);
      const currentUrl = new URL(redirectUri(provider));
      currentUrl.search = new URL(req.url, 'http://localhost').search;
      const tokens = await oidc.authorizationCodeGrant(configuration, currentUrl, {
        pkceCodeVerifier: flow.verifier, expectedState: flow.state, expectedNonce: flow.nonce, idTokenExpected: true,
      });
      identity = identityFromClaims(provider, await fetchClaims(configuration, tokens));
      if (!identity) throw new Error('the provider returned no subject');
    } catch (err) {
      return fail('auth.oidc.failed', { err });
    }

    let outcome;
    try {
      outcome = await signInWithIdentity(deps, identity, req.user?.id ?? null, locale);
    } catch (err) {
      return fail('auth.oidc.failed', { err });
    }
    if (outcome.kind === 'identity_conflict') {
      req.log.warn({ provider: provider.id, userId: req.user?.id }, 'OIDC identity conflicts with the account');
      return redirectWithFlash(reply, req.user ? `/${locale}/account` : `/${locale}/account/sign-in`, {
        kind: 'error', message: t('auth.oidc.conflict', { provider: provider.name }),
      });
    }
    const previous = req.cookies[SESSION_COOKIE];
    if (previous) await destroySession(deps.db, previous);
    await startSession(deps, req, reply, outcome.userId);
    return redirectWithFlash(reply, flow.next ?? `/${locale}/account`, {
      kind: 'success',
      message: t(outcome.via === 'current_user' ? 'auth.oidc.linked' : 'auth.oidc.signedIn', { provider: provider.name }),
    });
  });
}
