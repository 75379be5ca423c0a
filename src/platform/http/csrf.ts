import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from './deps.ts';

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
