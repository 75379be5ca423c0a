import csrf from '@fastify/csrf-protection';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import { sharedSecret } from '../auth/secrets.ts';
import type { App } from './deps.ts';

const SECRET_COOKIE = '_csrf';

/**
 * Whom a token belongs to: the session, or "anonymous" for visitors who have none (their sign-in and
 * registration forms still need a token). A token made for one session is refused in every other, and
 * one made before signing in is refused after it.
 */
function tokenOwner(req: FastifyRequest): string {
  return req.user ? `session:${req.user.sessionId}` : 'anonymous';
}

/**
 * CSRF protection: a secret in a signed cookie and, in each form, a token made from that secret and HMAC-bound
 * to the visitor's session. Every unsafe request carries one unless its route opts out (API keys, OIDC callbacks).
 */
export async function registerCsrf(app: App, db: Database, config: Readonly<Config>): Promise<void> {
  await app.register(csrf, {
    cookieKey: SECRET_COOKIE,
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', signed: true, secure: config.baseUrl.startsWith('https:') },
    csrfOpts: { hmacKey: await sharedSecret(db, 'csrf-hmac') },
    getUserInfo: tokenOwner,
    getToken: (req) => (req.body as Record<string, string> | undefined)?._csrf ?? (req.headers['x-csrf-token'] as string | undefined),
  });
  app.addHook('preHandler', (req, reply, done) => {
    const config_ = req.routeOptions.config as { csrf?: boolean } | undefined;
    if (['GET', 'HEAD', 'OPTIONS'].includes(req.method) || config_?.csrf === false) return done();
    app.csrfProtection(req, reply, done);
  });
}

/** The token for the forms of this page, bound to the visitor's session. */
export function csrfToken(req: FastifyRequest, reply: FastifyReply): string {
  return reply.generateCsrf({ userInfo: tokenOwner(req) });
}

/** Forgets the CSRF secret when a session starts or ends, so no token from before is good after. */
export function rotateCsrf(reply: FastifyReply): void {
  reply.clearCookie(SECRET_COOKIE, { path: '/' });
}

/**
 * Checks the CSRF token of a request whose body the route parsed itself (multipart uploads opt out of
 * the global check with `config: { csrf: false }` because their fields are read only in the handler).
 * Put the form fields on `req.body` first; throws the plugin's 403 error when the token is wrong.
 */
export function verifyCsrf(app: App, req: FastifyRequest, reply: FastifyReply, fields: Record<string, string>): Promise<void> {
  req.body = fields;
  return new Promise((resolve, reject) => {
    app.csrfProtection(req, reply, (err?: Error) => (err ? reject(err) : resolve()));
  });
}
