import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { AttemptPolicy } from './attempts.ts';

// A key's level is how many charged attempts are still remembered: each adds one and one drains away every
// `leakMs`. It is kept as the moment the key will have drained (`reset_at`), so it needs no clock of its own:
// level = (reset_at - now) / leak. The cleanup job deletes drained rows with the other rate limits.
const level = (leakMs: number) => sql<number>`extract(epoch FROM greatest(r.reset_at, now()) - now()) * 1000 / ${leakMs}::float8`;

/** What charging an attempt did: refused (seconds to wait), or charged, and whether this charge set a lock. */
export type Charge = { charged: false; waitSeconds: number } | { charged: true; locked: boolean };

/**
 * Charges one attempt to a key unless it is locked. The charge that brings the level to `free` locks the key
 * for `baseMs`, each further one for twice as long as the one before, at most `maxMs` (the exponent is the
 * level beyond `free`, rounded, so attempts that drained away lower it again). One statement: parallel
 * attempts queue on the row and only those before the lock get through, so a burst cannot outrun it.
 */
export async function chargeAttempt(db: Database, key: string, p: AttemptPolicy): Promise<Charge> {
  const beyond = sql<number>`round(${level(p.leakMs)} + 1 - ${p.free}::int)`;
  const { rows } = await sql<{ locked: boolean }>`
    INSERT INTO rate_limits AS r (key, count, reset_at, blocked_until)
    VALUES (${key}, 1, now() + ${p.leakMs} * interval '1 millisecond',
      CASE WHEN 1 >= ${p.free}::int THEN now() + ${p.baseMs} * interval '1 millisecond' END)
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN r.reset_at <= now() THEN 1 ELSE r.count + 1 END,
      reset_at = greatest(r.reset_at, now()) + ${p.leakMs} * interval '1 millisecond',
      blocked_until = CASE WHEN ${beyond} >= 0
        THEN now() + least(${p.baseMs}::float8 * power(2, ${beyond}), ${p.maxMs}::float8) * interval '1 millisecond' END
    WHERE r.blocked_until IS NULL OR r.blocked_until <= now()
    RETURNING blocked_until IS NOT NULL AS locked`.execute(db);
  if (rows[0]) return { charged: true, locked: rows[0].locked };
  const row = await db.selectFrom('rate_limits')
    .select(sql<number>`ceil(extract(epoch FROM blocked_until - now()))`.as('wait')).where('key', '=', key).executeTakeFirst();
  return { charged: false, waitSeconds: Math.max(1, Number(row?.wait ?? 1)) };
}

/**
 * Takes back one charge: an attempt that succeeded, or one refused by another key. A lock that charge set
 * goes with it (the key was unlocked before it); so does one the remaining level no longer reaches.
 */
export async function refundAttempt(db: Database, key: string, p: AttemptPolicy, charge: { locked: boolean }): Promise<void> {
  await sql`
    UPDATE rate_limits AS r SET
      count = greatest(r.count - 1, 0),
      reset_at = r.reset_at - ${p.leakMs} * interval '1 millisecond',
      blocked_until = CASE WHEN ${charge.locked} OR ${level(p.leakMs)} - 1 < ${p.free}::int - 0.5 THEN NULL ELSE r.blocked_until END
    WHERE key = ${key}`.execute(db);
}

/** Forgets a key (an account whose owner just signed in). */
export async function clearAttempts(db: Database, key: string): Promise<void> {
  await db.deleteFrom('rate_limits').where('key', '=', key).execute();
}
