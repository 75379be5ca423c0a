import type { FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';
import type { ComponentChildren } from 'preact';
import type { Static, TObject, TSchema } from 'typebox';
import type { FormErrors, FormValues } from '../views/components.tsx';
import { parseBody } from './forms.ts';
import { render } from './render.tsx';
import type { App, Deps } from './deps.ts';

export interface FormView {
  errors: FormErrors;
  values: FormValues;
}

export interface FormRouteSpec<S extends TSchema> {
  url: string;
  schema: S;
  /** Page title (translated). */
  title(req: FastifyRequest): string;
  /** The page with its form, given errors and the values typed so far. */
  view(req: FastifyRequest, form: FormView): ComponentChildren | Promise<ComponentChildren>;
  /** Runs before GET and POST; sending a response (redirect to sign-in, 403…) stops the route. */
  guard?(req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | void> | FastifyReply | void;
  /** Initial values on GET. */
  initial?(req: FastifyRequest): FormValues | Promise<FormValues>;
  /** Does the work; returns a reply (usually a 303 redirect) or field errors to show on the form. */
  handle(value: Static<S>, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | FormErrors>;
  /** The query parameters the page reads (validated on GET and POST; see platform/http/input.ts). */
  query?: TObject;
  /** Extra route options for the POST (rate limits). */
  postOptions?: RouteShorthandOptions;
}

/**
 * GET shows a form; POST validates it against the schema and either does the work or shows the form again
 * (status 400) with an error summary, field messages and what the user typed. Nothing is written on bad input.
 */
export function formRoute<S extends TSchema>(app: App, deps: Deps, spec: FormRouteSpec<S>): void {
  const show = async (req: FastifyRequest, reply: FastifyReply, form: FormView, status: number) =>
    render(deps, req, reply, { title: spec.title(req), status, body: await spec.view(req, form) });

  app.get(spec.url, { schema: { hide: true, ...(spec.query ? { querystring: spec.query } : {}) } }, async (req, reply) => {
    await spec.guard?.(req, reply);
    if (reply.sent) return reply;
    return show(req, reply, { errors: {}, values: (await spec.initial?.(req)) ?? {} }, 200);
  });

  // The form's schema rides in the route's config so tests that walk every route can fill its fields.
  const config = { ...((spec.postOptions?.config as object | undefined) ?? {}), form: spec.schema } as RouteShorthandOptions['config'];
  app.post(spec.url, { ...(spec.postOptions ?? {}), config, schema: { hide: true, ...(spec.query ? { querystring: spec.query } : {}) } }, async (req, reply) => {
    await spec.guard?.(req, reply);
    if (reply.sent) return reply;
    const parsed = parseBody(spec.schema, req.body, req.t);
    if (!parsed.ok) return show(req, reply, { errors: parsed.errors, values: parsed.values }, 400);
    // A FastifyReply is thenable: awaiting one waits until it is sent and yields undefined, so "sent" is the signal.
    const result = await spec.handle(parsed.value, req, reply);
    if (reply.sent || !result) return reply;
    // A handler may have set a status of its own for its errors (429 while an attempt limit holds).
    const status = reply.statusCode >= 400 ? reply.statusCode : 400;
    return show(req, reply, { errors: result as FormErrors, values: parsed.value as FormValues }, status);
  });
}
