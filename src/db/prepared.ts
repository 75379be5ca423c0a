import pg from 'pg';
import { sql } from 'kysely';

/**
 * Hot statements (a signature's INSERT, the session lookup, the rate-limit count) are parsed and planned
 * once per connection instead of once per call: on a PostgreSQL server, planning them cost about a third
 * of the database's CPU per signature. A statement opts in by ending with `prepared`
 * (sql`… ${prepared}` or `.modifyEnd(prepared)`), a comment that changes nothing where it is not
 * understood (PGlite plans every statement, as before). Only statements whose text is fixed should opt in:
 * each distinct text stays prepared on each connection for the connection's life.
 */
const MARK = '/* prepared */';
export const prepared = sql.raw(` ${MARK}`);

/** More distinct texts than this on one connection means a statement that varies: the rest run unprepared. */
const MAX_PREPARED = 64;

/** A pg client that runs statements marked `prepared` as named prepared statements (see `prepared`). */
export class PreparingClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    const names = new Map<string, string>();
    const query = this.query.bind(this) as (...args: unknown[]) => unknown;
    // Kysely calls query(text, values); everything else (pg's own calls, config objects) passes through.
    this.query = ((...args: unknown[]) => {
      const [text, values] = args;
      if (typeof text === 'string' && text.endsWith(MARK) && args.length === 2) {
        let name = names.get(text);
        if (!name && names.size < MAX_PREPARED) names.set(text, (name = `hromada_${names.size + 1}`));
        if (name) return query({ name, text, values });
      }
      return query(...args);
    }) as pg.Client['query'];
  }
}
