import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { App } from '../http/deps.ts';

/** OpenAPI 3.1 from the routes' TypeBox schemas, at /api/openapi.json, with a docs page at /api/docs. */
export async function registerOpenApi(app: App): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Hromada API', version: '1', description: 'Open-government platform of an association of municipalities.' },
      tags: [{ name: 'platform', description: 'Municipalities and the platform itself' }],
    },
    // Only the JSON API belongs in the document, not HTML pages.
    transform: ({ schema, url }) => ({ schema: { ...(schema ?? {}), hide: !url.startsWith('/api/v1') } as never, url }),
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'list' } });
}
