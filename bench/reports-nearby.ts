// A million problem reports: the nearby-duplicates query (open reports of a category within 100 m) and
// the map's bounding-box query (a 1 km square, as a map at zoom 15 shows), against the same queries with
// index scans switched off (a full scan), measured in the same run on PostgreSQL and on PGlite.
// Usage: npm run bench:nearby   (BENCH_REPORTS=1000000, BENCH_QUERIES=500; PostgreSQL from
//        DATABASE_URL_BENCH, default the local server; BENCH_TARGETS=postgres,pglite)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import type { Database } from '../src/db/database.ts';
import { openPglite, openPostgres, type DatabaseHandle } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { boxAround, type LatLng } from '../src/platform/geo/geo.ts';
import { listReports, nearbyOpen } from '../src/modules/reports/report.repo.ts';
import { reportCategory, reportTown, ZHOVKVA } from '../src/modules/reports/testing.ts';
import { freshDatabase } from './lib/server.ts';

const REPORTS = Number(process.env.BENCH_REPORTS ?? 1_000_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 500);
const BASELINE_QUERIES = Number(process.env.BENCH_BASELINE_QUERIES ?? 20);
const SPREAD_DEG = 0.12; // about ±13 km north–south around the centre

/** A random point in the seeded area (a fixed sequence, so both dialects and both runs ask the same). */
function points(n: number, seed = 42): LatLng[] {
  let x = seed;
  const next = () => ((x = (x * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  return Array.from({ length: n }, () => ({ lat: ZHOVKVA.lat + (next() * 2 - 1) * SPREAD_DEG, lng: ZHOVKVA.lng + (next() * 2 - 1) * SPREAD_DEG * 1.5 }));
}

async function seed(db: Database) {
  const town = await reportTown(db, 'benchtown', { radiusKm: 50 });
  const categories = [];
  for (const slug of ['potholes', 'lamps', 'waste', 'trees', 'benches']) categories.push((await reportCategory(db, town, slug)).id);
  const t0 = performance.now();
  // Seven in ten reports are fixed or closed, as in a municipality that has used the service for years.
  for (let done = 0; done < REPORTS; done += 100_000) {
    const n = Math.min(100_000, REPORTS - done);
    await sql`INSERT INTO reports (municipality_id, number, category_id, status, title, lat, lng, location, created_at)
      SELECT ${town.id}, ${done} + g, (${sql.val(categories)}::int[])[1 + (g % 5)],
        (ARRAY['fixed','closed','fixed','closed','fixed','closed','fixed','new','acknowledged','in_progress'])[1 + (g / 5) % 10],
        'Benchmark report ' || g, lat, lng, point(lng, lat), now() - (g % 1000) * interval '1 day'
      FROM (SELECT g, ${ZHOVKVA.lat}::float8 + (random() * 2 - 1) * ${SPREAD_DEG}::float8 AS lat,
                   ${ZHOVKVA.lng}::float8 + (random() * 2 - 1) * ${SPREAD_DEG * 1.5}::float8 AS lng
            FROM generate_series(1, ${n}) g) s`.execute(db);
  }
  await sql`ANALYZE reports`.execute(db);
  process.stderr.write(`${REPORTS} reports written in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
  return { municipalityId: town.id, categoryId: categories[0]! };
}

interface Timing { p50: number; p99: number; rows: number }

async function time(n: number, run: (p: LatLng) => Promise<unknown[]>): Promise<Timing> {
  const latencies: number[] = [];
  let rows = 0;
  for (const p of points(n)) {
    const t0 = performance.now();
    rows += (await run(p)).length;
    latencies.push(performance.now() - t0);
  }
  latencies.sort((a, b) => a - b);
  return { p50: latencies[Math.floor(n * 0.5)]!, p99: latencies[Math.min(n - 1, Math.floor(n * 0.99))]!, rows: rows / n };
}

/** The same query in a transaction that may not use an index: what it costs without the GiST index. */
const fullScan = (db: Database, run: (trx: Database) => Promise<unknown[]>) => db.transaction().execute(async (trx) => {
  await sql`SET LOCAL enable_indexscan = off`.execute(trx);
  await sql`SET LOCAL enable_bitmapscan = off`.execute(trx);
  return run(trx);
});

async function bench(target: string, handle: DatabaseHandle) {
  const db = handle.db;
  await migrateToLatest(db);
  const { municipalityId, categoryId } = await seed(db);
  const nearby = (d: Database) => (p: LatLng) => nearbyOpen(d, municipalityId, categoryId, p, 100);
  const map = (d: Database) => (p: LatLng) => listReports(d, municipalityId, { box: boxAround(p, 500), limit: 500, offset: 0 });
  const results = {
    'nearby duplicates (100 m)': [await time(QUERIES, nearby(db)), await time(BASELINE_QUERIES, (p) => fullScan(db, (trx) => nearby(trx)(p)))],
    'map box (1 km square)': [await time(QUERIES, map(db)), await time(BASELINE_QUERIES, (p) => fullScan(db, (trx) => map(trx)(p)))],
  } as const;
  for (const [name, [indexed, scan]] of Object.entries(results)) {
    console.log(`[${target}] ${name.padEnd(26)} indexed p50 ${indexed.p50.toFixed(2)} ms p99 ${indexed.p99.toFixed(2)} ms (${indexed.rows.toFixed(1)} rows)`
      + ` | full scan p50 ${scan.p50.toFixed(1)} ms p99 ${scan.p99.toFixed(1)} ms | speed-up ${(scan.p50 / indexed.p50).toFixed(0)}x`);
  }
}

const targets = (process.env.BENCH_TARGETS ?? 'postgres,pglite').split(',');
if (targets.includes('postgres')) {
  const fresh = await freshDatabase('hromada_bench_nearby');
  const handle = openPostgres(fresh.url);
  try {
    await bench('postgres', handle);
  } finally {
    await handle.close();
    await fresh.drop();
  }
}
if (targets.includes('pglite')) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hromada-bench-nearby-'));
  // PGlite still touches its folder for a moment after close: remove it on the way out.
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const handle = await openPglite(dir);
  try {
    await bench('pglite', handle);
  } finally {
    await handle.close();
  }
}
