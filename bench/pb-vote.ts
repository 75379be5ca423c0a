// A voting-day rush in the participatory budget (issue 15, "Done means"): many distinct signed-in residents confirm
// 5-project ballots over HTTP at once (POST …/ballot/cast, as the confirmation page's button sends it). First a
// warm-up rush on another cycle (a server up a while has its code compiled), then a baseline of plain single-row
// INSERTs through the same driver, the rush (ballots/s, latency as this separate client process sees it, server
// and PostgreSQL CPU per ballot), the baseline again and the ratio against the mean of both; then the checks:
// every acknowledged ballot is in pb_ballots once, and the cycle's chain, once sealed, re-counts to the same number
// with the checker of `hromada verify-ledger` (hash chain, tree, signed checkpoint and the pb meaning).
// Usage: npm run bench:vote   (PostgreSQL server from DATABASE_URL_BENCH, default postgres://postgres@127.0.0.1:5432/postgres,
//        then PGlite; BENCH_USERS=20000, BENCH_PGLITE_USERS=5000, BENCH_WARMUP=5000 (voters of the warm-up cycle),
//        BENCH_CONNECTIONS=64, BENCH_TARGETS=postgres,pglite; BENCH_PROFILE=dir writes the server's CPU profile of the
//        rush there). Targets only 127.0.0.1.
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { BuiltApp } from '../src/app.ts';
import { queuedCount } from '../src/platform/ledger/queue.ts';
import { verifyLedger } from '../src/platform/ledger/verify/verify-ledger.ts';
import { seedProjects } from '../src/modules/participatory-budget/ballots/testing.ts';
import { cycleChain } from '../src/modules/participatory-budget/paths.ts';
import { pbMeaning } from '../src/modules/participatory-budget/results/meaning.ts';
import { pbTown, resident, seedCycle } from '../src/modules/participatory-budget/testing.ts';
import { httpRush, percentile, requestBytes } from './lib/http-rush.ts';
import { baseline, createBaselineTable, csrfBodies, csrfCookieOf, postgresCpuMs, rushTargets, seedRushers, timingLine, type Timing } from './lib/rush-kit.ts';
import { serveChild, startChild } from './lib/server.ts';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const CHOICES = 5;
interface Seed { slug: string; municipalityId: number; cycle: number; warmUp: number; projects: number[]; warmProjects: number[]; tokens: string[] }

/** Seeds in the server process: a town, two cycles in voting (approval of up to 5) of 20 projects each, and the voters. */
async function seed(built: BuiltApp): Promise<Seed> {
  const db = built.deps.db;
  const town = await pbTown(db, 'benchtown');
  const author = await resident(db, 'author@bench.example', town);
  const cycle = async () => {
    const { cycle: c, categories } = await seedCycle(db, town, { phase: 'voting', rule: 'approval', maxChoices: CHOICES });
    return { number: c.number, projects: await seedProjects(db, town, categories[0]!, author.id, 20) };
  };
  const measured = await cycle();
  const warm = await cycle();
  const tokens = await seedRushers(db, town.id, 'voter', Number(process.env.BENCH_USERS));
  await createBaselineTable(built);
  return { slug: town.slug, municipalityId: town.id, cycle: measured.number, warmUp: warm.number, projects: measured.projects, warmProjects: warm.projects, tokens };
}

/** A cycle's ballots as written, its person keys, and its ledger entries still waiting to be sealed (a server task). */
async function counts(built: BuiltApp, args: unknown) {
  const { municipalityId, cycle } = args as { municipalityId: number; cycle: number };
  const db = built.deps.db;
  const { rows: [row] } = await sql<{ ballots: number; voters: number; keys: number }>`
    SELECT count(*)::int AS ballots, count(DISTINCT b.voter)::int AS voters, (SELECT count(*)::int FROM pb_voters v WHERE v.cycle_id = c.id) AS keys
    FROM pb_cycles c LEFT JOIN pb_ballots b ON b.cycle_id = c.id WHERE c.municipality_id = ${municipalityId} AND c.number = ${cycle} GROUP BY c.id`.execute(db);
  return { ...row!, queued: await queuedCount(db, municipalityId, cycleChain(cycle)) };
}

/** Five distinct projects of the cycle, drawn for one voter. */
function draw(projects: readonly number[]): number[] {
  const pool = [...projects];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, CHOICES);
}

interface Wave { rate: number; p50: number; p99: number; errors: number; acknowledged: number }

/** Every voter of `tokens` POSTs its ballot at once over `CONNECTIONS` connections; acknowledged: 303 to the new receipt. */
async function wave(port: number, ballot: string, tokens: readonly string[], csrfCookie: string, bodies: Map<string, string>, projects: readonly number[]): Promise<Wave> {
  const requests = tokens.map((token) => requestBytes('POST', `${ballot}/cast`, {
    'content-type': 'application/x-www-form-urlencoded', cookie: `hromada_session=${token}; ${csrfCookie}`,
  }, `${bodies.get(token)!}&${draw(projects).map((n) => `choices=${n}`).join('&')}&version=0`));
  const { answers, errors, seconds } = await httpRush(port, requests, CONNECTIONS);
  const acknowledged = answers.filter((a) => a.status === 303 && /\/receipt\?cast=new$/.test(a.location ?? '')).length;
  return { rate: acknowledged / seconds, p50: percentile(answers, 50), p99: percentile(answers, 99), errors, acknowledged };
}

async function rush(target: string, env: Record<string, string>, users: number) {
  const warm = Number(process.env.BENCH_WARMUP ?? 5000);
  const server = startChild<Seed>(fileURLToPath(import.meta.url), 'serve', { ...env, BENCH_USERS: String(users + warm) });
  const seeded = await server.ready;
  const { port, slug, municipalityId, tokens } = seeded;
  const say = (what: string) => process.stderr.write(`[${target}] ${what}\n`);
  const base = `http://127.0.0.1:${port}`;
  const ballotOf = (n: number) => `/uk/${slug}/participatory-budget/cycles/${n}/ballot`;
  say(`seeded ${users + warm} voters`);
  try {
    // One CSRF secret cookie serves every voter; each token is bound to its session, so each voter loads the
    // ballot page once first, as a browser does (not timed).
    const csrfCookie = await csrfCookieOf(`${base}${ballotOf(seeded.cycle)}`, tokens[0]!);
    const bodies = await csrfBodies(`${base}${ballotOf(seeded.cycle)}`, tokens, csrfCookie);
    say(`loaded ${tokens.length} ballot pages`);
    if (warm > 0) {
      const w = await wave(port, ballotOf(seeded.warmUp), tokens.slice(users), csrfCookie, bodies, seeded.warmProjects);
      say(`warmed up with ${w.acknowledged} ballots in another cycle`);
    }
    const before = await server.run<Timing>('baseline', users);
    say('baseline done; rush starts');
    const profile = process.env.BENCH_PROFILE;
    if (profile) await server.run('profileStart');
    const cpu0 = { server: await server.run<NodeJS.CpuUsage>('cpu'), postgres: postgresCpuMs(), client: process.cpuUsage() };
    const voted = await wave(port, ballotOf(seeded.cycle), tokens.slice(0, users), csrfCookie, bodies, seeded.projects);
    const cpu1 = { server: await server.run<NodeJS.CpuUsage>('cpu'), postgres: postgresCpuMs(), client: process.cpuUsage(cpu0.client) };
    if (profile) await server.run('profileStop', `${profile}/${target}-voting.cpuprofile`);
    say('voters done; the baseline again');
    const after = await server.run<Timing>('baseline', users);

    const started = performance.now();
    let c = await server.run<{ ballots: number; voters: number; keys: number; queued: number }>('counts', { municipalityId, cycle: seeded.cycle });
    while (c.queued > 0 && performance.now() - started < 120_000) {
      await new Promise((r) => setTimeout(r, 250));
      c = await server.run('counts', { municipalityId, cycle: seeded.cycle });
    }
    const lag = (performance.now() - started) / 1000;
    const ledger = await verifyLedger({ source: `${base}/api/v1/${slug}/ledger/${cycleChain(seeded.cycle)}/entries.json` }, { pb: pbMeaning });
    const baseRate = (before.rate + after.rate) / 2;
    console.log(`[${target}] baseline  plain INSERT x${users} (${CONNECTIONS} at once)  before ${timingLine(before)}; after ${timingLine(after)}`);
    console.log(`[${target}] voting    POST /ballot/cast x${users} (${CHOICES} projects each, ${CONNECTIONS} conns)  ${voted.rate.toFixed(0)} ballots/s  p50 ${voted.p50.toFixed(0)} ms  p99 ${voted.p99.toFixed(0)} ms  errors ${voted.errors}  non-303 ${users - voted.acknowledged}`);
    const serverUs = (cpu1.server.user + cpu1.server.system - cpu0.server.user - cpu0.server.system) / voted.acknowledged;
    const pgUs = target === 'postgres' && cpu0.postgres !== null ? `, PostgreSQL ${((cpu1.postgres! - cpu0.postgres) * 1000 / voted.acknowledged).toFixed(0)} µs` : '';
    console.log(`[${target}] cpu       per ballot: server ${serverUs.toFixed(0)} µs${pgUs}, load generator ${((cpu1.client.user + cpu1.client.system) / voted.acknowledged).toFixed(0)} µs`);
    console.log(`[${target}] ratio     ballots/s over HTTP / plain INSERT rows/s (mean of before and after) = ${(voted.rate / baseRate).toFixed(3)}`);
    const ok = ledger.result.ok && ledger.result.count === voted.acknowledged;
    const intact = voted.acknowledged === users && c.ballots === users && c.voters === users && c.keys === users && ok;
    console.log(`[${target}] check     acknowledged ${voted.acknowledged}, in pb_ballots ${c.ballots} (${c.voters} voters, ${c.keys} person keys), ledger ${ledger.text.split('\n').pop()}; sealed ${lag.toFixed(1)} s after the rush: ${intact ? 'nothing lost or doubled' : 'MISMATCH'}`);
    if (!intact) process.exitCode = 1;
  } finally {
    await server.stop();
  }
}

if (process.argv[2] === 'serve') {
  await serveChild(seed, { baseline: (built, n) => baseline(built, n as number, CONNECTIONS), counts });
} else {
  await rushTargets('hromada_bench_vote', rush);
}
