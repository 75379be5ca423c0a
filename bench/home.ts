// The municipality home page against a bare Fastify "hello" route, both served by a child process and measured
// in the same run by a load generator in this process (so the generator does not share the server's event loop);
// then the weight of pages and bundles as a browser receives them: the bytes read off the socket, compressed as
// the server sent them for the browser's Accept-Encoding, headers included.
// Usage: npm run bench   (BENCH_SECONDS=10, BENCH_CONNECTIONS=20; PGlite; targets only 127.0.0.1 and stops by itself)
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import type { BuiltApp } from '../src/app.ts';
import { seedDemo } from '../src/platform/cli/demo.ts';
import { BROWSER_HEADERS, httpLoop, httpRush, requestBytes, type LoopResult } from './lib/http-rush.ts';
import { serveChild, startChild } from './lib/server.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
interface Seed { barePort: number }

/** In the child: the demo data, and a bare Fastify next to the app, so both run in the same kind of process. */
async function seed(built: BuiltApp): Promise<Seed> {
  await seedDemo(built.deps);
  const bare = Fastify();
  bare.get('/hello', async () => 'hello');
  await bare.listen({ port: 0, host: '127.0.0.1' });
  built.app.addHook('onClose', () => bare.close());
  return { barePort: (bare.server.address() as { port: number }).port };
}

type Server = ReturnType<typeof startChild<Seed>>;

/** Readers for SECONDS, and the server's CPU per answer meanwhile (less noisy than req/s on a busy machine). */
async function measure(server: Server, port: number, path: string): Promise<LoopResult & { cpuUs: number }> {
  const cpu0 = await server.run<NodeJS.CpuUsage>('cpu');
  const readers = httpLoop(port, requestBytes('GET', path, BROWSER_HEADERS), CONNECTIONS);
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const result = readers.stop();
  const cpu1 = await server.run<NodeJS.CpuUsage>('cpu');
  return { ...result, cpuUs: (cpu1.user + cpu1.system - cpu0.user - cpu0.system) / result.requests };
}

/** Bytes a browser receives for one request of `path` (one warm-up first, as a second visitor would see it). */
async function received(port: number, path: string, headers: Record<string, string> = BROWSER_HEADERS): Promise<number> {
  const req = requestBytes('GET', path, headers);
  const { answers } = await httpRush(port, [req, req], 1);
  if (answers[1]!.status !== 200) throw new Error(`${path} answered ${answers[1]!.status}`);
  return answers[1]!.bytes;
}

if (process.argv[2] === 'serve') {
  await serveChild(seed, {});
} else {
  const server = startChild<Seed>(fileURLToPath(import.meta.url), 'serve', { DATABASE_URL: '', RUN_WORKER: 'false' });
  try {
    const { port, barePort } = await server.ready;
    const base = `http://127.0.0.1:${port}`;
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
    const find = (html: string, re: RegExp) => re.exec(html)?.[1] ?? null;
    const page = await (await fetch(`${base}/uk/zhovkva/`)).text();
    const css = find(page, /href="(\/assets\/app\.[^"]+\.css)"/)!;
    const js = find(page, /src="(\/assets\/app\.[^"]+\.js)"/)!;
    console.log(`weights as received by a browser (Accept-Encoding: ${BROWSER_HEADERS['accept-encoding']}; headers included; identity in brackets):`);
    for (const path of ['/uk/', '/uk/zhovkva/', '/uk/account/sign-in', css, js]) {
      console.log(`  ${path.padEnd(28)} ${kb(await received(port, path)).padStart(9)}  (${kb(await received(port, path, { accept: '*/*' }))})`);
    }
    const reports = await (await fetch(`${base}/uk/zhovkva/reports`)).text();
    for (const path of [find(reports, /(\/assets\/map\.[^"]+\.js)/), find(reports, /(\/assets\/map\.[^"]+\.css)/)]) {
      if (path) console.log(`  ${path.padEnd(28)} ${kb(await received(port, path)).padStart(9)}  (${kb(await received(port, path, { accept: '*/*' }))})`);
    }

    // The baseline before and after: this machine's speed drifts (other work on its cores), the mean evens it out.
    const before = await measure(server, barePort, '/hello');
    const home = await measure(server, port, '/uk/zhovkva/');
    const after = await measure(server, barePort, '/hello');
    const line = (r: LoopResult & { cpuUs: number }) =>
      `${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  server CPU ${r.cpuUs.toFixed(0)} µs/answer  ${r.bytesPerAnswer.toFixed(0)} B/answer  non-2xx ${r.non2xx}  errors ${r.errors}`;
    console.log(`baseline  bare Fastify /hello, before  ${line(before)}`);
    console.log(`hromada   /uk/zhovkva/ (pglite)        ${line(home)}`);
    console.log(`baseline  bare Fastify /hello, after   ${line(after)}`);
    console.log(`ratio     municipality home / bare hello (mean of before and after) = ${(home.rps / ((before.rps + after.rps) / 2)).toFixed(3)}   (${CONNECTIONS} connections, ${SECONDS} s each, server in a child process)`);
  } finally {
    await server.stop();
  }
}
