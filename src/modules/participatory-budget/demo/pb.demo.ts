import type { Municipality } from '../../../db/schema.ts';
import type { Deps } from '../../../platform/http/deps.ts';
import type { DemoPeople } from '../../../platform/module.ts';
import { listDepartments } from '../../../platform/tenancy/municipality.repo.ts';
import { findCycle, listCycles } from '../cycle.repo.ts';
import { addCategory } from '../cycles/category.service.ts';
import { createCycle, publishCycle } from '../cycles/cycle.service.ts';
import { DAY, DemoClock, type DemoContext } from './context.ts';
import { demoTexts } from './demo-content.ts';
import { implement } from './implementation.ts';
import { DEMO_PLANS, planCategories, planInput, type CyclePlan } from './plan.ts';
import { submitAndReview } from './projects.ts';
import { castBallots, publish } from './voting.ts';
import { demoVoters } from './voters.ts';

/**
 * Participatory budget cycles of a demo municipality (demo/plan.ts), each taken through its past by the module's
 * own services: the administrator creates and publishes it, residents submit projects, the department reviews
 * them, residents vote, the results are published and the winners built. A cycle the municipality already has
 * (the same title) is left as it is, so running the demo again adds nothing.
 */
export async function pbDemo(deps: Deps, m: Municipality, people: DemoPeople): Promise<void> {
  const db = deps.db;
  const texts = demoTexts(m.default_locale);
  const official = { id: people.officials[0] ?? people.admin, ip: null };
  const now = Date.now();
  const ctx: DemoContext = {
    deps, m, texts, people, official, admin: { id: people.admin, ip: null }, now,
    departmentId: (await listDepartments(db, m.id)).find((d) => d.slug === 'communal')?.id ?? null,
    voters: await demoVoters(db, m, texts, official.id),
    clock: new DemoClock(db, m.id),
  };
  const titles = new Set((await listCycles(db, m.id, { drafts: true })).map((c) => c.title));
  for (const plan of DEMO_PLANS[m.slug] ?? DEMO_PLANS.zhovkva!) {
    const input = planInput(plan, m, texts, now);
    if (!titles.has(input.title)) await runCycle(ctx, plan, input);
  }
}

/** One cycle, from its draft to the phase its plan puts it in. */
async function runCycle(ctx: DemoContext, plan: CyclePlan, input: ReturnType<typeof planInput>): Promise<void> {
  const { deps, m, admin } = ctx;
  const { number } = await createCycle(deps, admin, m, input, null);
  // Announced two weeks before submission opens (a cycle about to open, a few days ago).
  const publishedAt = new Date(Math.min(input.submission_opens.getTime() - 14 * DAY, ctx.now - 5 * DAY));
  await ctx.clock.stamp(new Date(publishedAt.getTime() - 2 * DAY));
  for (const c of planCategories(plan, m)) {
    const r = await addCategory(deps, admin, m, number, c.slug, c.values, null);
    if (r.kind !== 'done') throw new Error(`pb demo: category ${r.kind}`);
  }
  const published = await publishCycle(deps, admin, m, number, publishedAt);
  if (published !== 'published') throw new Error(`pb demo: publish ${published}`);
  const load = async () => (await findCycle(ctx.deps.db, m.id, number))!;
  if (plan.phase === 'information') return;
  const admitted = await submitAndReview(ctx, await load(), plan);
  if (plan.phase === 'submission' || plan.phase === 'review') return;
  await castBallots(ctx, await load(), plan.phase, admitted);
  if (plan.phase === 'voting') return;
  const funded = await publish(ctx, number);
  if (plan.phase === 'implementation') await implement(ctx, await load(), funded);
}
