import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { Deps } from '../http/deps.ts';

/** Does one job; throwing schedules a retry with backoff until max_attempts, then the job is dead. */
export type JobHandler = (payload: Record<string, unknown>, deps: Deps, job: { id: number; attempts: number }) => Promise<void>;

export interface EnqueueOptions {
  runAt?: Date;
  maxAttempts?: number;
  municipalityId?: number | null;
  /** A job with the same key that is not finished is not enqueued twice. */
  dedupeKey?: string;
}

/** Adds a job; inside a transaction it commits (or not) with the caller's write. */
export async function enqueue(db: Database, kind: string, payload: Record<string, unknown>, opts: EnqueueOptions = {}): Promise<void> {
  await db
    .insertInto('jobs')
    .values({
      kind,
      payload: JSON.stringify(payload),
      municipality_id: opts.municipalityId ?? null,
      run_at: opts.runAt ?? new Date(),
      max_attempts: opts.maxAttempts ?? 5,
      dedupe_key: opts.dedupeKey ?? null,
      last_error: null,
      locked_until: null,
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute();
}

export interface ClaimedJob {
  id: number;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
  max_attempts: number;
}

/**
 * Claims up to `limit` due jobs with FOR UPDATE SKIP LOCKED, so several workers never take the same one.
 * A running job whose lock expired (its worker died) is taken again.
 */
export async function claimJobs(db: Database, limit: number, lockSeconds = 300): Promise<ClaimedJob[]> {
  const lock = `${lockSeconds} seconds`;
  const result = await sql<ClaimedJob>`
    UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_until = now() + ${lock}::interval, updated_at = now()
    WHERE id IN (
      SELECT id FROM jobs
      WHERE (state = 'queued' AND run_at <= now()) OR (state = 'running' AND locked_until < now())
      ORDER BY run_at, id
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    RETURNING id, kind, payload, attempts, max_attempts`.execute(db);
  return result.rows;
}

export async function completeJob(db: Database, id: number): Promise<void> {
  await db.updateTable('jobs').set({ state: 'done', locked_until: null, updated_at: new Date(), dedupe_key: null }).where('id', '=', id).execute();
}

/** Exponential backoff: 10 s, 40 s, 2.5 min, 10 min … capped at 6 hours. */
export function backoffSeconds(attempts: number): number {
  return Math.min(6 * 3600, 10 * 4 ** Math.max(0, attempts - 1));
}

export async function failJob(db: Database, job: ClaimedJob, error: unknown): Promise<'retry' | 'dead'> {
  const message = error instanceof Error ? `${error.message}\n${error.stack ?? ''}`.slice(0, 4000) : String(error);
  const dead = job.attempts >= job.max_attempts;
  await db
    .updateTable('jobs')
    .set({
      state: dead ? 'dead' : 'queued',
      last_error: message,
      locked_until: null,
      run_at: new Date(Date.now() + backoffSeconds(job.attempts) * 1000),
      updated_at: new Date(),
      ...(dead ? { dedupe_key: null } : {}),
    })
    .where('id', '=', job.id)
    .execute();
  return dead ? 'dead' : 'retry';
}

/** Puts a dead job back in the queue (admin action). */
export async function retryJob(db: Database, id: number): Promise<boolean> {
  const r = await db.updateTable('jobs').set({ state: 'queued', attempts: 0, run_at: new Date(), updated_at: new Date() })
    .where('id', '=', id).where('state', '=', 'dead').executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function listJobs(db: Database, state: 'dead' | 'queued' | 'running', limit = 100) {
  return db.selectFrom('jobs').select(['id', 'kind', 'payload', 'attempts', 'max_attempts', 'run_at', 'last_error', 'updated_at'])
    .where('state', '=', state).orderBy('updated_at', 'desc').limit(limit).execute();
}
