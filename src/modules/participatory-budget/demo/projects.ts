import type { CurrentUser } from '../../../platform/auth/current-user.ts';
import { costTotal } from '../cost.ts';
import { findCycle } from '../cycle.repo.ts';
import type { Cycle, CostItem } from '../pb.tables.ts';
import { submitProject } from '../projects/lifecycle.service.ts';
import { findProject } from '../projects/project.repo.ts';
import { createProject } from '../projects/project.service.ts';
import { reviewStep, type Decision } from '../review/review.service.ts';
import { between, DAY, HOUR, notAfterNow, type DemoContext } from './context.ts';
import type { DemoProjectText } from './demo-content.ts';
import { planCategories, type CyclePlan, type Fate } from './plan.ts';
import { asResident } from './voters.ts';

/** Where the demo projects are, in metres north and east of the municipality's centre. */
const PLACES: [number, number][] = [[180, -120], [-240, 310], [420, 260], [-90, -380], [30, 40], [610, -200], [-150, 90], [260, 520], [-520, -60]];

const itemsOf = (t: DemoProjectText): CostItem[] => t.items.map(([item, quantity, unit, unitPrice]) => ({ item, quantity, unit, unitPrice }));

/** Who writes the plan's i-th project: the demo's own residents first (so they find their projects), then demo voters. */
function authorOf(ctx: DemoContext, i: number): CurrentUser {
  const own = ctx.people.residents[i];
  return own !== undefined ? asResident(own, ctx.m) : ctx.voters[ctx.voters.length - 1 - i]!;
}

async function load(ctx: DemoContext, number: number) {
  return (await findProject(ctx.deps.db, ctx.m.id, number))!;
}

/** A project the phase has not decided yet: in submission everything waits; a project still waiting stays a draft then. */
const decided = (plan: CyclePlan) => plan.phase !== 'submission';

/**
 * The plan's projects, each written and submitted while submission was open, then reviewed after it closed: the
 * department's estimate and its decision. Past the review, a project returned for revision came back corrected
 * and was admitted, and one still waiting was admitted too. Returns the numbers of the admitted projects.
 */
export async function submitAndReview(ctx: DemoContext, cycle: Cycle, plan: CyclePlan): Promise<number[]> {
  const { m, texts, now } = ctx;
  const categories = planCategories(plan, m);
  const written: { number: number; fate: Fate; author: CurrentUser }[] = [];
  const until = notAfterNow(new Date(cycle.submission_closes.getTime() - 6 * HOUR), now);
  for (const [i, [index, fate]] of plan.projects.entries()) {
    const text = texts.projects[index]!;
    const items = itemsOf(text);
    const total = costTotal(items);
    const category = categories.find((c) => total >= c.values.min_cost && total <= c.values.max_cost)!.slug;
    const [north, east] = PLACES[index % PLACES.length]!;
    const at = { lat: m.center_lat + north / 111_320, lng: m.center_lng + east / (111_320 * Math.cos((m.center_lat * Math.PI) / 180)) };
    const author = authorOf(ctx, i);
    const startedAt = between(cycle.submission_opens, until, i, plan.projects.length);
    const created = await createProject(ctx.deps, author, m, cycle, {
      category, title: text.title, summary: text.summary, description: text.description, beneficiaries: text.beneficiaries,
      at, address: null, district: null, items,
    }, null, startedAt);
    if (created.kind !== 'created') throw new Error(`pb demo: project ${created.kind}`);
    await ctx.clock.stamp(startedAt);
    if (!decided(plan) && fate === 'waiting') continue;
    const submittedAt = new Date(startedAt.getTime() + 3 * HOUR);
    const submitted = await submitProject(ctx.deps, author, m, cycle, await load(ctx, created.number), submittedAt);
    if (submitted.kind !== 'submitted') throw new Error(`pb demo: submit ${submitted.kind}`);
    await ctx.clock.stamp(submittedAt);
    written.push({ number: created.number, fate, author });
  }
  if (!decided(plan)) return [];
  const admitted: number[] = [];
  for (const [k, p] of written.entries()) {
    const inReview = plan.phase === 'review';
    if (inReview && p.fate === 'waiting') continue;
    const at = notAfterNow(new Date(cycle.submission_closes.getTime() + (k + 1) * DAY), now);
    if (p.fate === 'rejected') {
      await decide(ctx, p.number, { kind: 'rejected', note: texts.rejected }, at);
      continue;
    }
    if (p.fate === 'returned') {
      const resubmitBy = new Date(Math.min(at.getTime() + 20 * DAY, cycle.voting_opens.getTime()));
      await decide(ctx, p.number, { kind: 'returned', note: texts.returned, resubmitBy }, at);
      if (inReview) continue;
      // The authors added what the review asked for and sent the project back.
      const back = new Date(at.getTime() + 2 * DAY);
      const fresh = (await findCycle(ctx.deps.db, m.id, cycle.number))!;
      const again = await submitProject(ctx.deps, p.author, m, fresh, await load(ctx, p.number), back);
      if (again.kind !== 'resubmitted') throw new Error(`pb demo: resubmit ${again.kind}`);
      await ctx.clock.stamp(back);
      await decide(ctx, p.number, { kind: 'admitted', note: null }, new Date(back.getTime() + 2 * DAY));
    } else {
      await decide(ctx, p.number, { kind: 'admitted', note: null }, at);
    }
    admitted.push(p.number);
  }
  return admitted;
}

/** The department's review of a submitted project at `at`: its estimate (the authors' cost held) and the decision. */
async function decide(ctx: DemoContext, number: number, d: Decision, at: Date): Promise<void> {
  const p = await load(ctx, number);
  const r = await reviewStep(ctx.deps, ctx.official, ctx.m, number, p.submitted_at!.getTime(), { departmentCost: p.cost_total, departmentId: ctx.departmentId }, d, at);
  if (r.kind !== 'done') throw new Error(`pb demo: review ${r.kind}`);
  await ctx.clock.stamp(at);
}
