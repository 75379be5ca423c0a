import * as oidc from 'openid-client';
import { Type } from 'typebox';
import type { IdentityProviderConfig } from '../../../config.ts';
import type { Deps } from '../../http/deps.ts';
import { Text } from '../../http/input.ts';
import { translator } from '../../i18n/i18n.ts';
import { registerDialect } from './dialects.ts';
import { failSignIn, finishSignIn, providerName } from './finish.ts';
import { saveFlow } from './flow.ts';
import { beginOAuthCallback, oauthCallbackQuery } from './oauth-callback.ts';
import { claimEmail, claimText, type VerifiedIdentity } from './link.ts';
import { claimBirthDate } from '../age.ts';
import { redirectWithFlash } from '../../http/flash.ts';

/** An OpenID Connect provider's settings (BankID through a broker, an eID gateway, any OIDC provider). */
export interface OidcSettings extends IdentityProviderConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Claim holding the official code (KATOTTH, matični broj, TERYT) of the residence; default `residence_code`. */
  residenceClaim?: string;
}

const SCOPE = 'openid email profile';
const LIMIT = { config: { rateLimit: { max: 30, timeWindow: 5 * 60_000 } } };
const residenceClaim = (p: OidcSettings) => p.residenceClaim ?? 'residence_code';

/** Discovers the provider and picks the client authentication it expects. */
async function discover(provider: OidcSettings, allowHttp: boolean): Promise<oidc.Configuration> {
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

/** Reads the claims of an ID token and UserInfo response; null without a subject. */
export function identityFromClaims(provider: OidcSettings, claims: Record<string, unknown>): VerifiedIdentity | null {
  const subject = claimText(claims.sub);
  if (!subject) return null;
  const email = claimEmail(claims.email);
  const given = [claimText(claims.given_name), claimText(claims.family_name)].filter(Boolean).join(' ');
  return {
    provider: provider.id,
    subject,
    email,
    // Some providers send the boolean as a string.
    emailVerified: email !== null && (claims.email_verified === true || claims.email_verified === 'true'),
    fullName: (claimText(claims.name) ?? given).slice(0, 200),
    residenceCode: claimText(claims[residenceClaim(provider)]),
    // The standard claim of the `profile` scope (OIDC Core 5.1); a year alone or a hidden year is no date.
    birthDate: claimBirthDate(claims.birthdate),
  };
}

/** ID token claims, completed by the UserInfo endpoint where the provider has one. */
async function fetchClaims(configuration: oidc.Configuration, tokens: oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers) {
  const idClaims = tokens.claims();
  if (!idClaims) throw new Error('the provider returned no ID token');
  if (!configuration.serverMetadata().userinfo_endpoint || !tokens.access_token) return { ...idClaims } as Record<string, unknown>;
  const userinfo = await oidc.fetchUserInfo(configuration, tokens.access_token, idClaims.sub);
  return { ...idClaims, ...userinfo } as Record<string, unknown>;
}

// Discovered on first use, so a provider that is down does not stop the platform from starting.
const configurations = new Map<string, Promise<oidc.Configuration>>();
function configurationOf(deps: Deps, provider: OidcSettings) {
  const key = `${provider.id} ${provider.issuer}`;
  let found = configurations.get(key);
  if (!found) {
    found = discover(provider, deps.config.env !== 'production');
    configurations.set(key, found);
    found.catch(() => configurations.delete(key));
  }
  return found;
}
const redirectUri = (deps: Deps, provider: IdentityProviderConfig) => `${deps.config.baseUrl}/auth/oidc/${provider.id}/callback`;

registerDialect({
  type: 'oidc',
  settings: Type.Object({ issuer: Type.String({ minLength: 1 }), clientId: Type.String({ minLength: 1 }), clientSecret: Type.String({ minLength: 1 }), residenceClaim: Type.Optional(Type.String({ minLength: 1 })) }),

  async start(deps, req, reply, raw, start) {
    const provider = raw as OidcSettings;
    let configuration: oidc.Configuration;
    try {
      configuration = await configurationOf(deps, provider);
    } catch (err) {
      req.log.error({ err, provider: provider.id }, 'OIDC discovery failed');
      return redirectWithFlash(reply, `/${req.locale}/account/sign-in`, {
        kind: 'error', message: translator(req.locale)('auth.identity.unavailable', { provider: providerName(provider, req.locale) }),
      });
    }
    const extra = { nonce: oidc.randomNonce(), verifier: oidc.randomPKCECodeVerifier() };
    const state = oidc.randomState();
    const parameters: Record<string, string> = {
      redirect_uri: redirectUri(deps, provider),
      scope: SCOPE,
      state,
      nonce: extra.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(extra.verifier),
      code_challenge_method: 'S256',
      ui_locales: req.locale,
    };
    // The residence claim belongs to no standard scope; ask for it by name where the provider allows.
    if (configuration.serverMetadata().claims_parameter_supported) {
      const wanted = { [residenceClaim(provider)]: null };
      parameters.claims = JSON.stringify({ id_token: wanted, userinfo: wanted });
    }
    saveFlow(reply, deps.config.baseUrl.startsWith('https:'), { provider: provider.id, state, ...start, extra });
    return reply.redirect(oidc.buildAuthorizationUrl(configuration, parameters).href, 303);
  },

  routes(app, deps, providers) {
    const byId = new Map(providers.map((p) => [p.id, p as OidcSettings]));
    app.get('/auth/oidc/:provider/callback', { ...LIMIT, schema: { hide: true, querystring: oauthCallbackQuery({ iss: Text(500) }) } }, async (req, reply) => {
      const callback = await beginOAuthCallback(deps, req, reply, byId);
      if (!callback) return reply;
      const { provider, flow, locale, query } = callback;
      // No flow, another provider's flow or a state that does not match: started elsewhere, expired or forged.
      if (!flow || query.state !== flow.state || !flow.extra.nonce || !flow.extra.verifier) {
        return failSignIn(deps, req, reply, provider, locale, 'expired', { why: flow ? 'state mismatch' : 'no flow cookie' });
      }
      let identity: VerifiedIdentity | null;
      try {
        const configuration = await configurationOf(deps, provider);
        const currentUrl = new URL(redirectUri(deps, provider));
        currentUrl.search = new URL(req.url, 'http://localhost').search;
        const tokens = await oidc.authorizationCodeGrant(configuration, currentUrl, {
          pkceCodeVerifier: flow.extra.verifier, expectedState: flow.state, expectedNonce: flow.extra.nonce, idTokenExpected: true,
        });
        identity = identityFromClaims(provider, await fetchClaims(configuration, tokens));
      } catch (err) {
        return failSignIn(deps, req, reply, provider, locale, 'failed', { err });
      }
      if (!identity) return failSignIn(deps, req, reply, provider, locale, 'invalid', { why: 'no subject' });
      return finishSignIn(deps, req, reply, provider, identity, flow);
    });
  },
});
