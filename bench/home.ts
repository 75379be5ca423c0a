// Municipality home page throughput against a bare Fastify "hello" route, measured in the same run.
// Usage: npm run bench   (BENCH_SECONDS=10 by default; targets only 127.0.0.1 and stops by itself)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { seedDemo } from '../src/platform/cli/demo.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);

async function measure(url: string): Promise<{ rps: number; p99: number; errors: number }> {
  const r = await autocannon({ url, connections: 20, duration: seconds });
  return { rps: r.requests.average, p99: r.latency.p99, errors: r.errors + r.non2xx };
}

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hromada-bench-'));
const config = loadConfig({ ...process.env, NODE_ENV: 'production', BASE_URL: 'http://127.0.0.1:0', DATA_DIR: dataDir, LOG_LEVEL: 'warn', RUN_WORKER: 'false' });
const handle = await openDatabase(config);
await migrateToLatest(handle.db);
const built = await buildApp(config, handle);
await seedDemo(built.deps);
await built.app.listen({ port: 0, host: '127.0.0.1' });
const port = (built.app.server.address() as { port: number }).port;

const bare = Fastify();
bare.get('/hello', async () => 'hello');
await bare.listen({ port: 0, host: '127.0.0.1' });
const barePort = (bare.server.address() as { port: number }).port;

// Page weight as transferred with gzip (what a browser on a slow link receives).
for (const page of ['/uk/', '/uk/zhovkva/', '/uk/account/sign-in']) {
  const body = await (await fetch(`http://127.0.0.1:${port}${page}`)).text();
  const css = await (await fetch(`http://127.0.0.1:${port}${/href="(\/assets\/app\.[^"]+\.css)"/.exec(body)![1]}`)).text();
  const js = await (await fetch(`http://127.0.0.1:${port}${/src="(\/assets\/app\.[^"]+\.js)"/.exec(body)![1]}`)).text();
  const kb = (s: string) => (gzipSync(s).length / 1024).toFixed(1);
  console.log(`page ${page}: html ${kb(body)} KB + css ${kb(css)} KB + js ${kb(js)} KB (gzip)`);
}

const baseline = await measure(`http://127.0.0.1:${barePort}/hello`);
const home = await measure(`http://127.0.0.1:${port}/uk/zhovkva/`);
console.log(`baseline  bare Fastify /hello      ${baseline.rps.toFixed(0)} req/s  p99 ${baseline.p99} ms  errors ${baseline.errors}`);
console.log(`hromada   /uk/zhovkva/ (${handle.dialect})  ${home.rps.toFixed(0)} req/s  p99 ${home.p99} ms  errors ${home.errors}`);
console.log(`ratio     municipality home / bare hello = ${(home.rps / baseline.rps).toFixed(3)}`);

await bare.close();
await built.close();
await handle.close();
fs.rmSync(dataDir, { recursive: true, force: true });
