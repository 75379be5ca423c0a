import type { App, Deps } from '../../http/deps.ts';
import { Query, SingleLine } from '../../http/input.ts';
import { safeNext } from '../../http/request-context.ts';
import { checkProviders, dialectOf } from './dialects.ts';
import './id-gov-ua.ts';
import './oidc.ts';
import './saml.ts';

// Never from the shared cache: each start makes a request of its own (a SAML POST page holds a fresh request ID).
const LIMIT = { config: { rateLimit: { max: 30, timeWindow: 5 * 60_000 }, sharedCache: false } };

/**
 * Signing in with an identity provider: `/:locale/auth/with/:provider` starts it for every dialect (the older
 * `/:locale/auth/oidc/:provider` still does), and each dialect registers the routes its providers answer on.
 * Providers are checked against their dialect's settings first, so a mistake stops the start.
 */
export async function registerIdentityRoutes(app: App, deps: Deps): Promise<void> {
  const providers = deps.config.identityProviders;
  checkProviders(providers);
  const byId = new Map(providers.map((p) => [p.id, p]));
  const start = { ...LIMIT, schema: { hide: true, querystring: Query({ next: SingleLine(500) }) } };
  for (const url of ['/:locale/auth/with/:provider', '/:locale/auth/oidc/:provider']) {
    app.get(url, start, async (req, reply) => {
      const provider = byId.get((req.params as { provider: string }).provider);
      if (!provider || (url.includes('/oidc/') && provider.type !== 'oidc')) return reply.callNotFound();
      return dialectOf(provider.type).start(deps, req, reply, provider, { locale: req.locale, next: safeNext((req.query as { next?: unknown }).next, '') || null });
    });
  }
  const types = [...new Set(providers.map((p) => p.type))];
  for (const type of types) await dialectOf(type).routes(app, deps, providers.filter((p) => p.type === type));
}
