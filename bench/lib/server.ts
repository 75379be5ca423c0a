// A Hromada server in a child process for benchmarks, so the load generator and the server do not share
// one event loop. The parent forks this file and talks to it over IPC:
//   child → { ready: { port, ...seed } }   after migrating, building the app and running the seed function
//   parent → { run: name, args }  child → { result }   named tasks that must run next to the database (PGlite)
//   parent → 'stop'                        the child closes everything and exits
import { fork, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import inspector from 'node:inspector';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { buildApp, type BuiltApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/database.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';

export type Tasks = Record<string, (built: BuiltApp, args: unknown) => Promise<unknown>>;

/** Runs in the child: builds the app on DATABASE_URL (or a fresh PGlite folder), seeds, listens, serves tasks. */
export async function serveChild<S extends object>(seed: (built: BuiltApp) => Promise<S>, tasks: Tasks): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hromada-bench-'));
  // Production settings, which require IDENTIFIER_KEY: a throwaway one, as nothing a benchmark seeds is a real identity.
  const identifierKey = process.env.IDENTIFIER_KEY ?? crypto.randomBytes(32).toString('hex');
  const config = loadConfig({ ...process.env, NODE_ENV: 'production', BASE_URL: 'http://127.0.0.1:3000', DATA_DIR: dataDir, LOG_LEVEL: 'warn', IDENTIFIER_KEY: identifierKey });
  const handle = await openDatabase(config);
  await migrateToLatest(handle.db);
  const built = await buildApp(config, handle);
  const seeded = await seed(built);
  if (config.runWorker) built.worker.start();
  await built.app.listen({ port: 0, host: '127.0.0.1' });
  const port = (built.app.server.address() as { port: number }).port;
  tasks = { ...tasks, ...profilerTasks(), cpu: async () => process.cpuUsage() };
  process.on('message', async (msg: 'stop' | { run: string; args: unknown }) => {
    if (msg === 'stop') {
      await built.close();
      await handle.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    }
    process.send!({ result: await tasks[msg.run]!(built, msg.args) });
  });
  process.send!({ ready: { port, ...seeded } });
}

/**
 * `profileStart` / `profileStop(file)`: a CPU profile of the server over just the measured part (open it in
 * Chrome's DevTools), rather than of the whole process with its seeding.
 */
function profilerTasks(): Tasks {
  const session = new inspector.Session();
  session.connect();
  const post = <T>(method: string, params: object = {}) =>
    new Promise<T>((resolve, reject) => session.post(method, params, (err, res) => (err ? reject(err) : resolve(res as T))));
  return {
    profileStart: async () => {
      await post('Profiler.enable');
      await post('Profiler.start');
      return null;
    },
    profileStop: async (_built, file) => {
      const { profile } = await post<{ profile: object }>('Profiler.stop');
      fs.writeFileSync(String(file), JSON.stringify(profile));
      return null;
    },
  };
}

/** Runs in the parent: forks `file` with `childArg` and the given environment; resolves when it is ready. */
export function startChild<Seed>(file: string, childArg: string, env: Record<string, string>) {
  const child: ChildProcess = fork(file, [childArg], { env: { ...process.env, ...env }, stdio: 'inherit' });
  const next = () => new Promise<Record<string, unknown>>((resolve, reject) => {
    child.once('message', (m) => resolve(m as Record<string, unknown>));
    child.once('exit', (code) => reject(new Error(`benchmark server exited with ${code}`)));
  });
  return {
    ready: next().then((m) => m.ready as Seed & { port: number }),
    async run<T>(name: string, args: unknown = null): Promise<T> {
      const answer = next();
      child.send({ run: name, args });
      return (await answer).result as T;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send('stop');
      await exited;
    },
  };
}

/**
 * A throw-away database `name` on the PostgreSQL server of DATABASE_URL_BENCH (default: the local one);
 * `drop()` removes it again.
 */
export async function freshDatabase(name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const server = process.env.DATABASE_URL_BENCH ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  const target = new URL(server);
  target.pathname = `/${name}`;
  return {
    url: target.toString(),
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
