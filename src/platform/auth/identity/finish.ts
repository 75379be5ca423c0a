import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IdentityProviderConfig } from '../../../config.ts';
import { audit } from '../../audit/audit.ts';
import type { Deps } from '../../http/deps.ts';
import { redirectWithFlash } from '../../http/flash.ts';
import { translator, type Locale } from '../../i18n/i18n.ts';
import { startSession } from '../auth.web.tsx';
import { destroySession, SESSION_COOKIE } from '../sessions.ts';
import { signInWithIdentity, type VerifiedIdentity } from './link.ts';

/** Why a sign-in with a provider was refused: each has its message (`auth.identity.<reason>`) and is audited. */
export type SignInFailure = 'cancelled' | 'failed' | 'expired' | 'unavailable' | 'conflict' | 'invalid';

/** The name residents see: a demo provider says so. */
export function providerName(provider: IdentityProviderConfig, locale: Locale): string {
  return provider.demo ? translator(locale)('auth.identity.demoName', { provider: provider.name }) : provider.name;
}

/**
 * Refuses a sign-in: the sign-in page (or the account, for a signed-in user) with a translated message, the
 * event in the audit log (provider, reason, what the dialect saw; never a national id), nothing linked.
 */
export async function failSignIn(deps: Deps, req: FastifyRequest, reply: FastifyReply, provider: IdentityProviderConfig, locale: Locale,
  reason: SignInFailure, details: Record<string, unknown> = {}): Promise<FastifyReply> {
  req.log.warn({ ...details, provider: provider.id, reason }, 'identity sign-in refused');
  const safe = Object.fromEntries(Object.entries(details).map(([k, v]) => [k, v instanceof Error ? v.message.slice(0, 300) : v]));
  await audit(deps.db, { municipalityId: null, actorId: req.user?.id ?? null, action: 'auth.identity.refused', subjectType: 'identity_provider', subjectId: provider.id, after: { reason, ...safe }, ip: req.ip });
  const t = translator(locale);
  return redirectWithFlash(reply, req.user ? `/${locale}/account` : `/${locale}/account/sign-in`, {
    kind: 'error', message: t(`auth.identity.${reason}`, { provider: providerName(provider, locale) }),
  });
}

/**
 * Links what the provider vouched for to an account (one identity per account, one account per identity),
 * starts a fresh session and goes on to where the sign-in started. Signing out of Hromada later ends only
 * Hromada's session: the national system's own session is the provider's to end.
 */
export async function finishSignIn(deps: Deps, req: FastifyRequest, reply: FastifyReply, provider: IdentityProviderConfig, identity: VerifiedIdentity,
  flow: { locale: Locale; next: string | null }): Promise<FastifyReply> {
  const { locale } = flow;
  let outcome;
  try {
    outcome = await signInWithIdentity(deps, identity, req.user?.id ?? null, locale);
  } catch (err) {
    return failSignIn(deps, req, reply, provider, locale, 'failed', { err });
  }
  if (outcome.kind === 'identity_conflict') return failSignIn(deps, req, reply, provider, locale, 'conflict', { userId: req.user?.id ?? null });
  const previous = req.cookies[SESSION_COOKIE];
  if (previous) await destroySession(deps.db, previous);
  await startSession(deps, req, reply, outcome.userId);
  return redirectWithFlash(reply, flow.next ?? `/${locale}/account`, {
    kind: 'success',
    message: translator(locale)(outcome.via === 'current_user' ? 'auth.identity.linked' : 'auth.identity.signedIn', { provider: providerName(provider, locale) }),
  });
}
