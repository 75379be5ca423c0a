import { sql } from 'kysely';
import client from 'prom-client';
import type { App, Deps } from '../http/deps.ts';

const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry });
const httpDuration = new client.Histogram({
  name: 'hromada_http_request_duration_seconds',
  help: 'HTTP request duration by route and status',
  labelNames: ['method', 'route', 'status'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [registry],
});
const jobsGauge = new client.Gauge({
  name: 'hromada_jobs', help: 'Jobs by state', labelNames: ['state'], registers: [registry],
});

/** Health, readiness and Prometheus metrics. */
export function registerOps(app: App, deps: Deps): void {
  app.addHook('onResponse', async (req, reply) => {
    httpDuration.observe(
      { method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    try {
      await sql`SELECT 1`.execute(deps.db);
      return { status: 'ready', database: deps.dialect };
    } catch {
      return reply.code(503).send({ status: 'unavailable', database: deps.dialect });
    }
  });

  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    const rows = await deps.db.selectFrom('jobs').select(['state', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('state').execute();
    jobsGauge.reset();
    for (const r of rows) jobsGauge.set({ state: r.state }, Number(r.n));
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}
