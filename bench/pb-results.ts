// Participatory budget results (issue 15, "Done means": 200,000 ballots over 300 projects in under 3 s), on
// PostgreSQL and on PGlite:
// 1. read + count: what the publication page and the publication do — every voter's ballot read from pb_ballots,
//    the turnout and the ledger's ballot entries counted, and the results rule run (results/publish.service.ts
//    previewResults); then the read and the rule alone;
// 2. the re-count of `hromada verify-ledger` over the same ballots as a chain (cycle entry, one ballot entry per
//    voter, the results entry), in pages of 10,000: hashes, Merkle leaves and the pb meaning checker, in memory.
// Usage: npx tsx bench/pb-results.ts   (BENCH_BALLOTS=200000, BENCH_PROJECTS=300, BENCH_RUNS=3;
//        PostgreSQL from DATABASE_URL_BENCH, default the local server; BENCH_TARGETS=postgres,pglite)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type { Database, DatabaseHandle } from '../src/db/database.ts';
import { openPglite, openPostgres } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { entryHash, GENESIS_HASH, type PublishedEntry } from '../src/platform/ledger/ledger.ts';
import { ChainReplay } from '../src/platform/ledger/verify/replay.ts';
import { computeResults, resultsPayload, type CountedBallot } from '../src/modules/participatory-budget/results/compute.ts';
import { buildCycleEntry } from '../src/modules/participatory-budget/results/cycle-entry.ts';
import { pbMeaning } from '../src/modules/participatory-budget/results/meaning.ts';
import { previewResults } from '../src/modules/participatory-budget/results/publish.service.ts';
import { countedBallots } from '../src/modules/participatory-budget/results/results.repo.ts';
import { pbTown, resident, seedCycle } from '../src/modules/participatory-budget/testing.ts';
import type { Cycle } from '../src/modules/participatory-budget/pb.tables.ts';
import { freshDatabase } from './lib/server.ts';

const BALLOTS = Number(process.env.BENCH_BALLOTS ?? 200_000);
const PROJECTS = Number(process.env.BENCH_PROJECTS ?? 300);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PAGE = 10_000;
const say = (s: string) => process.stderr.write(`${s}\n`);

/** A cycle in its results phase: PROJECTS admitted projects in two categories, BALLOTS voters of up to five each. */
async function seed(db: Database): Promise<{ municipalityId: number; cycle: Cycle }> {
  const town = await pbTown(db, 'benchtown');
  const author = await resident(db, 'author@bench.example', town);
  // Approval of up to 5, so every seeded ballot is one the checker accepts.
  const { cycle, categories } = await seedCycle(db, town, {
    phase: 'results', rule: 'approval', maxChoices: 5,
    categories: [{ slug: 'small', amount: 500_000_000, maxCost: 50_000_000 }, { slug: 'large', amount: 2_000_000_000, maxCost: 300_000_000 }],
  });
  const [small, large] = [categories[0]!, categories[1]!];
  await sql`INSERT INTO pb_projects (municipality_id, cycle_id, number, category_id, author_id, status, title, cost_total)
    SELECT ${town.id}, ${cycle.id}, g, CASE WHEN g % 3 = 0 THEN ${large.id}::int ELSE ${small.id}::int END, ${author.id}, 'admitted', 'Bench project ' || g,
      CASE WHEN g % 3 = 0 THEN 50000000 + g * 100000 ELSE 1000000 + g * 10000 END
    FROM generate_series(1, ${PROJECTS}::int) g`.execute(db);
  const t0 = performance.now();
  // Popularity falls off with the number (random()^2), so rankings, ties and skipped projects all occur. The series
  // names g only so that the choices are drawn per ballot (an uncorrelated subquery would run once for all).
  for (let done = 0; done < BALLOTS; done += 50_000) {
    const n = Math.min(50_000, BALLOTS - done);
    await sql`INSERT INTO pb_ballots (municipality_id, cycle_id, channel, voter, choices, version)
      SELECT ${town.id}, ${cycle.id}, CASE WHEN g % 10 = 0 THEN 'paper' ELSE 'online' END, encode(sha256(convert_to('v' || g, 'UTF8')), 'hex'),
        ARRAY(SELECT DISTINCT 1 + floor(power(random(), 2) * ${PROJECTS}::int)::int FROM generate_series(1, 5 + 0 * g) k ORDER BY 1), 1
      FROM generate_series(${done + 1}::int, ${done + n}::int) g`.execute(db);
  }
  await sql`ANALYZE pb_ballots`.execute(db);
  say(`  ${BALLOTS} ballots over ${PROJECTS} projects written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { municipalityId: town.id, cycle };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timed<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

async function bench(target: string, handle: DatabaseHandle): Promise<{ ballots: CountedBallot[]; entry: Awaited<ReturnType<typeof buildCycleEntry>> }> {
  const db = handle.db;
  await migrateToLatest(db);
  const { municipalityId, cycle } = await seed(db);
  const preview: number[] = [];
  const read: number[] = [];
  const rule: number[] = [];
  let ballots: CountedBallot[] = [];
  let funded = 0;
  for (let i = 0; i < RUNS; i++) {
    const p = await timed(() => previewResults(db, municipalityId, cycle));
    preview.push(p.ms);
    funded = p.value.results.funded.length;
    const r = await timed(() => countedBallots(db, cycle.id));
    read.push(r.ms);
    ballots = r.value;
    rule.push((await timed(() => computeResults(p.value.entry, ballots, { unique: true }))).ms);
  }
  console.log(`[${target}] read + count (previewResults): median ${median(preview).toFixed(0)} ms of ${RUNS} | read ballots ${median(read).toFixed(0)} ms`
    + ` | results rule ${median(rule).toFixed(0)} ms | ${ballots.length} voters, ${funded} funded | target < 3000 ms: ${median(preview) < 3000 ? 'met' : 'MISSED'}`);
  return { ballots, entry: await buildCycleEntry(db, cycle) };
}

/** The chain verify-ledger would read for these ballots, hashed as the platform writes it. */
function chainOf(entry: Awaited<ReturnType<typeof buildCycleEntry>>, ballots: CountedBallot[]): PublishedEntry[] {
  const chain = `pb:${entry.cycle}`;
  const out: PublishedEntry[] = [];
  let prev = GENESIS_HASH;
  const push = (kind: string, payload: Record<string, unknown>) => {
    const e = { chain, seq: out.length + 1, kind, payload, prev };
    prev = entryHash(e);
    out.push({ ...e, hash: prev });
  };
  push('cycle', { ...entry });
  for (const b of ballots) push('ballot', { voter: b.voter, channel: 'online', choices: [...b.choices], version: 1, at: '2027-05-02T10:11:12Z' });
  push('results', resultsPayload(computeResults(entry, ballots, { unique: true })));
  return out;
}

function recount(entry: Awaited<ReturnType<typeof buildCycleEntry>>, ballots: CountedBallot[]) {
  const entries = chainOf(entry, ballots);
  const replay = new ChainReplay({ pb: pbMeaning });
  const t0 = performance.now();
  for (let i = 0; i < entries.length; i += PAGE) if (!replay.add(entries.slice(i, i + PAGE))) throw new Error(JSON.stringify(replay.failed));
  const ms = performance.now() - t0;
  console.log(`[memory] verify-ledger replay of ${entries.length} entries (hash chain, RFC 8785 leaves, pb meaning): ${ms.toFixed(0)} ms, count ${replay.counted?.count}`);
}

const targets = (process.env.BENCH_TARGETS ?? 'postgres,pglite').split(',');
let last: Awaited<ReturnType<typeof bench>> | null = null;
if (targets.includes('postgres')) {
  const fresh = await freshDatabase('hromada_bench_pb_results');
  const handle = openPostgres(fresh.url);
  try {
    last = await bench('postgres', handle);
  } finally {
    await handle.close();
    // The pool's backends are still leaving for a moment after end(): dropping WITH (FORCE) then would kill one.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await fresh.drop();
  }
}
if (targets.includes('pglite')) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hromada-bench-pb-results-'));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const handle = await openPglite(dir);
  try {
    last = await bench('pglite', handle);
  } finally {
    await handle.close();
  }
}
if (last) recount(last.entry, last.ballots);
