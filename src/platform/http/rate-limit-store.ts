import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';

type Callback = (err: Error | null, result?: { current: number; ttl: number }) => void;

/**
 * @fastify/rate-limit store in PostgreSQL, so several web processes share one count
 * (one upsert per hit; fixed windows).
 */
export function postgresRateLimitStore(db: Database) {
  return class PostgresStore {
    constructor(private readonly options: { timeWindow?: number; routeInfo?: { url?: string } }) {}
    incr(key: string, cb: Callback, timeWindow: number) {
      const scoped = `${this.options.routeInfo?.url ?? 'global'}|${key}`;
      const window = `${Math.max(1, Math.round(timeWindow))} milliseconds`;
      sql<{ count: number; ttl: number }>`
        INSERT INTO rate_limits (key, count, reset_at) VALUES (${scoped}, 1, now() + ${window}::interval)
        ON CONFLICT (key) DO UPDATE SET
          count = CASE WHEN rate_limits.reset_at <= now() THEN 1 ELSE rate_limits.count + 1 END,
          reset_at = CASE WHEN rate_limits.reset_at <= now() THEN now() + ${window}::interval ELSE rate_limits.reset_at END
        RETURNING count, (extract(epoch FROM reset_at - now()) * 1000)::integer AS ttl`
        .execute(db)
        .then((r) => {
          const row = r.rows[0]!;
          cb(null, { current: Number(row.count), ttl: Math.max(0, Number(row.ttl)) });
        })
        .catch((e: Error) => cb(e));
    }
    child(routeOptions: object) {
      return new PostgresStore({ ...this.options, ...(routeOptions as { timeWindow?: number; routeInfo?: { url?: string } }) });
    }
  };
}
