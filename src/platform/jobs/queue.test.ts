import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'kysely';
import { loadConfig } from '../../config.ts';
import type { Deps } from '../http/deps.ts';
import { createTestDatabase, type TestDatabase } from '../testing/db.ts';
import { backoffSeconds, claimJobs, completeJob, enqueue, failJob, retryJob, type ClaimedJob } from './queue.ts';
import { createWorker, type Worker } from './worker.ts';

let tdb: TestDatabase;
before(async () => {
  tdb = await createTestDatabase();
});
after(() => tdb?.cleanup());
// Each test starts from an empty queue, so a claim only ever sees that test's jobs.
beforeEach(async () => {
  await tdb.db.deleteFrom('jobs').execute();
});

const row = (id: number) =>
  tdb.db.selectFrom('jobs').select(['id', 'kind', 'state', 'attempts', 'max_attempts', 'run_at', 'locked_until', 'last_error', 'dedupe_key'])
    .where('id', '=', id).executeTakeFirstOrThrow();

const idsOf = (kind: string) =>
  tdb.db.selectFrom('jobs').select('id').where('kind', '=', kind).orderBy('id').execute().then((rows) => rows.map((r) => r.id));

/** Makes a queued job due now, as if its backoff had passed. */
const makeDue = (id: number) =>
  tdb.db.updateTable('jobs').set({ run_at: new Date(Date.now() - 1000) }).where('id', '=', id).execute();

describe('job queue', () => {
  test('enqueue, claim and complete a job', async () => {
    await enqueue(tdb.db, 'test.hello', { name: 'Olena', n: 3 }, { maxAttempts: 7 });
    const [id] = await idsOf('test.hello');
    assert.ok(id);
    assert.equal((await row(id)).state, 'queued');

    const claimed = await claimJobs(tdb.db, 10);
    assert.equal(claimed.length, 1);
    const job = claimed[0]!;
    assert.equal(job.id, id);
    assert.equal(job.kind, 'test.hello');
    assert.deepEqual(job.payload, { name: 'Olena', n: 3 });
    assert.equal(job.attempts, 1);
    assert.equal(job.max_attempts, 7);

    const running = await row(id);
    assert.equal(running.state, 'running');
    assert.ok(running.locked_until && running.locked_until.getTime() > Date.now(), 'a claimed job is locked into the future');
    assert.deepEqual(await claimJobs(tdb.db, 10), [], 'a running job with a live lock is not claimed twice');

    await completeJob(tdb.db, id);
    const done = await row(id);
    assert.equal(done.state, 'done');
    assert.equal(done.locked_until, null);
    assert.deepEqual(await claimJobs(tdb.db, 10), [], 'a finished job is not claimed again');
  });

  test('a job due later is not claimed before its time', async () => {
    await enqueue(tdb.db, 'test.later', {}, { runAt: new Date(Date.now() + 3600_000) });
    assert.deepEqual(await claimJobs(tdb.db, 10), []);
    const [id] = await idsOf('test.later');
    await makeDue(id!);
    assert.deepEqual((await claimJobs(tdb.db, 10)).map((j) => j.id), [id]);
  });

  test('claims honour the limit and take the oldest due jobs first', async () => {
    for (let i = 0; i < 5; i++) await enqueue(tdb.db, 'test.order', { i }, { runAt: new Date(Date.now() - (10 - i) * 1000) });
    // RETURNING has no order: which jobs are taken matters, not the order they come back in.
    const first = await claimJobs(tdb.db, 2);
    assert.deepEqual(first.map((j) => j.payload.i).sort(), [0, 1]);
    const rest = await claimJobs(tdb.db, 10);
    assert.deepEqual(rest.map((j) => j.payload.i).sort(), [2, 3, 4]);
  });

  test('backoff grows fourfold from 10 seconds and stops at 6 hours', () => {
    assert.deepEqual([1, 2, 3, 4, 5].map(backoffSeconds), [10, 40, 160, 640, 2560]);
    assert.equal(backoffSeconds(0), 10);
    assert.equal(backoffSeconds(8), 6 * 3600);
    assert.equal(backoffSeconds(50), 6 * 3600);
  });

  test('a failed job is retried with backoff and is dead after max_attempts, keeping its last error', async () => {
    await enqueue(tdb.db, 'test.flaky', {}, { maxAttempts: 3 });
    const [id] = await idsOf('test.flaky');

    for (let attempt = 1; attempt <= 3; attempt++) {
      const [job] = await claimJobs(tdb.db, 10);
      assert.ok(job, `attempt ${attempt} is claimed`);
      assert.equal(job.id, id);
      assert.equal(job.attempts, attempt);
      const before = Date.now();
      const outcome = await failJob(tdb.db, job, new Error(`boom ${attempt}`));
      const after = Date.now();
      const r = await row(id!);
      assert.equal(r.locked_until, null);
      assert.match(r.last_error ?? '', new RegExp(`^boom ${attempt}\\n`), 'the message, then the stack');
      if (attempt < 3) {
        assert.equal(outcome, 'retry');
        assert.equal(r.state, 'queued');
        const delay = backoffSeconds(attempt) * 1000;
        assert.ok(r.run_at.getTime() >= before + delay && r.run_at.getTime() <= after + delay,
          `run_at moves forward by ${delay} ms after attempt ${attempt}`);
        assert.deepEqual(await claimJobs(tdb.db, 10), [], 'not retried before its backoff has passed');
        await makeDue(id!);
      } else {
        assert.equal(outcome, 'dead');
        assert.equal(r.state, 'dead');
        assert.equal(r.attempts, 3);
      }
    }
    await makeDue(id!);
    assert.deepEqual(await claimJobs(tdb.db, 10), [], 'a dead job is never claimed');
    assert.match((await row(id!)).last_error ?? '', /^boom 3/);
  });

  test('a thrown non-Error is recorded as text', async () => {
    await enqueue(tdb.db, 'test.string-error', {}, { maxAttempts: 1 });
    const [job] = await claimJobs(tdb.db, 1);
    assert.equal(await failJob(tdb.db, job!, 'plain words'), 'dead');
    assert.equal((await row(job!.id)).last_error, 'plain words');
  });

  test('a dedupe key keeps a second unfinished job out, and frees up once the job is done or dead', async () => {
    await enqueue(tdb.db, 'test.dedupe', { n: 1 }, { dedupeKey: 'digest:7' });
    await enqueue(tdb.db, 'test.dedupe', { n: 2 }, { dedupeKey: 'digest:7' });
    let ids = await idsOf('test.dedupe');
    assert.equal(ids.length, 1, 'the second enqueue with the same key is dropped');
    assert.deepEqual((await claimJobs(tdb.db, 10)).map((j) => j.payload), [{ n: 1 }]);

    // Still unfinished while running.
    await enqueue(tdb.db, 'test.dedupe', { n: 3 }, { dedupeKey: 'digest:7' });
    assert.equal((await idsOf('test.dedupe')).length, 1, 'a running job still holds its key');

    await completeJob(tdb.db, ids[0]!);
    await enqueue(tdb.db, 'test.dedupe', { n: 4 }, { dedupeKey: 'digest:7' });
    ids = await idsOf('test.dedupe');
    assert.equal(ids.length, 2, 'after completion the key may be used again');

    const [second] = await claimJobs(tdb.db, 10);
    assert.deepEqual(second?.payload, { n: 4 });
    await failJob(tdb.db, { ...second!, attempts: second!.max_attempts }, new Error('gave up'));
    assert.equal((await row(second!.id)).state, 'dead');
    await enqueue(tdb.db, 'test.dedupe', { n: 5 }, { dedupeKey: 'digest:7' });
    assert.equal((await idsOf('test.dedupe')).length, 3, 'a dead job does not block a new one with its key');

    // Without a key, identical jobs are all kept.
    await enqueue(tdb.db, 'test.nokey', {});
    await enqueue(tdb.db, 'test.nokey', {});
    assert.equal((await idsOf('test.nokey')).length, 2);
  });

  test('a running job whose lock expired (its worker died) is claimed again', async () => {
    await enqueue(tdb.db, 'test.orphan', {});
    const [first] = await claimJobs(tdb.db, 10);
    assert.ok(first);
    assert.deepEqual(await claimJobs(tdb.db, 10), []);

    await tdb.db.updateTable('jobs').set({ locked_until: new Date(Date.now() - 1000) }).where('id', '=', first.id).execute();
    const again = await claimJobs(tdb.db, 10);
    assert.deepEqual(again.map((j) => [j.id, j.attempts]), [[first.id, 2]], 'taken again, as a second attempt');
    const r = await row(first.id);
    assert.equal(r.state, 'running');
    assert.ok(r.locked_until && r.locked_until.getTime() > Date.now(), 'with a fresh lock');
  });

  test('the lock lasts as long as asked', async () => {
    await enqueue(tdb.db, 'test.lock', {});
    const [job] = await claimJobs(tdb.db, 1, 3600);
    const { rows } = await sql<{ secs: number }>`SELECT extract(epoch FROM locked_until - now())::float8 AS secs FROM jobs WHERE id = ${job!.id}`.execute(tdb.db);
    assert.ok(rows[0]!.secs > 3000 && rows[0]!.secs <= 3600, `lock of about an hour, got ${rows[0]!.secs} s`);
  });

  test('concurrent claims never hand out the same job twice', async () => {
    const total = 20;
    for (let i = 0; i < total; i++) await enqueue(tdb.db, 'test.race', { i });
    const claimedBy = new Map<number, number>();
    const batches: ClaimedJob[][] = [];

    async function claimLoop(worker: number) {
      for (;;) {
        const batch = await claimJobs(tdb.db, 3);
        batches.push(batch);
        if (batch.length === 0) return;
        for (const job of batch) {
          assert.equal(claimedBy.has(job.id), false, `job ${job.id} claimed by workers ${claimedBy.get(job.id)} and ${worker}`);
          claimedBy.set(job.id, worker);
        }
        await Promise.all(batch.map((job) => completeJob(tdb.db, job.id)));
      }
    }

    // On PostgreSQL the test database is a pool, so these claims really run side by side.
    await Promise.all([1, 2, 3, 4, 5].map(claimLoop));
    assert.equal(claimedBy.size, total, 'every job was claimed');
    assert.ok(batches.every((b) => b.length <= 3), 'no claim returns more than its limit');
    const states = await tdb.db.selectFrom('jobs').select(['state', 'attempts']).where('kind', '=', 'test.race').execute();
    assert.ok(states.every((s) => s.state === 'done' && s.attempts === 1), 'each job ran exactly once');
    assert.deepEqual(await claimJobs(tdb.db, 100), []);
  });

  test('retryJob puts a dead job back in the queue, and nothing else', async () => {
    await enqueue(tdb.db, 'test.retry', { x: 1 }, { maxAttempts: 1 });
    const [job] = await claimJobs(tdb.db, 1);
    await failJob(tdb.db, job!, new Error('smtp down'));
    assert.equal((await row(job!.id)).state, 'dead');

    assert.equal(await retryJob(tdb.db, job!.id), true);
    const r = await row(job!.id);
    assert.equal(r.state, 'queued');
    assert.equal(r.attempts, 0);
    assert.ok(r.run_at.getTime() <= Date.now(), 'due at once, not after a backoff');
    const [again] = await claimJobs(tdb.db, 1);
    assert.equal(again?.id, job!.id);
    assert.equal(again?.attempts, 1, 'a retried job gets its attempts afresh');

    assert.equal(await retryJob(tdb.db, job!.id), false, 'a running job is not "retried"');
    await completeJob(tdb.db, job!.id);
    assert.equal(await retryJob(tdb.db, job!.id), false, 'a done job is not retried');
    assert.equal((await row(job!.id)).state, 'done');
    assert.equal(await retryJob(tdb.db, 987654), false, 'an unknown id is not retried');
  });
});

describe('worker', () => {
  type LogCall = { level: 'warn' | 'error' | 'info'; obj: Record<string, unknown>; msg?: string };
  let logged: LogCall[];
  let deps: Deps;
  const ran: { payload: Record<string, unknown>; attempts: number }[] = [];
  const log = {
    warn: (obj: Record<string, unknown>, msg?: string) => logged.push({ level: 'warn', obj, msg }),
    error: (obj: Record<string, unknown>, msg?: string) => logged.push({ level: 'error', obj, msg }),
    info: (obj: Record<string, unknown>, msg?: string) => logged.push({ level: 'info', obj, msg }),
  } as unknown as FastifyBaseLogger;
  const handlers = {
    'test.ok': async (payload: Record<string, unknown>, d: Deps, job: { id: number; attempts: number }) => {
      assert.equal(d, deps, 'handlers get the worker\'s deps');
      ran.push({ payload, attempts: job.attempts });
    },
    'test.fail': async () => {
      throw new Error('handler exploded');
    },
  };
  let worker: Worker | null = null;

  before(() => {
    deps = { config: loadConfig({ NODE_ENV: 'test' }), db: tdb.db, dialect: tdb.dialect } as unknown as Deps;
  });
  beforeEach(() => {
    logged = [];
    ran.length = 0;
  });
  after(() => worker?.stop());

  test('tick() runs due jobs, completes the good ones and records failures', async () => {
    const w = createWorker(deps, handlers, log);
    await enqueue(tdb.db, 'test.ok', { greeting: 'привіт' });
    await enqueue(tdb.db, 'test.fail', {}, { maxAttempts: 2 });
    await enqueue(tdb.db, 'test.unknown-kind', {}, { maxAttempts: 1 });
    await enqueue(tdb.db, 'test.ok', { later: true }, { runAt: new Date(Date.now() + 3600_000) });

    assert.equal(await w.tick(), 3);
    assert.deepEqual(ran, [{ payload: { greeting: 'привіт' }, attempts: 1 }]);

    const byKind = Object.fromEntries(
      (await tdb.db.selectFrom('jobs').select(['kind', 'state', 'attempts', 'last_error']).where('run_at', '<=', new Date(Date.now() + 3600_000 - 60_000)).execute())
        .map((r) => [r.kind, r]),
    );
    assert.equal(byKind['test.ok']?.state, 'done');
    assert.equal(byKind['test.fail']?.state, 'queued', 'one attempt of two used: retried later');
    assert.equal(byKind['test.fail']?.attempts, 1);
    assert.match(byKind['test.fail']?.last_error ?? '', /^handler exploded/);
    assert.equal(byKind['test.unknown-kind']?.state, 'dead');
    assert.match(byKind['test.unknown-kind']?.last_error ?? '', /No handler for job kind test\.unknown-kind/);

    const warnings = logged.filter((l) => l.level === 'warn');
    assert.deepEqual(warnings.map((l) => [l.obj.kind, l.obj.outcome]).sort(), [['test.fail', 'retry'], ['test.unknown-kind', 'dead']]);
    assert.ok(warnings.every((l) => l.obj.err instanceof Error && typeof l.obj.job === 'number'));

    assert.equal(await w.tick(), 0, 'nothing else is due');
  });

  test('a failing job dies after its attempts, and retryJob lets the worker run it again', async () => {
    const w = createWorker(deps, handlers, log);
    let fail = true;
    const flaky = {
      'test.flaky': async () => {
        if (fail) throw new Error('still broken');
      },
    };
    const fw = createWorker(deps, flaky, log);
    await enqueue(tdb.db, 'test.flaky', {}, { maxAttempts: 2 });
    const [id] = await idsOf('test.flaky');
    assert.equal(await fw.tick(), 1);
    await makeDue(id!);
    assert.equal(await fw.tick(), 1);
    const dead = await row(id!);
    assert.equal(dead.state, 'dead');
    assert.equal(dead.attempts, 2);
    assert.match(dead.last_error ?? '', /^still broken/);
    assert.equal(await w.tick(), 0, 'a dead job is left alone');

    fail = false;
    assert.equal(await retryJob(tdb.db, id!), true);
    assert.equal(await fw.tick(), 1);
    assert.equal((await row(id!)).state, 'done');
  });

  test('start() polls in the background until stop()', async () => {
    worker = createWorker(deps, handlers, log, 20);
    worker.start();
    await enqueue(tdb.db, 'test.ok', { polled: true });
    const deadline = Date.now() + 15_000;
    while (!ran.some((r) => r.payload.polled) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.ok(ran.some((r) => r.payload.polled), 'the started worker ran the job');
    await worker.stop();
    worker = null;

    await enqueue(tdb.db, 'test.ok', { afterStop: true });
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(!ran.some((r) => r.payload.afterStop), 'a stopped worker runs nothing');
    const [id] = (await tdb.db.selectFrom('jobs').select('id').where('kind', '=', 'test.ok').orderBy('id', 'desc').limit(1).execute()).map((r) => r.id);
    assert.equal((await row(id!)).state, 'queued');
  });
});
