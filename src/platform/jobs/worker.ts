import type { FastifyBaseLogger } from 'fastify';
import type { Deps } from '../http/deps.ts';
import type { PeriodicTask } from '../module.ts';
import { claimJobs, completeJob, failJob, type JobHandler } from './queue.ts';

export interface Worker {
  /** Runs due jobs once; returns how many ran. Tests call it directly. */
  tick(): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

/** A polling worker over the jobs table; `handlers` maps job kinds to their code. */
export function createWorker(deps: Deps, handlers: Record<string, JobHandler>, log: FastifyBaseLogger, intervalMs = 1000, periodic: PeriodicTask[] = []): Worker {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;
  let stopped = false;
  const lastRun = new Map<string, number>();

  async function runPeriodic(): Promise<void> {
    for (const task of periodic) {
      const now = Date.now();
      if (now - (lastRun.get(task.name) ?? 0) < task.everySeconds * 1000) continue;
      lastRun.set(task.name, now);
      try {
        await task.run(deps);
      } catch (err) {
        log.warn({ task: task.name, err }, 'periodic task failed');
      }
    }
  }

  async function tick(): Promise<number> {
    await runPeriodic();
    const jobs = await claimJobs(deps.db, 10);
    for (const job of jobs) {
      const handler = handlers[job.kind];
      try {
        if (!handler) throw new Error(`No handler for job kind ${job.kind}`);
        await handler(job.payload, deps, { id: job.id, attempts: job.attempts });
        await completeJob(deps.db, job.id);
      } catch (error) {
        const outcome = await failJob(deps.db, job, error);
        log.warn({ job: job.id, kind: job.kind, outcome, err: error }, 'job failed');
      }
    }
    return jobs.length;
  }

  function schedule(delay: number) {
    if (stopped) return;
    timer = setTimeout(async () => {
      running = tick().catch((err) => {
        log.error({ err }, 'worker tick failed');
        return 0;
      });
      const n = await running;
      running = null;
      schedule(n > 0 ? 0 : intervalMs);
    }, delay);
  }

  return {
    tick,
    start: () => schedule(0),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (running) await running;
    },
  };
}
