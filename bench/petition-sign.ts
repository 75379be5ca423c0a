// A signing rush on one petition: many distinct signed-in residents POST the sign form over HTTP at once.
// First a warm-up rush on another petition (a server that has been up a while has its code compiled; the
// measured rush should not pay for the JIT), then a baseline of plain single-row INSERTs through the same
// driver, the rush (signatures/s, latency, server and PostgreSQL CPU per signature), the baseline again,
// and the ratio; then a second rush while readers load the petition page (its requests/s); then checks
// that every acknowledged signature is counted once and sealed into a ledger that re-counts to the same number.
// Usage: npm run bench:sign   (PostgreSQL server from DATABASE_URL_BENCH, default postgres://postgres@127.0.0.1:5432/postgres,
//        then PGlite; BENCH_USERS=20000, BENCH_PGLITE_USERS=5000, BENCH_WARMUP=5000 (signers of the
//        warm-up petition), BENCH_CONNECTIONS=64, BENCH_PAGE_CONNECTIONS=32 (anonymous readers of the page
//        during the second rush, on the same lean generator, accepting brotli and gzip); BENCH_PROFILE=dir writes the
//        server's CPU profile of the signing rush there). Targets only 127.0.0.1.
import { fileURLToPath } from 'node:url';
import type { BuiltApp } from '../src/app.ts';
import { openPetition, petitionTown, resident } from '../src/modules/petitions/testing.ts';
import { verifyLedger } from '../src/modules/petitions/data/verify-ledger.ts';
import { serveChild, startChild } from './lib/server.ts';
import { baseline, createBaselineTable, csrfBodies, csrfCookieOf, postgresCpuMs, rushTargets, seedRushers, timingLine, type Timing } from './lib/rush-kit.ts';
import { BROWSER_HEADERS, httpLoop, httpRush, percentile, requestBytes, type LoopResult } from './lib/http-rush.ts';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const PAGE_CONNECTIONS = Number(process.env.BENCH_PAGE_CONNECTIONS ?? 32);
interface Seed { slug: string; number: number; warmUp: number; tokens: string[] }

/** Seeds in the server process: a town, an open petition and `BENCH_USERS` verified residents with live sessions. */
async function seed(built: BuiltApp): Promise<Seed> {
  const db = built.deps.db;
  const users = Number(process.env.BENCH_USERS);
  const town = await petitionTown(db, 'benchtown', { threshold: 1000, signLevel: 'resident' });
  const author = await resident(db, 'author@bench.example', town);
  const moderator = await resident(db, 'moderator@bench.example', town, { role: 'moderator' });
  const p = await openPetition(db, town, author.current, moderator.id, 'Bench petition');
  const warmUp = await openPetition(db, town, author.current, moderator.id, 'Warm-up petition');
  const tokens = await seedRushers(db, town.id, 'signer', users);
  await createBaselineTable(built);
  return { slug: town.slug, number: p.number, warmUp: warmUp.number, tokens };
}

interface Wave { rate: number; p50: number; p99: number; errors: number; acknowledged: number; page?: LoopResult }

/**
 * `tokens.length` signers POST /sign at once over `CONNECTIONS` connections; with `readers`, anonymous visitors
 * load the petition page meanwhile as a browser does (accepting brotli and gzip), each again as soon as it has it.
 */
async function wave(base: string, path: string, tokens: string[], csrfCookie: string, bodies: Map<string, string>, readers: number): Promise<Wave> {
  const port = Number(new URL(base).port);
  const page = readers > 0 ? httpLoop(port, requestBytes('GET', path, BROWSER_HEADERS), readers) : null;
  const requests = tokens.map((token) => requestBytes('POST', `${path}/sign`, {
    'content-type': 'application/x-www-form-urlencoded', cookie: `hromada_session=${token}; ${csrfCookie}`,
  }, bodies.get(token)!));
  const { answers, errors, seconds } = await httpRush(port, requests, CONNECTIONS);
  const pageResult = page?.stop();
  const acknowledged = answers.filter((a) => a.status === 303 && /\/receipt\?signed=new$/.test(a.location ?? '')).length;
  return {
    rate: acknowledged / seconds, p50: percentile(answers, 50), p99: percentile(answers, 99), errors, acknowledged,
    ...(pageResult ? { page: pageResult } : {}),
  };
}

/** Waits until the sealing task (every second, in the server's worker) has sealed every signature of a petition. */
async function sealed(base: string, slug: string, number: number) {
  let count = { signatures: 0, sealed: -1 };
  const started = performance.now();
  while (count.sealed !== count.signatures && performance.now() - started < 120_000) {
    await new Promise((r) => setTimeout(r, 200));
    count = await (await fetch(`${base}/api/v1/${slug}/petitions/${number}/count`)).json() as typeof count;
  }
  return { ...count, lag: (performance.now() - started) / 1000 };
}

/**
 * One target: the warm-up, the baseline, a rush of `users` signers alone (signatures/s, latency, the ratio), the
 * baseline again (the ratio is taken against the mean of both, as this machine's speed drifts), then a
 * quarter as many signers while readers load the petition page; then every signature is checked.
 */
async function rush(target: string, env: Record<string, string>, users: number) {
  const second = Math.max(1, Math.floor(users / 4));
  const warm = Number(process.env.BENCH_WARMUP ?? 5000);
  const server = startChild<Seed>(fileURLToPath(import.meta.url), 'serve', { ...env, BENCH_USERS: String(users + second + warm) });
  const { port, slug, number, warmUp, tokens } = await server.ready;
  const say = (what: string) => process.stderr.write(`[${target}] ${what}\n`);
  say(`seeded ${users + second + warm} signers`);
  const base = `http://127.0.0.1:${port}`;
  const path = `/uk/${slug}/petitions/${number}`;
  try {
    // One CSRF secret cookie serves every signer; each token is bound to its session, so each signer loads the
    // sign form once first, as a browser does (not timed).
    const csrfCookie = await csrfCookieOf(`${base}${path}/sign`, tokens[0]!);
    const body = await csrfBodies(`${base}${path}/sign`, tokens, csrfCookie);
    say(`loaded ${tokens.length} sign forms`);
    if (warm > 0) {
      await wave(base, `/uk/${slug}/petitions/${warmUp}`, tokens.slice(users + second), csrfCookie, body, 0);
      await sealed(base, slug, warmUp);
      say(`warmed up with ${warm} signatures on another petition`);
    }
    const before = await server.run<Timing>('baseline', users);
    say('baseline done; rush starts');
    const profile = process.env.BENCH_PROFILE;
    if (profile) await server.run('profileStart');
    const cpu0 = { server: await server.run<NodeJS.CpuUsage>('cpu'), postgres: postgresCpuMs(), client: process.cpuUsage() };
    const alone = await wave(base, path, tokens.slice(0, users), csrfCookie, body, 0);
    const cpu1 = { server: await server.run<NodeJS.CpuUsage>('cpu'), postgres: postgresCpuMs(), client: process.cpuUsage(cpu0.client) };
    if (profile) await server.run('profileStop', `${profile}/${target}-signing.cpuprofile`);
    say('signers done; the baseline again');
    const after = await server.run<Timing>('baseline', users);
    say('rush done; a second rush with readers of the petition page');
    const read = await wave(base, path, tokens.slice(users, users + second), csrfCookie, body, PAGE_CONNECTIONS);
    const acknowledged = alone.acknowledged + read.acknowledged;

    const count = await sealed(base, slug, number);
    const ledger = await verifyLedger(`${base}/api/v1/${slug}/petitions/${number}/ledger.json`);
    const baseRate = (before.rate + after.rate) / 2;
    console.log(`[${target}] baseline  plain INSERT x${users} (${CONNECTIONS} at once)  before ${timingLine(before)}; after ${timingLine(after)}`);
    console.log(`[${target}] signing   POST /sign x${users} (${CONNECTIONS} conns)  ${alone.rate.toFixed(0)} signatures/s  p50 ${alone.p50.toFixed(0)} ms  p99 ${alone.p99.toFixed(0)} ms  errors ${alone.errors}  non-303 ${users - alone.acknowledged}`);
    const serverUs = (cpu1.server.user + cpu1.server.system - cpu0.server.user - cpu0.server.system) / alone.acknowledged;
    const pgUs = target === 'postgres' && cpu0.postgres !== null ? `, PostgreSQL ${((cpu1.postgres! - cpu0.postgres) * 1000 / alone.acknowledged).toFixed(0)} µs` : '';
    const clientUs = (cpu1.client.user + cpu1.client.system) / alone.acknowledged;
    console.log(`[${target}] cpu       per signature: server ${serverUs.toFixed(0)} µs${pgUs}, load generator ${clientUs.toFixed(0)} µs`);
    console.log(`[${target}] ratio     signatures/s over HTTP / plain INSERT rows/s (mean of before and after) = ${(alone.rate / baseRate).toFixed(3)}`);
    const pg = read.page;
    console.log(`[${target}] reading   POST /sign x${second} while ${PAGE_CONNECTIONS} readers load the page: ${read.rate.toFixed(0)} signatures/s (${(read.rate / alone.rate).toFixed(2)} of the rush alone)  p99 ${read.p99.toFixed(0)} ms; page ${pg?.rps.toFixed(0)} req/s  p50 ${pg?.p50.toFixed(1)} ms  p99 ${pg?.p99.toFixed(1)} ms  ${((pg?.bytesPerAnswer ?? 0) / 1024).toFixed(1)} KB/answer as received  non-2xx ${pg?.non2xx}`);
    const intact = count.signatures === acknowledged && ledger.result.ok && ledger.result.count === acknowledged && acknowledged === users + second;
    console.log(`[${target}] check     acknowledged ${acknowledged}, counted ${count.signatures}, ledger ${ledger.text}; sealed ${count.lag.toFixed(1)} s after the rush: ${intact ? 'nothing lost or doubled' : 'MISMATCH'}`);
    if (!intact) process.exitCode = 1;
  } finally {
    await server.stop();
  }
}

if (process.argv[2] === 'serve') {
  await serveChild(seed, { baseline: (built, n) => baseline(built, n as number, CONNECTIONS) });
} else {
  await rushTargets('hromada_bench_sign', rush);
}
