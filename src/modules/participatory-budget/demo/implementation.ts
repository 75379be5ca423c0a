import { localDate } from '../../../platform/time/working-days.ts';
import { countedCost } from '../cost.ts';
import { implementationVersion, projectByNumber, type ImplementationValues } from '../implementation/impl.repo.ts';
import { addMilestone, postUpdate, setProjectImplementation, type ImplOutcome } from '../implementation/impl.service.ts';
import type { Cycle, ImplementationStatus } from '../pb.tables.ts';
import { DAY, notAfterNow, type DemoContext } from './context.ts';

/**
 * How far each funded project of the past cycle has come, by its place among the funded: the first is built and
 * open, the second half built, the third in procurement, the rest planned. `milestones`: how many of the three
 * are reached; `updates`: the progress each update reported (the language's update texts, in order).
 */
interface Stage { status: ImplementationStatus; progress: number; milestones: number; updates: number[]; dueInDays: number }
const STAGES: Stage[] = [
  { status: 'completed', progress: 100, milestones: 3, updates: [10, 70, 100], dueInDays: 210 },
  { status: 'in_progress', progress: 60, milestones: 2, updates: [10, 60], dueInDays: 360 },
  { status: 'procurement', progress: 0, milestones: 0, updates: [], dueInDays: 420 },
];
const PLANNED: Stage = { status: 'planned', progress: 0, milestones: 0, updates: [], dueInDays: 480 };

/** Days after implementation opened that each milestone is due, and that each update was posted. */
const MILESTONE_DAYS = [30, 120, 200];
const UPDATE_DAYS = [35, 125, 205];

const check = (what: string, o: ImplOutcome) => {
  if (o.kind !== 'done') throw new Error(`pb demo: ${what} ${o.kind}`);
};

/**
 * The funded projects of a past cycle as the department has run them since implementation opened: the contract
 * (status, due date, money), milestones, updates with the progress they report, and where the project is now.
 */
export async function implement(ctx: DemoContext, cycle: Cycle, funded: number[]): Promise<void> {
  const { m, now } = ctx;
  const opened = cycle.implementation_opens.getTime();
  const day = (days: number) => localDate(new Date(opened + days * DAY), m.time_zone);
  const at = (days: number) => notAfterNow(new Date(opened + days * DAY), now);
  for (const [f, number] of funded.entries()) {
    const stage = STAGES[f] ?? PLANNED;
    const load = async () => (await projectByNumber(ctx.deps.db, m.id, number))!;
    const cost = countedCost(await load());
    const contracted = stage.status === 'planned' || stage.status === 'procurement' ? null : Math.round(cost * 0.96);
    const values = (status: ImplementationStatus, progress: number, spent: number): ImplementationValues =>
      ({ impl_status: status, progress, due_on: day(stage.dueInDays), contracted, spent });
    const set = async (v: ImplementationValues, days: number) => {
      const p = await load();
      check('status', await setProjectImplementation(ctx.deps, ctx.official, m, p, await implementationVersion(ctx.deps.db, p.id), v));
      await ctx.clock.stamp(at(days));
    };
    // Each step on its day, in the order of the days, so the timeline reads in time order.
    const steps: [number, () => Promise<void>][] = [];
    // First the contract, with the project under way (or still in procurement, or only planned).
    steps.push([3 + f, () => set(values(stage.status === 'completed' ? 'in_progress' : stage.status, 0, 0), 3 + f)]);
    for (const [i, title] of ctx.texts.milestones.entries()) {
      if (stage.status === 'planned' && i > 0) break;
      const done = i < stage.milestones ? MILESTONE_DAYS[i]! - 2 : null;
      const when = done ?? 5 + f;
      steps.push([when, async () => {
        check('milestone', await addMilestone(ctx.deps, ctx.official, m, await load(), { title, due_on: day(MILESTONE_DAYS[i]!), done_on: done === null ? null : day(done) }));
        await ctx.clock.stamp(at(when));
      }]);
    }
    for (const [i, progress] of stage.updates.entries()) {
      steps.push([UPDATE_DAYS[i]!, async () => {
        check('update', await postUpdate(ctx.deps, ctx.official, m, await load(), { body: ctx.texts.updates[i]!, progress }, null, null));
        await ctx.clock.stamp(at(UPDATE_DAYS[i]!));
      }]);
    }
    if (stage.progress > 0) {
      const last = UPDATE_DAYS[stage.updates.length - 1]! + 1;
      steps.push([last, () => set(values(stage.status, stage.progress, Math.round((contracted ?? cost) * (stage.progress / 100) * 0.97)), last)]);
    }
    for (const [, step] of steps.sort((a, b) => a[0] - b[0])) await step();
  }
}
