import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { Kysely } from 'kysely';
import { KyselyPGlite } from 'kysely-pglite';
import pg from 'pg';
import { openPglite, openPostgres, type DatabaseHandle } from '../../db/database.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import type { DB } from '../../db/schema.ts';

/** A migrated, empty database of its own for one test; `cleanup()` closes it and throws it away. */
export type TestDatabase = DatabaseHandle & { cleanup(): Promise<void> };

const migrationsDir = fileURLToPath(new URL('../../db/migrations/', import.meta.url));
const migrateFile = fileURLToPath(new URL('../../db/migrate.ts', import.meta.url));

/**
 * Fingerprint of the schema a template holds: the migration files (names and contents, so a
 * migration still being written does not leave a stale template behind) and the PGlite version.
 */
export function schemaFingerprint(): string {
  const hash = crypto.createHash('sha256');
  hash.update(`pglite@${pgliteVersion()}\n`);
  hash.update(fs.readFileSync(migrateFile));
  for (const name of fs.readdirSync(migrationsDir).filter((f) => f.endsWith('.ts')).sort()) {
    hash.update(`\n${name}\n`);
    hash.update(fs.readFileSync(path.join(migrationsDir, name)));
  }
  return hash.digest('hex').slice(0, 16);
}

/** The installed PGlite's version: its package.json is not exported, so walk up from the entry point. */
function pgliteVersion(): string {
  let dir = path.dirname(fileURLToPath(import.meta.resolve('@electric-sql/pglite')));
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === '@electric-sql/pglite') return pkg.version ?? 'unknown';
    }
    if (path.dirname(dir) === dir) return 'unknown';
    dir = path.dirname(dir);
  }
}

/** Creates and migrates an in-memory PGlite and returns its data directory as an uncompressed tar. */
export async function buildPgliteTemplate(): Promise<Blob> {
  // Same extensions as openPglite: a dump can only be loaded where its extensions are available.
  const client = await PGlite.create({ extensions: { pg_trgm, unaccent } });
  const db = new Kysely<DB>({ dialect: new KyselyPGlite(client).dialect });
  try {
    await migrateToLatest(db);
    return await client.dumpDataDir('none');
  } finally {
    await db.destroy();
  }
}

let pgliteTemplate: Promise<Blob> | undefined;

function loadPgliteTemplate(): Promise<Blob> {
  pgliteTemplate ??= (async () => {
    const file = process.env.HROMADA_PGLITE_TEMPLATE;
    if (file && fs.existsSync(file)) return new Blob([fs.readFileSync(file)]);
    return buildPgliteTemplate();
  })();
  pgliteTemplate.catch(() => (pgliteTemplate = undefined));
  return pgliteTemplate;
}

async function createPgliteTestDatabase(): Promise<TestDatabase> {
  const handle = await openPglite(null, { loadDataDir: await loadPgliteTemplate() });
  const close = once(handle.close);
  return { ...handle, close, cleanup: close };
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL: one migrated template database per schema fingerprint, cloned per test database.

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function postgresUrl(): string {
  const url = process.env.DATABASE_URL_TEST;
  if (!url) throw new Error('TEST_DB=postgres needs DATABASE_URL_TEST, e.g. postgres://postgres@127.0.0.1:5432/postgres');
  return url;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function withAdmin<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {}); // a terminated admin connection must not crash the test process
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

type TemplateState = 'missing' | 'incomplete' | 'ready';

async function templateState(client: pg.Client, name: string): Promise<TemplateState> {
  const { rows } = await client.query<{ datistemplate: boolean }>('SELECT datistemplate FROM pg_database WHERE datname = $1', [name]);
  if (!rows[0]) return 'missing';
  return rows[0].datistemplate ? 'ready' : 'incomplete';
}

async function waitUntilReady(client: pg.Client, name: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await templateState(client, name)) !== 'ready') {
    if (Date.now() > deadline) throw new Error(`Template database ${name} did not become ready within ${timeoutMs} ms`);
    await sleep(200);
  }
}

const isCode = (error: unknown, ...codes: string[]) => codes.includes((error as { code?: string }).code ?? '');

/**
 * Makes sure the migrated template `hromada_tpl_<fingerprint>` exists and returns its name.
 * Parallel test processes serialise on an advisory lock; the template counts as complete only once
 * it is marked IS_TEMPLATE, which happens after its migrations ran, so a half-built one is rebuilt.
 */
export async function ensurePostgresTemplate(url: string = postgresUrl()): Promise<string> {
  const name = `hromada_tpl_${schemaFingerprint()}`;
  // Best effort, on a connection of its own so that nothing it meets can break the work below.
  await withAdmin(url, (client) => sweepStale(client, name)).catch(() => {});
  await withAdmin(url, async (client) => {
    if ((await templateState(client, name)) === 'ready') return;
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
    try {
      const state = await templateState(client, name);
      if (state === 'ready') return;
      if (state === 'incomplete') await dropDatabase(client, name);
      try {
        await client.query(`CREATE DATABASE ${quote(name)} TEMPLATE template0 ENCODING 'UTF8'`);
        await stamp(client, name);
      } catch (error) {
        // Someone outside the lock got there first: wait for their template instead of fighting.
        if (!isCode(error, '42P04', '23505')) throw error;
        await waitUntilReady(client, name);
        return;
      }
      const handle = openPostgres(withDatabase(url, name), 1);
      try {
        await migrateToLatest(handle.db);
      } finally {
        await handle.close();
      }
      await client.query(`ALTER DATABASE ${quote(name)} WITH IS_TEMPLATE true`);
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [name]).catch(() => {});
    }
  });
  return name;
}

async function dropDatabase(client: pg.Client, name: string, isTemplate = false): Promise<void> {
  // Only a template needs this, and only a valid one: ALTER on a half-dropped database is FATAL.
  if (isTemplate) await client.query(`ALTER DATABASE ${quote(name)} WITH IS_TEMPLATE false`);
  await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
  await client.query(`DROP DATABASE IF EXISTS ${quote(name)} WITH (FORCE)`);
}

/**
 * pg's pool.end() resolves before its sockets have closed; terminating those backends then makes the
 * closing clients emit an unhandled error in the test process. So give them a moment to leave first.
 */
async function waitForDisconnect(client: pg.Client, name: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
    if (rows[0]?.n === 0 || Date.now() > deadline) return;
    await sleep(20);
  }
}

const stampPrefix = 'hromada test database, created ';
const staleAfterMs = 2 * 60 * 60 * 1000;

/** Records when a throwaway database was made, so that later runs can sweep what a crashed run left. */
async function stamp(client: pg.Client, name: string): Promise<void> {
  const note = `${stampPrefix}${new Date().toISOString()}`;
  await client.query(`COMMENT ON DATABASE ${quote(name)} IS '${note}'`);
}

/** Drops idle test and template databases older than two hours (not the current template); one sweeper at a time. */
async function sweepStale(client: pg.Client, keep: string): Promise<void> {
  const lock = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(hashtext('hromada_sweep')) AS ok`);
  if (!lock.rows[0]?.ok) return;
  try {
    const { rows } = await client.query<{ datname: string; datistemplate: boolean; note: string | null }>(
      `SELECT d.datname, d.datistemplate, shobj_description(d.oid, 'pg_database') AS note FROM pg_database d
        WHERE (d.datname LIKE 'hromada\\_t\\_%' OR d.datname LIKE 'hromada\\_tpl\\_%') AND d.datname <> $1
          AND d.datconnlimit <> -2 AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)`,
      [keep],
    );
    for (const { datname, datistemplate, note } of rows) {
      const created = note?.startsWith(stampPrefix) ? Date.parse(note.slice(stampPrefix.length)) : NaN;
      if (Date.now() - created > staleAfterMs) await dropDatabase(client, datname, datistemplate);
    }
  } finally {
    await client.query(`SELECT pg_advisory_unlock(hashtext('hromada_sweep'))`);
  }
}

let postgresTemplate: Promise<string> | undefined;

async function createPostgresTestDatabase(): Promise<TestDatabase> {
  const url = postgresUrl();
  postgresTemplate ??= ensurePostgresTemplate(url);
  postgresTemplate.catch(() => (postgresTemplate = undefined));
  const template = await postgresTemplate;
  const name = `hromada_t_${crypto.randomBytes(6).toString('hex')}`;
  await withAdmin(url, async (client) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE ${quote(name)} TEMPLATE ${quote(template)}`);
        await stamp(client, name);
        return;
      } catch (error) {
        // 55006: the template is briefly in use (its builder is still disconnecting).
        if (!isCode(error, '55006') || attempt >= 50) throw error;
        await sleep(100);
      }
    }
  });
  const handle = openPostgres(withDatabase(url, name));
  const close = once(handle.close);
  return {
    ...handle,
    close,
    cleanup: once(async () => {
      await close();
      await withAdmin(url, async (client) => {
        await waitForDisconnect(client, name);
        await dropDatabase(client, name);
      });
    }),
  };
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}

/** A fresh, migrated database on the backend named by TEST_DB (`pglite`, the default, or `postgres`). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const backend = process.env.TEST_DB ?? 'pglite';
  if (backend === 'pglite') return createPgliteTestDatabase();
  if (backend === 'postgres') return createPostgresTestDatabase();
  throw new Error(`TEST_DB must be "pglite" or "postgres", not "${backend}"`);
}
