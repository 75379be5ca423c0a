import { sql } from 'kysely';
import { batcherPer, createBatcher } from '../../db/batcher.ts';
import type { Database } from '../../db/database.ts';
import { prepared } from '../../db/prepared.ts';

type Callback = (err: Error | null, result?: { current: number; ttl: number }) => void;
interface Hit { key: string; windowMs: number }
interface Count { current: number; ttl: number }

/**
 * Counts the hits arriving together in one upsert. A key hit k times in the batch is counted up by k,
 * and its callers get consecutive counts, as if they had come one after another.
 */
async function countHits(db: Database, hits: Hit[]): Promise<Count[]> {
  const perKey = new Map<string, { windowMs: number; n: number }>();
  for (const h of hits) {
    const k = perKey.get(h.key);
    if (k) k.n += 1;
    else perKey.set(h.key, { windowMs: h.windowMs, n: 1 });
  }
  const keys = [...perKey.keys()];
  const { rows } = await sql<{ key: string; count: number; ttl: number }>`
    INSERT INTO rate_limits AS r (key, count, reset_at)
    SELECT v.key, v.n, now() + v.window_ms * interval '1 millisecond'
    FROM unnest(${sql.val(keys)}::text[], ${sql.val(keys.map((k) => perKey.get(k)!.n))}::int[], ${sql.val(keys.map((k) => perKey.get(k)!.windowMs))}::int[]) AS v(key, n, window_ms)
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN r.reset_at <= now() THEN excluded.count ELSE r.count + excluded.count END,
      reset_at = CASE WHEN r.reset_at <= now() THEN excluded.reset_at ELSE r.reset_at END
    RETURNING key, count, (extract(epoch FROM reset_at - now()) * 1000)::integer AS ttl ${prepared}`.execute(db);
  const byKey = new Map(rows.map((r) => [r.key, { last: Number(r.count), ttl: Math.max(0, Number(r.ttl)), seen: 0 }]));
  return hits.map((h) => {
    const k = byKey.get(h.key)!;
    k.seen += 1;
    return { current: k.last - perKey.get(h.key)!.n + k.seen, ttl: k.ttl };
  });
}

const hitCounter = batcherPer((db: Database) => createBatcher((hits: Hit[]) => countHits(db, hits)));

/**
 * @fastify/rate-limit store in PostgreSQL, so several web processes share one count
 * (fixed windows; the hits of concurrent requests share one upsert; the table is unlogged).
 */
export function postgresRateLimitStore(db: Database) {
  return class PostgresStore {
    constructor(private readonly options: { timeWindow?: number; routeInfo?: { url?: string } }) {}
    incr(key: string, cb: Callback, timeWindow: number) {
      const scoped = `${this.options.routeInfo?.url ?? 'global'}|${key}`;
      hitCounter(db).run({ key: scoped, windowMs: Math.max(1, Math.round(timeWindow)) })
        .then((r) => cb(null, r), (e: Error) => cb(e));
    }
    child(routeOptions: object) {
      return new PostgresStore({ ...this.options, ...(routeOptions as { timeWindow?: number; routeInfo?: { url?: string } }) });
    }
  };
}
