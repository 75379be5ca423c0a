import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../../../db/database.ts';
import type { Municipality } from '../../../db/schema.ts';
import { createTestDatabase, type TestDatabase } from '../../../platform/testing/db.ts';
import type { Category, Project } from '../pb.tables.ts';
import { projectEvents } from '../project-events.repo.ts';
import { pbTown, resident, seedCycle, seedProject, serviceDeps } from '../testing.ts';
import { reviewDueAt } from './review.deadline.ts';
import { findProject, reviewQueue } from './review.repo.ts';
import { reviewStep, type Decision, type Estimate } from './review.service.ts';

const DAY = 86_400_000;
let database: TestDatabase;
let db: Database;
let town: Municipality;
let other: Municipality;
let authorId: number;
let followerId: number;
const actor = { id: 0, ip: '198.51.100.2' };
const deps = () => serviceDeps(db);
const noEstimate: Estimate = { departmentCost: null, departmentId: null };
const count = async (table: 'audit_log' | 'notifications' | 'pb_project_events') =>
  Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

/** A submitted project with its review deadline as the projects part sets it. */
async function submitted(category: Category, o: { cost?: number; at?: Date } = {}): Promise<Project> {
  const p = await seedProject(db, town, category, authorId, { status: 'submitted', cost: o.cost ?? 2_000_000 });
  const at = o.at ?? new Date();
  await db.updateTable('pb_projects').set({ submitted_at: at, review_due_at: reviewDueAt({ review_days: 10 }, at, town.time_zone) }).where('id', '=', p.id).execute();
  return (await findProject(db, town.id, p.number))!;
}
const decide = (p: Project, d: Decision, estimate = noEstimate, m = town) => reviewStep(deps(), actor, m, p.number, p.submitted_at!.getTime(), estimate, d, new Date());

before(async () => {
  database = await createTestDatabase();
  db = database.db;
  town = await pbTown(db, 'zhovkva');
  other = await pbTown(db, 'sombor');
  actor.id = (await resident(db, 'official@example.org', town, { role: 'official' })).id;
  authorId = (await resident(db, 'author@example.org', town)).id;
  followerId = (await resident(db, 'follower@example.org', town)).id;
});
after(() => database.cleanup());

describe('decisions', () => {
  test('admitting: audited, on the public timeline and told to the author and followers, in one step', async () => {
    const { categories } = await seedCycle(db, town, { phase: 'review' });
    const p = await submitted(categories[0]!);
    await db.insertInto('pb_followers').values({ municipality_id: town.id, project_id: p.id, user_id: followerId }).execute();
    const before = [await count('audit_log'), await count('notifications')];
    assert.deepEqual(await decide(p, { kind: 'admitted', note: null }), { kind: 'done' });
    const after = (await findProject(db, town.id, p.number))!;
    assert.equal(after.status, 'admitted');
    assert.ok(after.decided_at);
    assert.deepEqual((await projectEvents(db, p.id, { staff: false })).map((e) => e.kind), ['admitted']);
    assert.deepEqual([await count('audit_log'), await count('notifications')], [before[0]! + 1, before[1]! + 2]);
    const told = await db.selectFrom('notifications').select(['user_id', 'kind', 'link']).where('kind', '=', 'pb.review').orderBy('user_id').execute();
    assert.deepEqual(told.map((n) => n.user_id), [authorId, followerId]);
    assert.equal(told[0]!.link, `/zhovkva/participatory-budget/projects/${p.number}`);
    // A second decision, or the same form sent again, changes nothing.
    assert.deepEqual(await decide(p, { kind: 'rejected', note: 'Запізно.' }), { kind: 'stale' });
    assert.equal((await findProject(db, town.id, p.number))!.status, 'admitted');
  });

  test('two officials deciding at once: one decision, one stale answer', async () => {
    const { categories } = await seedCycle(db, town, { phase: 'review' });
    const p = await submitted(categories[0]!);
    const results = await Promise.all([decide(p, { kind: 'admitted', note: null }), decide(p, { kind: 'rejected', note: 'Не відповідає правилам.' })]);
    assert.deepEqual(results.map((r) => r.kind).sort(), ['done', 'stale']);
    assert.equal((await projectEvents(db, p.id, { staff: true })).length, 1);
  });

  test('a form drawn before the project was returned and resubmitted is stale', async () => {
    const { cycle, categories } = await seedCycle(db, town, { phase: 'review' });
    const p = await submitted(categories[0]!, { at: new Date(Date.now() - 3 * DAY) });
    const resubmitBy = new Date(cycle.voting_opens.getTime() - DAY);
    assert.deepEqual(await decide(p, { kind: 'returned', note: 'Уточніть кошторис робіт.', resubmitBy }), { kind: 'done' });
    const returned = (await findProject(db, town.id, p.number))!;
    assert.deepEqual([returned.status, returned.resubmit_by?.getTime(), returned.decision_note], ['returned', resubmitBy.getTime(), 'Уточніть кошторис робіт.']);
    // The authors resubmit (the projects part): submitted again, with a new time and deadline.
    await db.updateTable('pb_projects').set({ status: 'submitted', submitted_at: new Date() }).where('id', '=', p.id).execute();
    assert.deepEqual(await decide(p, { kind: 'admitted', note: null }), { kind: 'stale' });
    assert.deepEqual(await decide((await findProject(db, town.id, p.number))!, { kind: 'admitted', note: null }), { kind: 'done' });
  });

  test('a deadline for resubmission must lie between now and the opening of voting', async () => {
    const { cycle, categories } = await seedCycle(db, town, { phase: 'review' });
    const p = await submitted(categories[0]!);
    assert.deepEqual(await decide(p, { kind: 'returned', note: 'Доопрацюйте.', resubmitBy: new Date(Date.now() - 1000) }), { kind: 'resubmit_past' });
    assert.deepEqual(await decide(p, { kind: 'returned', note: 'Доопрацюйте.', resubmitBy: new Date(cycle.voting_opens.getTime() + 1000) }), { kind: 'resubmit_after_voting', votingOpens: cycle.voting_opens });
    assert.equal((await findProject(db, town.id, p.number))!.status, 'submitted');
  });

  test('the department’s estimate: saved alone or with the decision, on the timeline, within the category’s limits to admit', async () => {
    const { categories } = await seedCycle(db, town, { phase: 'review' });
    const p = await submitted(categories[0]!, { cost: 2_000_000 });
    const department = await db.insertInto('departments').values({ municipality_id: town.id, slug: 'roads', names: JSON.stringify({ uk: 'Дороги', en: 'Roads' }) }).returning('id').executeTakeFirstOrThrow();
    const theirs = await db.insertInto('departments').values({ municipality_id: other.id, slug: 'roads', names: JSON.stringify({ en: 'Roads' }) }).returning('id').executeTakeFirstOrThrow();
    assert.deepEqual(await decide(p, { kind: 'estimate' }, { departmentCost: 2_500_000, departmentId: theirs.id }), { kind: 'unknown_department' });
    assert.deepEqual(await decide(p, { kind: 'estimate' }), { kind: 'unchanged' });
    assert.deepEqual(await decide(p, { kind: 'estimate' }, { departmentCost: 2_500_000, departmentId: department.id }), { kind: 'done' });
    const estimated = (await findProject(db, town.id, p.number))!;
    assert.deepEqual([estimated.status, estimated.department_cost, estimated.department_id], ['submitted', 2_500_000, department.id]);
    // Small projects cost at most 300 000.00 (30 000 000 minor units).
    assert.deepEqual(await decide(estimated, { kind: 'admitted', note: null }, { departmentCost: 40_000_000, departmentId: department.id }),
      { kind: 'outside_limits', min: 1_000_000, max: 30_000_000, cost: 40_000_000 });
    assert.deepEqual(await decide(estimated, { kind: 'admitted', note: null }, { departmentCost: 3_000_000, departmentId: department.id }), { kind: 'done' });
    assert.deepEqual((await projectEvents(db, p.id, { staff: false })).map((e) => [e.kind, e.data]), [['estimate', { cost: 2_500_000 }], ['estimate', { cost: 3_000_000 }], ['admitted', {}]]);
  });

  test('no decision once the cycle is frozen by a ballot; another municipality’s project is not found', async () => {
    const { cycle, categories } = await seedCycle(db, town, { phase: 'review' });
    const p = await submitted(categories[0]!);
    await db.insertInto('pb_ballots').values({ municipality_id: town.id, cycle_id: cycle.id, channel: 'online', voter: 'f'.repeat(64), choices: [1] }).execute();
    const r = await decide(p, { kind: 'rejected', note: 'Не відповідає правилам.' });
    assert.equal(r.kind, 'frozen');
    assert.equal((await findProject(db, town.id, p.number))!.status, 'submitted');
    assert.deepEqual(await decide(p, { kind: 'admitted', note: null }, noEstimate, other), { kind: 'gone' });
  });
});

describe('the queue', () => {
  test('submitted projects by nearest deadline, per cycle and department', async () => {
    const { cycle, categories } = await seedCycle(db, other, { phase: 'review' });
    const mk = async (days: number) => {
      const p = await seedProject(db, other, categories[0]!, authorId, { status: 'submitted' });
      await db.updateTable('pb_projects').set({ review_due_at: new Date(Date.now() + days * DAY) }).where('id', '=', p.id).execute();
      return p.number;
    };
    const late = await mk(-1);
    const soon = await mk(2);
    const first = await mk(1);
    await seedProject(db, other, categories[0]!, authorId, { status: 'admitted' });
    assert.deepEqual((await reviewQueue(db, other.id, { limit: 10 })).map((r) => r.number), [late, first, soon]);
    assert.deepEqual((await reviewQueue(db, other.id, { cycleId: cycle.id + 1000, limit: 10 })).map((r) => r.number), []);
    assert.deepEqual((await reviewQueue(db, other.id, { departmentId: 1, limit: 10 })).map((r) => r.number), []);
  });
});
