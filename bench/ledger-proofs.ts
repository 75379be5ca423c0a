// The ledger as a transparency log, timed (issue 14, "Speed"), on PostgreSQL and on PGlite:
// 1. sealing cost: batches of 5000 (the petition sealing's batch) through appendToLedger (chain + tree +
//    checkpoint) against the same rows written as the chain alone, as before the tree (lock, head, hashing,
//    insertEntries), alternating, in the server process next to the database;
// 2. a chain of 1,000,000 entries (seeded through appendToLedger in 10,000-entry batches: the real stored
//    layout), then inclusion proofs of random entries and consistency proofs between random checkpointed
//    sizes over HTTP from this process (keep-alive, N connections and one at a time), against /healthz of the
//    same server in the same run (before and after; the ratio is taken against their mean);
// 3. the offline receipt check (checkpoint signature + inclusion proof) in-process, median per check.
// Every proof type is verified on a sample first, so the figures are of right answers.
// Usage: npm run bench:ledger   (PostgreSQL from DATABASE_URL_BENCH, default postgres://postgres@127.0.0.1:5432/postgres,
//        a fresh database; then PGlite; BENCH_TARGETS=postgres,pglite, BENCH_LEDGER_ENTRIES=1000000,
//        BENCH_SEAL_BATCHES=20 (of 5000), BENCH_REQUESTS=20000 (per rush; a tenth one at a time),
//        BENCH_CONNECTIONS=16, BENCH_PROFILE=dir writes the server's CPU profile of the inclusion rush). 127.0.0.1 only.
import { fileURLToPath } from 'node:url';
import type { BuiltApp } from '../src/app.ts';
import { chainName } from '../src/modules/petitions/signature.service.ts';
import { openPetition, petitionTown, resident } from '../src/modules/petitions/testing.ts';
import { freshDatabase, serveChild, startChild } from './lib/server.ts';
import { httpRush, percentile, requestBytes } from './lib/http-rush.ts';
import { sealCost, seedChain, sinceAnalyze, type SealCost } from './lib/ledger-seal.ts';
import { chainVkeys, checkConsistency, inclusionSamples, randomInt, timeOffline } from './lib/ledger-check.ts';

const SEAL_BATCH = 5000;
const SEED_BATCH = 10_000;
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 20_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const RUSH_BAR = { low: 2600, high: 6600 }; // signatures/s that bench:sign measures on this machine (issue 14)
const HEADERS = { accept: 'application/json' };
interface Seed { slug: string; chain: string; sealChain: string; sizes: number[]; a: number; b: number; seedSeconds: number }

/** In the server: a town with an open petition whose chain gets BENCH_LEDGER_ENTRIES entries; a second town for the baseline. */
async function seed(built: BuiltApp): Promise<Seed> {
  const db = built.deps.db;
  const town = await petitionTown(db, 'benchtown');
  const other = await petitionTown(db, 'benchtown-b');
  const author = await resident(db, 'author@bench.example', town);
  const moderator = await resident(db, 'moderator@bench.example', town, { role: 'moderator' });
  const p = await openPetition(db, town, author.current, moderator.id, 'Bench petition with a million ledger entries');
  const chain = chainName(p.number);
  const second = await openPetition(db, town, author.current, moderator.id, 'Bench petition sealed during the run');
  const t0 = performance.now();
  const say = (s: string) => process.stderr.write(`  ${s}\n`);
  const sizes = await seedChain(db, town.id, chain, Number(process.env.BENCH_LEDGER_ENTRIES), SEED_BATCH, say);
  return { slug: town.slug, chain, sealChain: chainName(second.number), sizes, a: town.id, b: other.id, seedSeconds: (performance.now() - t0) / 1000 };
}

interface Rush { rps: number; p50: number; p99: number; bytes: number; bad: number; cpuUs: number }

/** One rush of distinct GETs as the client sees them, with the server's CPU per request. */
async function rush(server: ReturnType<typeof startChild<Seed>>, port: number, paths: string[], connections: number): Promise<Rush> {
  const requests = paths.map((p) => requestBytes('GET', p, HEADERS));
  const cpu0 = await server.run<NodeJS.CpuUsage>('cpu');
  const { answers, errors, seconds } = await httpRush(port, requests, connections);
  const cpu1 = await server.run<NodeJS.CpuUsage>('cpu');
  return {
    rps: answers.length / seconds, p50: percentile(answers, 50), p99: percentile(answers, 99),
    bytes: answers.reduce((s, a) => s + a.bytes, 0) / Math.max(1, answers.length),
    bad: errors + answers.filter((a) => a.status !== 200).length + (paths.length - answers.length),
    cpuUs: (cpu1.user + cpu1.system - cpu0.user - cpu0.system) / Math.max(1, answers.length),
  };
}

const rows: string[][] = [['target', 'measure', 'value', 'unit', 'detail', '', 'ratio']];
const row = (...cells: (string | number)[]) => rows.push(cells.map(String));
const fmt = (x: number, d = 0) => x.toFixed(d);

async function target(name: string, env: Record<string, string>) {
  const say = (s: string) => process.stderr.write(`[${name}] ${s}\n`);
  const entries = Number(name === 'pglite' ? process.env.BENCH_PGLITE_ENTRIES ?? process.env.BENCH_LEDGER_ENTRIES ?? 1_000_000 : process.env.BENCH_LEDGER_ENTRIES ?? 1_000_000);
  say(`seeding a chain of ${entries} entries`);
  const server = startChild<Seed>(fileURLToPath(import.meta.url), 'serve', {
    ...env, RUN_WORKER: 'false', BENCH_LEDGER_ENTRIES: String(entries),
  });
  try {
    const { port, slug, chain, sealChain, sizes, a, b, seedSeconds } = await server.ready;
    const size = sizes.at(-1)!;
    say(`seeded ${size} entries, ${sizes.length} checkpoints, in ${fmt(seedSeconds)} s (${fmt(size / seedSeconds)} entries/s)`);
    const base = `http://127.0.0.1:${port}`;
    const api = `/api/v1/${slug}/ledger/${chain}`;

    // 1. Sealing cost.
    const batches = Number(process.env.BENCH_SEAL_BATCHES ?? 20);
    const seal = await server.run<SealCost>('sealCost', { a, b, chain: sealChain, batches });
    const ratio = seal.append.rate / seal.chainOnly.rate;
    const p50 = (ms: number[]) => ms.slice().sort((x, y) => x - y)[Math.floor(ms.length / 2)]!;
    console.log(`[${name}] sealing   ${batches} batches of ${SEAL_BATCH}: appendToLedger ${fmt(seal.append.rate)} entries/s (batch p50 ${fmt(p50(seal.append.ms))} ms); chain alone ${fmt(seal.chainOnly.rate)} entries/s (batch p50 ${fmt(p50(seal.chainOnly.ms))} ms); ratio ${fmt(ratio, 3)}`);
    const ms = seal.append.ms;
    console.log(`[${name}] sealing   appendToLedger batch ms in order: ${ms.map((x) => fmt(x)).join(' ')}`);
    const margin = seal.append.rate / RUSH_BAR.high;
    console.log(`[${name}] sealing   keeps up with a ${RUSH_BAR.low}–${RUSH_BAR.high} signatures/s rush: ${margin >= 1 ? 'yes' : 'NO'}, ${fmt(seal.append.rate / RUSH_BAR.low, 1)}–${fmt(margin, 1)}× (appendToLedger alone; sealBatch adds the queue read, pseudonyms and the tally)`);
    row(name, 'seal: appendToLedger', fmt(seal.append.rate), 'entries/s', `batch p50 ${fmt(p50(seal.append.ms))} ms`, '', fmt(ratio, 3));
    row(name, 'seal: chain alone (baseline)', fmt(seal.chainOnly.rate), 'entries/s', `batch p50 ${fmt(p50(seal.chainOnly.ms))} ms`, '', '1');

    // A chain that grew since the last ANALYZE (PostgreSQL's autovacuum analyzes a table after 10% of it
    // changed; PGlite never does): the proofs of the chain just sealed, one at a time.
    const sealedSize = (batches + 1) * SEAL_BATCH;
    const stats = await server.run<string>('analyzed');
    const stale = await rush(server, port, Array.from({ length: 300 }, () => `/api/v1/${slug}/ledger/${sealChain}/proof/inclusion?seq=${randomInt(1, sealedSize)}`), 1);
    console.log(`[${name}] stale     inclusion proof x300, 1 conn, chain of ${sealedSize} sealed since the last ANALYZE (${stats}): p50 ${fmt(stale.p50, 2)} ms  p99 ${fmt(stale.p99, 2)} ms  server cpu ${fmt(stale.cpuUs)} µs/req  not 200: ${stale.bad}`);
    row(name, `inclusion proof, ${sealedSize} sealed since ANALYZE, 1 conn`, fmt(stale.rps), 'req/s', `p50 ${fmt(stale.p50, 2)} ms`, `p99 ${fmt(stale.p99, 2)} ms`, '');

    // Right answers first (untimed): inclusion proofs with their entries, consistency proofs between signed roots.
    const samples = await inclusionSamples(`${base}${api}`, size, 50);
    const vkeys = await chainVkeys(base, samples[0]!.checkpoint);
    const consistent = await checkConsistency(`${base}${api}`, sizes, vkeys, 20);
    if (consistent !== 20) throw new Error(`only ${consistent} of 20 consistency proofs verify`);

    // 3. The offline check (before the rushes; this process is otherwise idle now).
    const offline = timeOffline(samples, vkeys, 100);
    console.log(`[${name}] offline   receipt check (openNote + verifyInclusion, proof of ${samples[0]!.hashes.length} hashes in a chain of ${size}): median ${fmt(offline.whole, 3)} ms per check over ${offline.checks} (signature ${fmt(offline.signature, 3)} ms, inclusion ${fmt(offline.inclusion, 3)} ms)`);
    row(name, 'offline receipt check', fmt(offline.whole, 3), 'ms/check', `signature ${fmt(offline.signature, 3)} ms`, `inclusion ${fmt(offline.inclusion, 3)} ms`, '');

    // 2. Proofs over HTTP.
    const inclusionPaths = (n: number) => Array.from({ length: n }, () => `${api}/proof/inclusion?seq=${randomInt(1, size)}`);
    const consistencyPaths = (n: number) => Array.from({ length: n }, () => {
      const to = sizes[randomInt(0, sizes.length - 1)]!;
      return `${api}/proof/consistency?from=${randomInt(1, to)}&to=${to}`;
    });
    const health = (n: number) => Array.from({ length: n }, () => '/healthz');
    say('warm-up');
    for (const paths of [health(2000), inclusionPaths(2000), consistencyPaths(2000)]) await rush(server, port, paths, CONNECTIONS);
    for (const connections of [CONNECTIONS, 1]) {
      const n = connections === 1 ? Math.ceil(REQUESTS / 10) : REQUESTS;
      say(`${n} requests each over ${connections} connection(s)`);
      const before = await rush(server, port, health(n), connections);
      const profile = connections > 1 ? process.env.BENCH_PROFILE : undefined;
      if (profile) await server.run('profileStart');
      const inclusion = await rush(server, port, inclusionPaths(n), connections);
      if (profile) await server.run('profileStop', `${profile}/${name}-inclusion.cpuprofile`);
      const consistency = await rush(server, port, consistencyPaths(n), connections);
      const after = await rush(server, port, health(n), connections);
      const baseline = (before.rps + after.rps) / 2;
      const line = (what: string, r: Rush) => {
        console.log(`[${name}] http      ${what} x${n}, ${connections} conn: ${fmt(r.rps)} req/s  p50 ${fmt(r.p50, 2)} ms  p99 ${fmt(r.p99, 2)} ms  ${fmt(r.bytes)} B/answer  server cpu ${fmt(r.cpuUs)} µs/req  not 200: ${r.bad}  ratio to /healthz ${fmt(r.rps / baseline, 3)}`);
        row(name, `${what}, ${connections} conn`, fmt(r.rps), 'req/s', `p50 ${fmt(r.p50, 2)} ms`, `p99 ${fmt(r.p99, 2)} ms  ${fmt(r.bytes)} B`, fmt(r.rps / baseline, 3));
        if (r.bad > 0) process.exitCode = 1;
      };
      line('/healthz (baseline, before)', before);
      line('inclusion proof', inclusion);
      line('consistency proof', consistency);
      line('/healthz (baseline, after)', after);
      if (connections === 1 && inclusion.p50 >= 20) console.log(`[${name}] http      inclusion proof p50 ${fmt(inclusion.p50, 1)} ms one at a time: NOT under the 20 ms bar`);
    }
  } finally {
    await server.stop();
  }
}

if (process.argv[2] === 'serve') {
  await serveChild(seed, {
    sealCost: (built, args) => {
      const { a, b, chain, batches } = args as { a: number; b: number; chain: string; batches: number };
      return sealCost(built.deps.db, a, b, chain, batches, SEAL_BATCH);
    },
    analyzed: (built) => sinceAnalyze(built.deps.db),
  });
} else {
  const db = await freshDatabase('hromada_bench_ledger');
  try {
    const targets = (process.env.BENCH_TARGETS ?? 'postgres,pglite').split(',');
    if (targets.includes('postgres')) await target('postgres', { DATABASE_URL: db.url });
    if (targets.includes('pglite')) await target('pglite', { DATABASE_URL: '' });
  } finally {
    await db.drop();
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  console.log('');
  for (const r of rows) console.log(r.map((c, i) => (i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  '));
}
