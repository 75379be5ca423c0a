import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';
import type { App } from './deps.ts';

/**
 * Helmet's headers, worked out once. @fastify/helmet builds helmet's middleware again on every request
 * (parsing the Content-Security-Policy each time: about a twentieth of a signature's server time); our
 * policy is the same for every response, so the headers are computed at start and set as they are.
 */
export function securityHeaders(options: Readonly<HelmetOptions>): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) { headers[name.toLowerCase()] = String(value); },
    removeHeader(name: string) { delete headers[name.toLowerCase()]; },
  };
  let failure: unknown;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => { failure = err; });
  if (failure) throw failure;
  return headers;
}

/** Sends helmet's headers with every response; `x-powered-by` is never set by Fastify in the first place. */
export function registerSecurityHeaders(app: App, options: Readonly<HelmetOptions>): void {
  const headers = securityHeaders(options);
  app.addHook('onRequest', (_req, reply, done) => {
    reply.headers(headers);
    done();
  });
}
