import { ensureLedgerLog } from './platform/ledger/log.ts';
import { buildMissingTrees } from './platform/ledger/upgrade.ts';
import { registerLedgerApi } from './platform/ledger/routes.ts';
import { registerLedgerDirectory } from './platform/ledger/directory.ts';
import { registerCosignatures } from './platform/ledger/witness/cosign.ts';
import { registerReceiptCheck } from './platform/ledger/receipt.web.tsx';
import Fastify from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import { registerSecurityHeaders } from './platform/http/security-headers.ts';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from './config.ts';
import type { DatabaseHandle } from './db/database.ts';
import { modules } from './modules/index.ts';
import { sharedSecret } from './platform/auth/secrets.ts';
import { registerAuthRoutes } from './platform/auth/routes.ts';
import { registerAssets, buildAssets } from './platform/http/assets.ts';
import type { App, Deps } from './platform/http/deps.ts';
import { registerCsrf } from './platform/http/csrf.ts';
import { registerErrorHandlers } from './platform/http/errors.tsx';
import { registerCompression } from './platform/http/encoding.ts';
import { registerPageCache } from './platform/http/page-cache.ts';
import { postgresRateLimitStore } from './platform/http/rate-limit-store.ts';
import { registerRequestContext } from './platform/http/request-context.ts';
import { createWorker, type Worker } from './platform/jobs/worker.ts';
import { createMailer } from './platform/notify/mailer.ts';
import { platformJobs } from './platform/jobs/handlers.ts';
import { diskStorage } from './platform/files/storage.ts';
import { identifiers } from './platform/auth/identifiers.ts';
import { registerOps } from './platform/ops/ops.ts';
import { registerOpenApi } from './platform/ops/openapi.ts';
import { registerPlatformPages } from './platform/pages.ts';
import { hostMap } from './platform/tenancy/municipality.repo.ts';
import { RESERVED_SLUGS } from './platform/http/request-context.ts';
import { isLocale } from './platform/i18n/i18n.ts';
import { registerFileRoutes } from './platform/files/files.web.ts';
import { registerSiteFiles } from './platform/site/routes.ts';
import { registerInputRules, type RouteEntry } from './platform/http/input.ts';
import { forgetOldKeys } from './platform/idempotency/once.ts';

export interface BuiltApp {
  app: App;
  deps: Deps;
  worker: Worker;
  /** Every registered route (the property test of bad input walks them all). */
  routes: RouteEntry[];
  /** Re-reads which host names serve which municipality. */
  refreshHosts(): Promise<void>;
  close(): Promise<void>;
}

/** Builds the whole web application on an open, migrated database. */
export async function buildApp(config: Readonly<Config>, handle: DatabaseHandle): Promise<BuiltApp> {
  const { db } = handle;
  let hosts = await hostMap(db);
  const app = Fastify({
    logger: { level: config.logLevel, redact: ['req.headers.cookie', 'req.headers.authorization'] },
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    // A municipality on its own host: `/uk/…` there means `/uk/<slug>/…`.
    rewriteUrl(req) {
      const url = req.url ?? '/';
      const host = (req.headers.host ?? '').split(':')[0]!.toLowerCase();
      const slug = hosts.get(host);
      if (!slug) return url;
      const m = /^\/([A-Za-z-]+)(\/[^/?]*)?(.*)$/.exec(url);
      if (!m || !isLocale(m[1])) return url;
      const second = (m[2] ?? '').slice(1);
      if (second === slug || RESERVED_SLUGS.includes(second)) return url;
      return `/${m[1]}/${slug}${m[2] ?? '/'}${m[3] ?? ''}`;
    },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;

  const deps: Deps = {
    config,
    db,
    dialect: handle.dialect,
    mailer: createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, db, log: (line) => app.log.info(line) }),
    storage: diskStorage(`${config.dataDir}/files`),
    identifiers: await identifiers(config, db),
  };
  // The ledger's log name and first key at first start; trees for chains written before they existed.
  await ensureLedgerLog(db, new URL(config.baseUrl).host);
  await buildMissingTrees(db);

  // Every cookie is Secure when the site is served over https (session, CSRF secret, flash, sign-in flow).
  await app.register(cookie, { secret: await sharedSecret(db, 'cookie'), parseOptions: { secure: config.baseUrl.startsWith('https:') } });
  await app.register(formbody);
  await app.register(multipart, { limits: { fileSize: config.uploadMaxBytes, files: 5, fields: 50 } });
  registerSecurityHeaders(app, {
    contentSecurityPolicy: {
      directives: {
        'img-src': ["'self'", 'data:', new URL(config.tileUrl.replace(/[{}]/g, '')).origin],
        'upgrade-insecure-requests': config.baseUrl.startsWith('https:') ? [] : null,
      },
    },
    hsts: config.baseUrl.startsWith('https:'),
  });
  await app.register(rateLimit, {
    global: false,
    store: postgresRateLimitStore(db),
    skipOnError: false,
    ...(config.rateLimits ? {} : { allowList: () => true }),
  });
  await registerCompression(app);
  // Before the request context: a cached anonymous page is sent without looking up session or municipality.
  if (config.pageCacheMs > 0) registerPageCache(app, config.pageCacheMs);
  registerRequestContext(app, deps);
  const routes = registerInputRules(app);
  // Before any route: a route takes the error handler in force when it is registered.
  registerErrorHandlers(app, deps);
  await registerCsrf(app, db, config);

  await buildAssets();
  await registerOpenApi(app, modules.flatMap((m) => (m.openapi ? [m.openapi] : [])));
  registerOps(app, deps);
  registerAssets(app);
  registerFileRoutes(app, deps);
  registerSiteFiles(app, deps);
  registerLedgerApi(app, deps);
  registerLedgerDirectory(app, deps);
  registerCosignatures(app, deps);
  registerReceiptCheck(app, deps);
  await registerAuthRoutes(app, deps);
  await registerPlatformPages(app, deps);
  for (const mod of modules) await mod.routes?.(app, deps);

  const handlers = { ...platformJobs, ...Object.assign({}, ...modules.map((m) => m.jobs ?? {})) };
  const worker = createWorker(deps, handlers, app.log, 1000, [forgetOldKeys, ...modules.flatMap((m) => m.periodic ?? [])]);
  const timer = setInterval(() => {
    hostMap(db).then((h) => (hosts = h)).catch((err) => app.log.warn({ err }, 'host map refresh failed'));
  }, 30_000);
  timer.unref();

  return {
    app,
    deps,
    worker,
    routes,
    refreshHosts: async () => {
      hosts = await hostMap(db);
    },
    async close() {
      clearInterval(timer);
      await worker.stop();
      await app.close();
    },
  };
}
