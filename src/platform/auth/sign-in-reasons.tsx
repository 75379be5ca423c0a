import type { FastifyRequest } from 'fastify';
import type { Municipality } from '../../db/schema.ts';
import type { Deps } from '../http/deps.ts';
import { safeNext } from '../http/request-context.ts';
import { localized } from '../i18n/i18n.ts';
import { findMunicipalityBySlug } from '../tenancy/municipality.repo.ts';

/**
 * Why a visitor was sent to sign in, so the sign-in page can say it ("Sign in to report a problem to
 * Zhovkva") and offer the way that needs no account where the municipality allows one. Modules register
 * their reasons; `redirectToSignIn(req, reply, reason)` names one in the URL.
 */
export interface SignInReason {
  /** Message key with `{municipality}`. */
  lead: string;
  /** Where a visitor may go on without an account (with its link text key), or null where that is not allowed. */
  guest?: (m: Municipality, next: string) => { href: string; label: string } | null;
}

const reasons = new Map<string, SignInReason>();

/** Declares a reason modules may name when they send a visitor to sign in. */
export function registerSignInReason(id: string, reason: SignInReason): void {
  reasons.set(id, reason);
}

/** The reason's sentence and guest route for the sign-in page; the municipality is the one `next` is in. */
export async function SignInContext({ deps, req, next }: { deps: Deps; req: FastifyRequest; next: unknown }) {
  const id = (req.query as { reason?: unknown }).reason;
  const reason = typeof id === 'string' ? reasons.get(id) : undefined;
  const path = safeNext(next, '');
  const slug = path.split('/')[2];
  const m = reason && slug ? await findMunicipalityBySlug(deps.db, slug) : undefined;
  if (!reason || !m) return null;
  const guest = reason.guest?.(m, path) ?? null;
  return (
    <>
      <p class="lead">{req.t(reason.lead, { municipality: localized(m.names, req.locale) })}</p>
      {guest && <p><a href={guest.href}>{req.t(guest.label)}</a></p>}
    </>
  );
}
