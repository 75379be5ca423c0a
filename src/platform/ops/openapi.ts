import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { Type } from 'typebox';
import type { App } from '../http/deps.ts';
import type { OpenApiPart } from '../module.ts';

/** The JSON API's one error shape (docs/API.md), as every operation documents it. */
export const ApiError = Type.Object({
  error: Type.Object({
    code: Type.String({ description: 'Stable: invalid_input, not_found, forbidden, rate_limited, bad_request, internal_error, …' }),
    message: Type.String({ description: 'In the language of the request' }),
    fields: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'What is wrong with each field sent' })),
  }),
});

const error = (description: string) => ({ ...ApiError, description });
type RouteSchema = Record<string, unknown> & { querystring?: { properties?: Record<string, object>; required?: string[] }; params?: object; response?: Record<string, unknown> };

/**
 * What the document says of a route beyond its own schema. A query parameter with a default may be left
 * out, so it is not required (TypeBox lists it as required, since validation fills it in). Every operation
 * documents its errors: 400 where it takes a query or a body, 404 where the path names something (a path
 * parameter that fails its schema names nothing, so it is a 404 too), and 5XX.
 */
export function documented(schema: RouteSchema): RouteSchema {
  const q = schema.querystring;
  const querystring = q?.required && q.properties
    ? { ...q, required: q.required.filter((k) => !(q.properties![k] && 'default' in q.properties![k]!)) }
    : q;
  const response: Record<string, unknown> = { ...(schema.response ?? {}) };
  const errors = {
    ...(q || schema.body ? { 400: error('Bad parameters: invalid_input, naming each field') } : {}),
    ...(schema.params ? { 404: error('Nothing of that name here: not_found') } : {}),
    '5XX': error('The server failed: internal_error'),
  };
  for (const [status, body] of Object.entries(errors)) response[status] ??= body;
  return { ...schema, ...(querystring ? { querystring } : {}), response };
}

/** OpenAPI 3.1 from the routes' TypeBox schemas, at /api/openapi.json, with a docs page at /api/docs; `parts` add what modules document by hand. */
export async function registerOpenApi(app: App, parts: OpenApiPart[] = []): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Hromada API', version: '1', description: 'Open-government platform of an association of municipalities.' },
      tags: [{ name: 'platform', description: 'Municipalities and the platform itself' }, { name: 'ledger', description: 'The public ledger as a transparency log: entries, signed checkpoints, inclusion and consistency proofs, keys and witnesses (docs/LEDGER.md)' }, ...parts.flatMap((p) => p.tags ?? [])],
      paths: Object.assign({}, ...parts.map((p) => p.paths ?? {})) as Record<string, never>,
    },
    // Only the JSON API belongs in the document, not HTML pages; Open311 comes in by hand (`parts`).
    transform: ({ schema, url }) => (url.startsWith('/api/v1') || url.startsWith('/.well-known/hromada-ledger')
      ? { schema: { ...documented((schema ?? {}) as RouteSchema), hide: false } as never, url }
      : { schema: { ...(schema ?? {}), hide: true } as never, url }),
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list' } });
}
