import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { fieldErrors, type FieldErrors } from './forms.ts';
import { render } from './render.tsx';
import type { App, Deps } from './deps.ts';

/** True for requests answered in JSON: the API and clients that ask for JSON. */
export function wantsJson(req: FastifyRequest): boolean {
  return req.url.startsWith('/api/') || (req.headers.accept ?? '').startsWith('application/json');
}

/** The API's one error shape: `{ error: { code, message, fields } }`. */
export function apiError(reply: FastifyReply, status: number, code: string, message: string, fields?: FieldErrors) {
  return reply.code(status).send({ error: { code, message, ...(fields ? { fields } : {}) } });
}

/** A full error page in the visitor's language. */
export async function errorPage(deps: Deps, req: FastifyRequest, reply: FastifyReply, status: number, key: string) {
  const title = req.t(`platform.error.${key}.title`);
  return render(deps, req, reply, {
    title,
    status,
    body: (
      <>
        <h1>{title}</h1>
        <p>{req.t(`platform.error.${key}.body`)}</p>
        <p><a href={`/${req.locale}/`}>{req.t('platform.error.home')}</a></p>
      </>
    ),
  });
}

/** The page for a query string (or a body outside a form) that is not valid: what is wrong, field by field. */
export async function invalidInputPage(deps: Deps, req: FastifyRequest, reply: FastifyReply, fields: FieldErrors) {
  const title = req.t('platform.error.badRequest.title');
  return render(deps, req, reply, {
    title,
    status: 400,
    body: (
      <>
        <h1>{title}</h1>
        <div class="error-summary" role="alert">
          <p>{req.t('platform.error.invalidInput')}</p>
          <ul>{Object.entries(fields).map(([field, message]) => <li key={field}>{message}</li>)}</ul>
        </div>
        <p><a href={`/${req.locale}/`}>{req.t('platform.error.home')}</a></p>
      </>
    ),
  });
}

/**
 * Bad input, in the shape of the route asking: a path that names nothing is a 404; a query or body that is not
 * valid a 400 naming each field (a JSON error for the API, a page otherwise).
 */
export function answerInvalid(deps: Deps, error: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  if (error.validationContext === 'params') return notFound(deps, req, reply);
  const fields = fieldErrors(error.validation as never, req.t);
  if (wantsJson(req)) return apiError(reply, 400, 'invalid_input', req.t('platform.error.invalidInput'), fields);
  return invalidInputPage(deps, req, reply, fields);
}

function classify(error: FastifyError): { status: number; key: string; code: string } {
  const status = error.statusCode ?? 500;
  if (error.code?.startsWith('FST_CSRF')) return { status: 403, key: 'csrf', code: 'csrf_invalid' };
  if (status === 429) return { status, key: 'rateLimited', code: 'rate_limited' };
  if (status === 413 || error.code === 'FST_REQ_FILE_TOO_LARGE') return { status: 413, key: 'tooLarge', code: 'payload_too_large' };
  if (status === 415) return { status, key: 'unsupported', code: 'unsupported_media_type' };
  if (status === 404) return { status, key: 'notFound', code: 'not_found' };
  if (status === 403) return { status, key: 'forbidden', code: 'forbidden' };
  if (status >= 400 && status < 500) return { status, key: 'badRequest', code: 'bad_request' };
  return { status: 500, key: 'server', code: 'internal_error' };
}

/** No route ever shows a stack trace: every error becomes a translated page or a JSON error. */
export function registerErrorHandlers(app: App, deps: Deps): void {
  app.setErrorHandler(async (error: FastifyError, req, reply) => {
    if (!req.t) {
      const { translator } = await import('../i18n/i18n.ts');
      req.t = translator('uk');
    }
    if (error.validation) return answerInvalid(deps, error, req, reply);
    const { status, key, code } = classify(error);
    if (status >= 500) req.log.error({ err: error }, 'request failed');
    if (wantsJson(req)) return apiError(reply, status, code, req.t(`platform.error.${key}.title`));
    try {
      return await errorPage(deps, req, reply, status, key);
    } catch (pageError) {
      req.log.error({ err: pageError }, 'error page failed');
      return reply.code(status).type('text/plain; charset=utf-8').send(req.t(`platform.error.${key}.title`));
    }
  });

  app.setNotFoundHandler(async (req, reply) => {
    if (wantsJson(req)) return apiError(reply, 404, 'not_found', req.t('platform.error.notFound.title'));
    return errorPage(deps, req, reply, 404, 'notFound');
  });
}

/** Answers 404 for what the user may not even know exists, 403 for what they can see but not change. */
export function forbidden(deps: Deps, req: FastifyRequest, reply: FastifyReply) {
  if (wantsJson(req)) return apiError(reply, 403, 'forbidden', req.t('platform.error.forbidden.title'));
  return errorPage(deps, req, reply, 403, 'forbidden');
}

export function notFound(deps: Deps, req: FastifyRequest, reply: FastifyReply) {
  if (wantsJson(req)) return apiError(reply, 404, 'not_found', req.t('platform.error.notFound.title'));
  return errorPage(deps, req, reply, 404, 'notFound');
}
