import { SAML } from '@node-saml/node-saml';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { IdentityProviderConfig } from '../../../config.ts';
import type { Deps } from '../../http/deps.ts';
import { redirectWithFlash } from '../../http/flash.ts';
import { Text } from '../../http/input.ts';
import { isLocale, translator, DEFAULT_LOCALE, type Locale } from '../../i18n/i18n.ts';
import { loadSessionUserById } from '../sessions.ts';
import { registerDialect } from './dialects.ts';
import { failSignIn, finishSignIn, providerName } from './finish.ts';
import { assertionFacts, failureOf, identityFromProfile, meetsAuthnContext } from './saml.profile.ts';
import { postToProvider } from './saml.post.tsx';
import { pruneSaml, recordAssertion, requestCache, takeRequest, REQUEST_TTL_MS } from './saml.repo.ts';
import { samlOptions, samlProvider, SamlSettingsSchema, type SamlProvider, type SamlSettings } from './saml.settings.ts';

const LIMIT = { max: 30, timeWindow: 5 * 60_000 };

// Worked out when the routes are registered (keys read, presets filled in), per configured provider entry.
const prepared = new WeakMap<IdentityProviderConfig, SamlProvider>();
function providerOf(deps: Deps, config: IdentityProviderConfig): SamlProvider {
  let p = prepared.get(config);
  if (!p) prepared.set(config, (p = samlProvider(config as SamlSettings, deps.config.baseUrl)));
  return p;
}

/** node-saml for one sign-in: its request cache is the database, holding where the sign-in started. */
const samlFor = (deps: Deps, p: SamlProvider, flow = { locale: DEFAULT_LOCALE as string, next: null as string | null, sessionId: null as string | null }) =>
  new SAML(samlOptions(p, requestCache(deps.db, p.config.id, flow)));

/** The InResponseTo of the Response element, read before the answer is checked (only to find the sign-in it claims). */
function claimedRequest(samlResponse: string): string | null {
  const xml = Buffer.from(samlResponse, 'base64').toString('utf8');
  return /<(?:[\w-]+:)?Response\b[^>]*?\sInResponseTo\s*=\s*"([^"]{1,200})"/.exec(xml)?.[1] ?? null;
}

/** Checks an answer posted to the ACS and signs the person in, or refuses with what was wrong. */
async function consume(deps: Deps, req: FastifyRequest, reply: FastifyReply, p: SamlProvider): Promise<FastifyReply> {
  const body = (req.body ?? {}) as { SAMLResponse?: string };
  const fail = (locale: Locale, details: Record<string, unknown>, err?: unknown) =>
    failSignIn(deps, req, reply, p.config, locale, err === undefined ? 'invalid' : failureOf(err), err === undefined ? details : { ...details, err });
  if (!body.SAMLResponse) return failSignIn(deps, req, reply, p.config, req.locale, 'failed', { why: 'no SAMLResponse' });
  const requestId = claimedRequest(body.SAMLResponse);
  // Each request is answered once: a second answer (a replay, or a second tab) finds it taken.
  const flow = requestId ? await takeRequest(deps.db, p.config.id, requestId) : null;
  if (!flow) return fail(req.locale, { why: requestId ? 'InResponseTo unknown, expired or already answered' : 'no InResponseTo (unsolicited)', inResponseTo: requestId });
  const locale = isLocale(flow.locale) ? flow.locale : req.locale;
  // The POST is cross-site, so no SameSite=Lax session cookie came with it: whoever started the sign-in is the current user.
  req.user = flow.sessionId ? await loadSessionUserById(deps.db, flow.sessionId) : null;
  let profile;
  try {
    ({ profile } = await samlFor(deps, p).validatePostResponseAsync({ SAMLResponse: body.SAMLResponse }));
  } catch (err) {
    return fail(locale, { inResponseTo: requestId }, err);
  }
  if (!profile) return failSignIn(deps, req, reply, p.config, locale, 'failed', { why: 'no assertion' });
  if (profile.inResponseTo !== requestId) return fail(locale, { why: 'InResponseTo differs from the request taken', inResponseTo: requestId });
  const facts = assertionFacts(profile);
  // node-saml checks the issuer of logout messages only: the assertion's (signed) issuer is checked here.
  if (facts.issuer !== p.config.idpIssuer) return fail(locale, { why: 'wrong issuer', issuer: facts.issuer, expected: p.config.idpIssuer });
  if (!meetsAuthnContext(p, facts.authnContext)) return fail(locale, { why: 'level of assurance not reached', authnContext: facts.authnContext });
  if (!facts.id) return fail(locale, { why: 'assertion without ID' });
  const keepUntil = new Date(Math.max(facts.notOnOrAfter?.getTime() ?? 0, Date.now() + REQUEST_TTL_MS) + p.clockSkewMs);
  if (!(await recordAssertion(deps.db, p.config.id, facts.id, keepUntil))) return fail(locale, { why: 'assertion replayed', assertionId: facts.id });
  const identity = identityFromProfile(p, profile, deps.identifiers);
  if (!identity) return fail(locale, { why: 'no subject', subjectAttribute: p.subject });
  return finishSignIn(deps, req, reply, p.config, identity, { locale, next: flow.next });
}

registerDialect({
  type: 'saml',
  settings: SamlSettingsSchema,

  async start(deps, req, reply, config, start) {
    const p = providerOf(deps, config);
    try {
      await pruneSaml(deps.db);
      const saml = samlFor(deps, p, { locale: start.locale, next: start.next, sessionId: req.user?.sessionId ?? null });
      if (p.config.binding === 'post') return postToProvider(deps, req, reply, p, await saml.getAuthorizeMessageAsync(''));
      return reply.redirect(await saml.getAuthorizeUrlAsync('', undefined, {}), 303);
    } catch (err) {
      req.log.error({ err, provider: p.config.id }, 'SAML request failed');
      return redirectWithFlash(reply, `/${req.locale}/account/sign-in`, {
        kind: 'error', message: translator(req.locale)('auth.identity.unavailable', { provider: providerName(p.config, req.locale) }),
      });
    }
  },

  routes(app, deps, providers) {
    const byId = new Map(providers.map((c) => [c.id, providerOf(deps, c)]));
    const find = (req: FastifyRequest) => byId.get((req.params as { provider: string }).provider);

    // The metadata to register with the national node: entity ID, ACS, signing and encryption certificates.
    app.get('/auth/saml/:provider/metadata.xml', { schema: { hide: true } }, async (req, reply) => {
      const p = find(req);
      if (!p) return reply.callNotFound();
      const xml = samlFor(deps, p).generateServiceProviderMetadata(p.decryptionCert, p.signingCert);
      return reply.header('content-type', 'application/samlmetadata+xml; charset=utf-8').header('cache-control', 'public, max-age=3600').send(xml);
    });

    // The provider's answer comes as a cross-site form post: no CSRF token can be in it (it is signed instead).
    app.post('/auth/saml/:provider/acs', {
      config: { csrf: false, rateLimit: LIMIT },
      schema: { hide: true, body: Type.Object({ SAMLResponse: Type.Optional(Text(800_000)), RelayState: Type.Optional(Text(1000)) }) },
    }, async (req, reply) => {
      const p = find(req);
      // Not callNotFound(): the not-found route would check a CSRF token this cross-site post cannot have.
      if (!p) return reply.code(404).type('text/plain; charset=utf-8').send('Not Found');
      return consume(deps, req, reply, p);
    });
  },
});
