// What the write-rush benchmarks share (bench/petition-sign.ts, bench/pb-vote.ts): the baseline of plain single-row
// INSERTs through the app's own driver, the CPU of this machine's PostgreSQL processes, and each rusher's form body
// (its CSRF token, bound to its session) loaded once before the clock starts, as a browser has it.
import fs from 'node:fs';
import { sql } from 'kysely';
import type { BuiltApp } from '../../src/app.ts';
import type { Database } from '../../src/db/database.ts';
import { randomToken, tokenHash } from '../../src/platform/auth/tokens.ts';
import { csrfTokenFrom } from '../../src/platform/testing/http.ts';
import { freshDatabase } from './server.ts';

/**
 * `n` residents of the municipality confirmed by an official, e-mail verified, each with a live session: their
 * session tokens. `prefix` names them (`signer12@bench2.example`), so several kinds can live in one database.
 */
export async function seedRushers(db: Database, municipalityId: number, prefix: string, n: number): Promise<string[]> {
  const { rows } = await sql<{ id: number }>`INSERT INTO users (email, full_name, locale, email_verified_at)
    SELECT ${prefix} || g || '@bench' || (g % 50) || '.example', 'Resident ' || g, 'uk', now() FROM generate_series(1, ${n}::int) g RETURNING id`.execute(db);
  await sql`INSERT INTO resident_verifications (municipality_id, user_id, method)
    SELECT ${municipalityId}, id, 'official' FROM unnest(${sql.val(rows.map((r) => r.id))}::bigint[]) AS id`.execute(db);
  const tokens = rows.map(() => randomToken());
  const expires = new Date(Date.now() + 86_400_000);
  for (let i = 0; i < rows.length; i += 2000) {
    await db.insertInto('sessions').values(rows.slice(i, i + 2000).map((r, j) => ({
      id: tokenHash(tokens[i + j]!), user_id: r.id, expires_at: expires, last_seen_at: new Date(), ip: '127.0.0.1', user_agent: 'bench',
    }))).execute();
  }
  return tokens;
}

export interface Timing { rate: number; p50: number; p99: number }

/** The baseline's table, made in the server's seed. */
export const createBaselineTable = (built: BuiltApp) =>
  sql`CREATE TABLE bench_baseline (id bigserial PRIMARY KEY, target_id bigint NOT NULL, user_id bigint NOT NULL, at timestamptz NOT NULL DEFAULT now())`.execute(built.deps.db);

/** Plain single-row INSERTs through the app's own Kysely and driver, `connections` at a time (a server task). */
export async function baseline(built: BuiltApp, n: number, connections: number): Promise<Timing> {
  const db = built.deps.db;
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: connections }, async () => {
    while (next < n) {
      const i = next++;
      const t0 = performance.now();
      await sql`INSERT INTO bench_baseline (target_id, user_id) VALUES (${1}, ${i})`.execute(db);
      latencies.push(performance.now() - t0);
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { rate: latencies.length / seconds, p50: latencies[Math.floor(latencies.length * 0.5)]!, p99: latencies[Math.floor(latencies.length * 0.99)]! };
}

export const timingLine = (t: Timing) => `${t.rate.toFixed(0)} rows/s  p50 ${t.p50.toFixed(1)} ms  p99 ${t.p99.toFixed(1)} ms`;

/** The CSRF secret cookie the server sets on a first page of a signed-in session: one serves every rusher. */
export async function csrfCookieOf(url: string, token: string): Promise<string> {
  const page = await fetch(url, { headers: { cookie: `hromada_session=${token}` } });
  return /(_csrf=[^;]+)/.exec(page.headers.get('set-cookie') ?? '')![1]!;
}

/** Each rusher's `_csrf=…` body part, from a page with a form loaded with that rusher's session, 16 at a time. */
export async function csrfBodies(url: string, tokens: readonly string[], csrfCookie: string): Promise<Map<string, string>> {
  const bodies = new Map<string, string>();
  let next = 0;
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next < tokens.length) {
      const token = tokens[next++]!;
      const form = await fetch(url, { headers: { cookie: `hromada_session=${token}; ${csrfCookie}` } });
      bodies.set(token, `_csrf=${encodeURIComponent(csrfTokenFrom(await form.text())!)}`);
    }
  }));
  return bodies;
}

/** CPU milliseconds used so far by this machine's PostgreSQL processes (Linux /proc), or null where unreadable. */
export function postgresCpuMs(): number | null {
  try {
    let ticks = 0;
    for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
      try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
        if (!stat.includes('(postgres)')) continue;
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
      } catch { /* the process ended meanwhile */ }
    }
    return ticks * 10; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

/**
 * The parent's part of a rush benchmark: a throw-away database `name` on the PostgreSQL server, then the rush on
 * it (`BENCH_USERS`, default 20 000) and on PGlite (`BENCH_PGLITE_USERS`, 5 000), as `BENCH_TARGETS` lists them.
 */
export async function rushTargets(name: string, rush: (target: string, env: Record<string, string>, users: number) => Promise<void>): Promise<void> {
  const db = await freshDatabase(name);
  try {
    const targets = (process.env.BENCH_TARGETS ?? 'postgres,pglite').split(',');
    if (targets.includes('postgres')) await rush('postgres', { DATABASE_URL: db.url }, Number(process.env.BENCH_USERS ?? 20_000));
    if (targets.includes('pglite')) await rush('pglite', { DATABASE_URL: '' }, Number(process.env.BENCH_PGLITE_USERS ?? 5_000));
  } finally {
    await db.drop();
  }
}
