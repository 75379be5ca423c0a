import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { KyselyPGlite } from 'kysely-pglite';
import pg from 'pg';
import {
  Kysely,
  PostgresDialect,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type TransactionSettings,
} from 'kysely';
import type { DB } from './schema.ts';
import { PreparingClient } from './prepared.ts';

export type Database = Kysely<DB>;

export interface DatabaseHandle {
  db: Database;
  dialect: 'pglite' | 'postgres';
  close(): Promise<void>;
}

// int8 (counts, bigserial ids) as JavaScript numbers on both dialects, so code sees one type.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));
// A calendar date stays its text (YYYY-MM-DD): as a Date it would be midnight in the server's time zone.
pg.types.setTypeParser(1082, (v) => v);

/**
 * PGlite has a single connection; Kysely assumes a pool. Without this lock two concurrent
 * transactions would interleave on one connection, so connections are handed out one at a time.
 */
class SerialDriver implements Driver {
  #queue: Promise<void> = Promise.resolve();
  #release = new Map<DatabaseConnection, () => void>();
  constructor(private readonly inner: Driver) {}
  init() {
    return this.inner.init();
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    let release!: () => void;
    const previous = this.#queue;
    this.#queue = new Promise<void>((resolve) => (release = resolve));
    await previous;
    const connection = withAffectedRows(await this.inner.acquireConnection());
    this.#release.set(connection, release);
    return connection;
  }
  async releaseConnection(connection: DatabaseConnection) {
    await this.inner.releaseConnection(connection);
    this.#release.get(connection)?.();
    this.#release.delete(connection);
  }
  beginTransaction(c: DatabaseConnection, s: TransactionSettings) {
    return this.inner.beginTransaction(c, s);
  }
  commitTransaction(c: DatabaseConnection) {
    return this.inner.commitTransaction(c);
  }
  rollbackTransaction(c: DatabaseConnection) {
    return this.inner.rollbackTransaction(c);
  }
  destroy() {
    return this.inner.destroy();
  }
}

/**
 * kysely-pglite does not pass PGlite's `affectedRows` on, so `numUpdatedRows`/`numDeletedRows` would
 * always read 0 on PGlite while PostgreSQL reports them: map it, so code behaves the same on both.
 */
function withAffectedRows(connection: DatabaseConnection): DatabaseConnection {
  return {
    async executeQuery(query) {
      const result = (await connection.executeQuery(query)) as { rows: unknown[]; affectedRows?: number; numAffectedRows?: bigint };
      if (result.numAffectedRows === undefined && typeof result.affectedRows === 'number' && !/^\s*select/i.test(query.sql)) {
        result.numAffectedRows = BigInt(result.affectedRows);
      }
      return result as never;
    },
    streamQuery: (query, chunkSize) => connection.streamQuery(query, chunkSize),
  };
}

/** Opens the embedded PGlite database in `dataDir` (or in memory when null), optionally starting from a dump. */
export async function openPglite(dataDir: string | null, opts: { loadDataDir?: Blob } = {}): Promise<DatabaseHandle> {
  if (dataDir) fs.mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
    extensions: { pg_trgm, unaccent },
    parsers: { 20: (v: string) => Number(v), 1700: (v: string) => Number(v), 1082: (v: string) => v },
  });
  const base = new KyselyPGlite(client).dialect;
  const dialect: Dialect = { ...base, createDriver: () => new SerialDriver(base.createDriver()) };
  const db = new Kysely<DB>({ dialect });
  return { db, dialect: 'pglite', close: () => db.destroy() };
}

/**
 * Connects to a PostgreSQL server through a `pg` pool. Its prepared statements (db/prepared.ts) use their generic
 * plan from the first run: they are the hot batch statements over arrays (`unnest($1::int[])`), for which
 * PostgreSQL would otherwise plan again at each run, the bind costing more than the work; other statements are
 * unnamed and planned per run with their values, as before.
 */
export function openPostgres(url: string, max = 10): DatabaseHandle {
  const pool = new pg.Pool({ connectionString: url, max, Client: PreparingClient, options: '-c plan_cache_mode=force_generic_plan' });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}

/** The database the configuration asks for: a server when DATABASE_URL is set, else PGlite in DATA_DIR. */
export async function openDatabase(config: { databaseUrl: string | null; dataDir: string }): Promise<DatabaseHandle> {
  if (config.databaseUrl) return openPostgres(config.databaseUrl);
  return openPglite(`${config.dataDir}/db`);
}
