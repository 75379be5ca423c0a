import crypto from 'node:crypto';
import { Type } from 'typebox';
import { ConfigError, type IdentityProviderConfig } from '../../../config.ts';
import type { Deps } from '../../http/deps.ts';
import { registerDialect } from './dialects.ts';
import { failSignIn, finishSignIn } from './finish.ts';
import { saveFlow } from './flow.ts';
import { exchangeCode, fetchUserInfo, IdGovUaError, type IdGovUaEndpoints } from './id-gov-ua.client.ts';
import { DEFAULT_FIELDS, personFromUserInfo } from './id-gov-ua.person.ts';
import { beginOAuthCallback, oauthCallbackQuery } from './oauth-callback.ts';

/**
 * Ukraine's integrated electronic identification system, id.gov.ua (BankID NBU, Diia, a qualified electronic
 * signature), which speaks its own OAuth 2.0 dialect. Followed: IIT's integration samples for its EUSign
 * library (the Node.js and PHP `OAuth2` classes: authorize at the site root with `auth_type`, then
 * `get-access-token` and `get-user-info` with a `fields` list and an optional `cert`), the steps 3, 10 and 11
 * of IDInfoProcessingD.pdf they cite, and the clients of eHealth (edenlabllc/ehealth.api#4906) and
 * Pozashkillia (ita-social-projects/OoS-Backend, whose decrypter interface is the model for ours).
 */
export interface IdGovUaSettings extends IdentityProviderConfig {
  /** The service's address: https://id.gov.ua (default), or https://test.id.gov.ua while testing. */
  baseUrl?: string;
  clientId: string;
  clientSecret: string;
  /** The ways offered on the service's page (`auth_type`): dig_sign, bank_id, diia_id… Default: all three. */
  authTypes?: string[];
  /** The attributes asked for (`fields`); default DEFAULT_FIELDS. */
  fields?: string[];
  /** The attribute holding the KATOTTH code of the residence, where the agreement with the service provides one. */
  residenceField?: string;
  /** The client's encryption certificate (base64): the person's attributes then come encrypted to it. */
  cert?: string;
  /** The command that opens an encrypted answer (envelope on stdin, JSON on stdout); see OPERATIONS.md. */
  decryptCommand?: string[];
}

export const DEFAULT_BASE_URL = 'https://id.gov.ua';
export const DEFAULT_AUTH_TYPES = ['dig_sign', 'bank_id', 'diia_id'];
const LIMIT = { config: { rateLimit: { max: 30, timeWindow: 5 * 60_000 } } };
const Name = Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' });

/** Where id.gov.ua sends the browser back (registered with the service as the client's redirect URI). */
export const idGovUaRedirectUri = (baseUrl: string, providerId: string) => `${baseUrl}/auth/id-gov-ua/${providerId}/callback`;

const endpoints = (p: IdGovUaSettings): IdGovUaEndpoints => ({
  baseUrl: p.baseUrl ?? DEFAULT_BASE_URL, clientId: p.clientId, clientSecret: p.clientSecret, fields: p.fields ?? DEFAULT_FIELDS,
  ...(p.cert ? { cert: p.cert } : {}), ...(p.decryptCommand ? { decryptCommand: p.decryptCommand } : {}),
});

registerDialect({
  type: 'id-gov-ua',
  settings: Type.Object({
    baseUrl: Type.Optional(Type.String({ pattern: '^https?://[^\\s?#]+$' })),
    clientId: Type.String({ minLength: 1 }),
    clientSecret: Type.String({ minLength: 1 }),
    authTypes: Type.Optional(Type.Array(Name, { minItems: 1 })),
    fields: Type.Optional(Type.Array(Name, { minItems: 1 })),
    residenceField: Type.Optional(Name),
    cert: Type.Optional(Type.String({ minLength: 1 })),
    decryptCommand: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })),
  }),

  async start(deps, req, reply, raw, start) {
    const provider = raw as IdGovUaSettings;
    const state = crypto.randomBytes(24).toString('base64url');
    saveFlow(reply, deps.config.baseUrl.startsWith('https:'), { provider: provider.id, state, ...start, extra: {} });
    const url = new URL(provider.baseUrl ?? DEFAULT_BASE_URL);
    url.pathname = url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`;
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: provider.clientId,
      auth_type: (provider.authTypes ?? DEFAULT_AUTH_TYPES).join(','),
      state,
      redirect_uri: idGovUaRedirectUri(deps.config.baseUrl, provider.id),
    }).toString();
    return reply.redirect(url.href, 303);
  },

  routes(app, deps, providers) {
    // An encrypted answer nobody can open would refuse every resident: say so at start instead.
    const sealed = providers.filter((p) => p.cert && !p.decryptCommand).map((p) => `identity provider ${p.id}: cert is set but decryptCommand is not (see OPERATIONS.md)`);
    if (sealed.length) throw new ConfigError(sealed);
    const byId = new Map(providers.map((p) => [p.id, p as IdGovUaSettings]));
    app.get('/auth/id-gov-ua/:provider/callback', { ...LIMIT, schema: { hide: true, querystring: oauthCallbackQuery() } }, async (req, reply) => {
      const callback = await beginOAuthCallback(deps, req, reply, byId);
      if (!callback) return reply;
      const { provider, flow, locale, query } = callback;
      // No flow, another provider's or a state that does not match: started elsewhere, expired or forged.
      if (!flow || !query.state || query.state !== flow.state) {
        return failSignIn(deps, req, reply, provider, locale, 'expired', { why: flow ? 'state mismatch' : 'no flow cookie' });
      }
      if (!query.code) return failSignIn(deps, req, reply, provider, locale, 'invalid', { why: 'no code' });
      const identity = await identityFor(deps, provider, query.code);
      if (identity instanceof IdGovUaError) return failSignIn(deps, req, reply, provider, locale, identity.reason, identity.details);
      return finishSignIn(deps, req, reply, provider, identity, flow);
    });
  },
});

/** The person behind a code, or why not (the error's reason and details, never the tax number). */
async function identityFor(deps: Deps, provider: IdGovUaSettings, code: string) {
  try {
    const e = endpoints(provider);
    const info = await fetchUserInfo(e, await exchangeCode(e, code));
    const person = personFromUserInfo(provider.id, provider, deps.identifiers, info);
    return typeof person === 'string' ? new IdGovUaError('invalid', { step: 'userinfo', why: person }) : person;
  } catch (err) {
    return err instanceof IdGovUaError ? err : new IdGovUaError('failed', { why: 'unexpected', err: (err as Error).message?.slice(0, 200) });
  }
}
