import type { FastifyReply, FastifyRequest } from 'fastify';
import { safeNext } from '../../http/request-context.ts';
import { isLocale } from '../../i18n/i18n.ts';
import type { FlowStart } from './dialects.ts';

const FLOW_COOKIE = 'hromada_idflow';
// The flow cookie goes back only to the providers' callbacks (/auth/<dialect>/<provider>/callback), never elsewhere.
const FLOW_COOKIE_PATH = '/auth/';
const FLOW_TTL_SECONDS = 600;

/** What the browser carries from the redirect to the provider back to the callback (signed, not secret). */
export interface Flow extends FlowStart {
  provider: string;
  state: string;
  /** The dialect's own values (an OIDC nonce and PKCE verifier). */
  extra: Record<string, string>;
}

/** Remembers a sign-in in a signed cookie for ten minutes, for dialects whose provider redirects back with a GET. */
export function saveFlow(reply: FastifyReply, secure: boolean, flow: Flow): void {
  reply.setCookie(FLOW_COOKIE, JSON.stringify(flow), {
    path: FLOW_COOKIE_PATH, httpOnly: true, sameSite: 'lax', secure, signed: true, maxAge: FLOW_TTL_SECONDS,
  });
}

/** The sign-in this browser started with `provider`, or null (none, expired, forged, another provider's); the cookie is spent. */
export function takeFlow(req: FastifyRequest, reply: FastifyReply, provider: string): Flow | null {
  const raw = req.cookies[FLOW_COOKIE];
  reply.clearCookie(FLOW_COOKIE, { path: FLOW_COOKIE_PATH });
  if (!raw) return null;
  const unsigned = req.unsignCookie(raw);
  if (!unsigned.valid || !unsigned.value) return null;
  try {
    const f = JSON.parse(unsigned.value) as Partial<Flow>;
    if (f.provider !== provider || typeof f.state !== 'string' || !f.state || !isLocale(f.locale)) return null;
    const extra = f.extra && typeof f.extra === 'object' ? Object.fromEntries(Object.entries(f.extra).filter(([, v]) => typeof v === 'string')) : {};
    return { provider, state: f.state, locale: f.locale, next: safeNext(f.next, '') || null, extra };
  } catch {
    return null;
  }
}
