// A petition with 1,000,000 sealed signatures: how fast its page and its live count answer, against a
// bare Fastify route measured in the same run. Seeding writes the signatures with SQL and seals them with
// the platform's own sealing code, so the ledger is real (this takes a few minutes).
// Usage: npm run bench:page   (PostgreSQL from DATABASE_URL_BENCH, default postgres://postgres@127.0.0.1:5432/postgres;
//        BENCH_SIGNATURES=1000000, BENCH_SECONDS=10). Targets only 127.0.0.1.
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { sql } from 'kysely';
import type { BuiltApp } from '../src/app.ts';
import { openPetition, petitionTown, resident } from '../src/modules/petitions/testing.ts';
import { sealPetition } from '../src/modules/petitions/signature.service.ts';
import { freshDatabase, serveChild, startChild } from './lib/server.ts';
import { BROWSER_HEADERS } from './lib/http-rush.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
interface Seed { slug: string; number: number }

async function seed(built: BuiltApp): Promise<Seed> {
  const db = built.deps.db;
  const n = Number(process.env.BENCH_SIGNATURES);
  const town = await petitionTown(db, 'benchtown', { threshold: 10_000, periodDays: 90 });
  const author = await resident(db, 'author@bench.example', town);
  const moderator = await resident(db, 'moderator@bench.example', town, { role: 'moderator' });
  const p = await openPetition(db, town, author.current, moderator.id, 'Bench petition with a million signatures');
  const t0 = performance.now();
  await sql`INSERT INTO users (email, full_name, locale, email_verified_at)
    SELECT 'signer' || g || '@bench.example', 'Signer ' || g, 'uk', now() FROM generate_series(1, ${n}) g`.execute(db);
  await sql`WITH signed AS (INSERT INTO petition_signatures (municipality_id, petition_id, user_id, signed_at, ip_prefix, email_domain)
      SELECT ${town.id}, ${p.id}, id, now() - (random() * interval '30 days'), '192.0.2.0/24', 'bench.example'
      FROM users WHERE email LIKE 'signer%' ORDER BY id
      RETURNING id, municipality_id, petition_id, user_id, signed_at)
    INSERT INTO petition_unsealed (municipality_id, petition_id, signature_id, user_id, signed_at)
      SELECT municipality_id, petition_id, id, user_id, signed_at FROM signed`.execute(db);
  process.stderr.write(`${n} signatures written in ${((performance.now() - t0) / 1000).toFixed(0)} s; sealing…\n`);
  const t1 = performance.now();
  const sealed = await sealPetition(db, p.id);
  process.stderr.write(`${sealed} sealed in ${((performance.now() - t1) / 1000).toFixed(0)} s\n`);
  // What autovacuum does after such a load (PostgreSQL vacuums insert-only tables too): statistics, and the
  // visibility map that lets the signatories' list skip entries in the index alone. Sealing leaves no dead rows.
  await sql`VACUUM (ANALYZE) petition_signatures`.execute(db);
  await sql`ANALYZE`.execute(db);
  return { slug: town.slug, number: p.number };
}

async function measure(url: string, connections = 10) {
  // As a browser asks (so answers come compressed); bytes are what autocannon read off the socket, headers included.
  const r = await autocannon({ url, connections, duration: SECONDS, headers: BROWSER_HEADERS });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx, kb: r.throughput.total / Math.max(1, r.requests.total) / 1024 };
}

if (process.argv[2] === 'serve') {
  await serveChild(seed, {});
} else {
  const db = await freshDatabase('hromada_bench_page');
  const server = startChild<Seed>(fileURLToPath(import.meta.url), 'serve', {
    DATABASE_URL: db.url, RUN_WORKER: 'false', BENCH_SIGNATURES: process.env.BENCH_SIGNATURES ?? '1000000',
  });
  const bare = Fastify();
  bare.get('/hello', async () => 'hello');
  try {
    const { port, slug, number } = await server.ready;
    await bare.listen({ port: 0, host: '127.0.0.1' });
    const barePort = (bare.server.address() as { port: number }).port;
    const base = `http://127.0.0.1:${port}`;
    const count = await (await fetch(`${base}/api/v1/${slug}/petitions/${number}/count`)).json() as { signatures: number };
    const results = {
      'bare Fastify /hello (baseline)': await measure(`http://127.0.0.1:${barePort}/hello`),
      'petition page': await measure(`${base}/uk/${slug}/petitions/${number}`),
      'petition page, one at a time': await measure(`${base}/uk/${slug}/petitions/${number}`, 1),
      'count API': await measure(`${base}/api/v1/${slug}/petitions/${number}/count`),
      'count API, one at a time': await measure(`${base}/api/v1/${slug}/petitions/${number}/count`, 1),
      'progress piece (live count)': await measure(`${base}/uk/${slug}/petitions/${number}/progress`),
      'signatories, page 1': await measure(`${base}/uk/${slug}/petitions/${number}/signatures`),
      'signatories, page 10000': await measure(`${base}/uk/${slug}/petitions/${number}/signatures?page=10000`),
    };
    const t0 = performance.now();
    const ledger = await fetch(`${base}/uk/${slug}/petitions/${number}/ledger`);
    await ledger.text();
    const ledgerMs = performance.now() - t0;
    const baseline = results['bare Fastify /hello (baseline)'];
    console.log(`petition ${number} with ${count.signatures} signatures (PostgreSQL, 10 connections unless said, ${SECONDS} s each)`);
    for (const [name, r] of Object.entries(results)) {
      console.log(`${name.padEnd(32)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  errors ${r.errors}  ${r.kb.toFixed(1)} KB/answer as received  ratio to baseline ${(r.rps / baseline.rps).toFixed(3)}`);
    }
    console.log(`${'ledger page (re-checks the chain)'.padEnd(32)} one request ${ledgerMs.toFixed(0)} ms (status ${ledger.status})`);
  } finally {
    await bare.close();
    await server.stop();
    await db.drop();
  }
}
