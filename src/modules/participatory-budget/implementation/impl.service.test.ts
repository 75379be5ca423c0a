import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../../../db/database.ts';
import type { Municipality } from '../../../db/schema.ts';
import { createTestDatabase, type TestDatabase } from '../../../platform/testing/db.ts';
import type { Category, Project } from '../pb.tables.ts';
import { pbTown, resident, seedCycle, seedProject, serviceDeps } from '../testing.ts';
import { accountability } from './accountability.ts';
import { fundedProjects, implementationVersion, listMilestones, listUpdates, projectByNumber } from './impl.repo.ts';
import { addMilestone, editMilestone, postUpdate, removeMilestone, setProjectImplementation, type Actor } from './impl.service.ts';

let database: TestDatabase;
let db: Database;
let town: Municipality;
let categories: Category[];
let official: Actor;
let author: number;
let follower: number;
const deps = () => serviceDeps(db);
const count = async (table: 'audit_log' | 'pb_project_events' | 'notifications' | 'pb_updates' | 'pb_milestones') =>
  Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
const writes = async () => Promise.all([count('audit_log'), count('pb_project_events'), count('notifications'), count('pb_updates'), count('pb_milestones')]);
const reload = async (p: Project) => (await projectByNumber(db, town.id, p.number))!;
const values = { impl_status: 'in_progress' as const, progress: 40, due_on: '2027-10-01', contracted: 90_000_000, spent: 12_345_67 };

/** A project of the cycle, funded as the results would fund it, with a follower. */
async function funded(over: { cost?: number; departmentCost?: number | null; category?: Category } = {}): Promise<Project> {
  const p = await seedProject(db, town, over.category ?? categories[0]!, author, { cost: over.cost ?? 1_000_000, departmentCost: over.departmentCost ?? null });
  await db.updateTable('pb_projects').set({ funded: true }).where('id', '=', p.id).execute();
  await db.insertInto('pb_followers').values({ municipality_id: town.id, project_id: p.id, user_id: follower }).execute();
  return reload(p);
}

before(async () => {
  database = await createTestDatabase();
  db = database.db;
  town = await pbTown(db, 'zhovkva');
  ({ categories } = await seedCycle(db, town, { phase: 'implementation', resultsPublished: true }));
  official = { id: (await resident(db, 'official@example.org', town, { role: 'official' })).id, ip: '203.0.113.9' };
  author = (await resident(db, 'author@example.org', town)).id;
  follower = (await resident(db, 'follower@example.org', town)).id;
});
after(() => database.cleanup());

describe('the implementation of a funded project', () => {
  test('status, progress, due date and money are set once, audited, on the timeline and told to author and followers', async () => {
    const p = await funded();
    const before = await writes();
    const version = await implementationVersion(db, p.id);
    assert.deepEqual(await setProjectImplementation(deps(), official, town, p, version, values), { kind: 'done' });
    const after = await reload(p);
    assert.deepEqual([after.impl_status, after.progress, after.due_on, after.contracted, after.spent], ['in_progress', 40, '2027-10-01', 90_000_000, 1_234_567]);
    const [audits, events, notes] = await writes();
    assert.deepEqual([audits - before[0], events - before[1], notes - before[2]], [1, 1, 2]);
    const row = await db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.equal(row.action, 'pb.implementation.status');
    assert.equal(row.subject_type, 'pb_project');
    assert.equal(row.subject_id, String(p.number));
    assert.deepEqual(row.before, { impl_status: 'planned', progress: 0, due_on: null, contracted: null, spent: 0 });
    const event = await db.selectFrom('pb_project_events').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.deepEqual([event.kind, event.public, (event.data as { status: string }).status], ['implementation_status', true, 'in_progress']);
    const told = await db.selectFrom('notifications').select(['user_id', 'kind']).orderBy('id', 'desc').limit(2).execute();
    assert.deepEqual(told.map((n) => n.user_id).sort((a, b) => a - b), [author, follower]);
    assert.equal(told[0]!.kind, 'pb.implementation');
  });

  test('a form based on an older version changes nothing (two officials at once: one wins); the same values again change nothing', async () => {
    const p = await funded();
    const version = await implementationVersion(db, p.id);
    const [a, b] = await Promise.all([
      setProjectImplementation(deps(), official, town, p, version, values),
      setProjectImplementation(deps(), official, town, p, version, { ...values, progress: 55 }),
    ]);
    assert.deepEqual([a.kind, b.kind].sort(), ['done', 'stale']);
    const before = await writes();
    const current = await reload(p);
    const same = { impl_status: current.impl_status!, progress: current.progress, due_on: current.due_on, contracted: current.contracted, spent: current.spent };
    assert.deepEqual(await setProjectImplementation(deps(), official, town, current, await implementationVersion(db, p.id), same), { kind: 'unchanged' });
    assert.deepEqual(await setProjectImplementation(deps(), official, town, current, version, { ...same, progress: 99 }), { kind: 'stale' });
    assert.deepEqual(await writes(), before);
  });

  test('a completed project must be 100% done; only funded projects are implemented; nothing is written otherwise', async () => {
    const p = await funded();
    const version = await implementationVersion(db, p.id);
    const before = await writes();
    assert.deepEqual(await setProjectImplementation(deps(), official, town, p, version, { ...values, impl_status: 'completed', progress: 90 }),
      { kind: 'invalid', field: 'progress', key: 'pb.impl.error.completedProgress' });
    const unfunded = await seedProject(db, town, categories[0]!, author);
    assert.equal((await setProjectImplementation(deps(), official, town, unfunded, await implementationVersion(db, unfunded.id), values)).kind, 'not_funded');
    assert.equal((await addMilestone(deps(), official, town, unfunded, { title: 'Проєкт', due_on: '2027-06-01', done_on: null })).kind, 'not_funded');
    assert.equal((await postUpdate(deps(), official, town, unfunded, { body: 'Почали роботи', progress: 10 }, null, null)).kind, 'not_funded');
    // Funded when the page was read, but no longer: the row is checked again inside the write.
    await db.updateTable('pb_projects').set({ funded: false }).where('id', '=', p.id).execute();
    assert.equal((await setProjectImplementation(deps(), official, town, p, version, values)).kind, 'not_funded');
    assert.equal((await postUpdate(deps(), official, town, p, { body: 'Почали роботи', progress: 10 }, null, null)).kind, 'not_funded');
    assert.deepEqual(await writes(), before);
    assert.equal((await reload(unfunded)).impl_status, null);
  });
});

describe('milestones and updates', () => {
  test('milestones are added, changed and removed, each audited and on the timeline; reaching one is told', async () => {
    const p = await funded();
    const [audits0, events0, notes0] = await writes();
    assert.equal((await addMilestone(deps(), official, town, p, { title: 'Договір підписано', due_on: '2027-06-01', done_on: null })).kind, 'done');
    const [ms] = await listMilestones(db, p.id);
    assert.equal((await editMilestone(deps(), official, town, p, ms!.id, { title: 'Договір підписано', due_on: '2027-06-01', done_on: null })).kind, 'unchanged');
    assert.equal((await editMilestone(deps(), official, town, p, ms!.id, { title: 'Договір підписано', due_on: '2027-06-01', done_on: '2027-05-28' })).kind, 'done');
    assert.equal((await listMilestones(db, p.id))[0]!.done_on, '2027-05-28');
    const [audits1, events1, notes1] = await writes();
    assert.deepEqual([audits1 - audits0, events1 - events0, notes1 - notes0], [2, 2, 2], 'adding is not told, reaching it is (to two people)');
    assert.equal((await removeMilestone(deps(), official, town, p, ms!.id)).kind, 'done');
    assert.equal((await removeMilestone(deps(), official, town, p, ms!.id)).kind, 'gone', 'a second removal finds nothing');
    const other = await funded();
    assert.equal((await addMilestone(deps(), official, town, other, { title: 'Чужий', due_on: '2027-06-01', done_on: null })).kind, 'done');
    const [foreign] = await listMilestones(db, other.id);
    assert.equal((await editMilestone(deps(), official, town, p, foreign!.id, { title: 'Підміна', due_on: '2027-06-01', done_on: null })).kind, 'gone', "another project's milestone id finds nothing");
    assert.equal((await listMilestones(db, other.id))[0]!.title, 'Чужий');
    const actions = (await db.selectFrom('audit_log').select('action').where('subject_id', '=', String(p.number)).orderBy('id').execute()).map((r) => r.action);
    assert.deepEqual(actions, ['pb.implementation.milestone.add', 'pb.implementation.milestone.edit', 'pb.implementation.milestone.delete']);
  });

  test('an update is posted once per form key, sets the progress it reports, and is told', async () => {
    const p = await funded();
    const once = { municipalityId: town.id, actor: `u${official.id}`, key: 'update-form-1' };
    const outcomes = await Promise.all([1, 2, 3].map(() => postUpdate(deps(), official, town, p, { body: 'Завезли матеріали.', progress: 30 }, null, once)));
    assert.deepEqual(outcomes.map((o) => o.kind), ['done', 'done', 'done']);
    const updates = await listUpdates(db, p.id);
    assert.equal(updates.length, 1, 'three sends of one form post one update');
    assert.equal((await reload(p)).progress, 30);
    const event = await db.selectFrom('pb_project_events').selectAll().where('project_id', '=', p.id).orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.deepEqual([event.kind, event.note], ['implementation_update', 'Завезли матеріали.']);
    const version = await implementationVersion(db, p.id);
    await setProjectImplementation(deps(), official, town, await reload(p), version, { ...values, impl_status: 'completed', progress: 100 });
    const before = await writes();
    assert.equal((await postUpdate(deps(), official, town, await reload(p), { body: 'Помилка', progress: 50 }, null, null)).kind, 'invalid', 'a completed project cannot go back below 100% by an update');
    assert.deepEqual(await writes(), before);
  });
});

describe('lists and accountability', () => {
  test('funded projects are listed late ones first; accountability sums per category and in total', async () => {
    const town2 = await pbTown(db, 'sombor', { currency: 'RSD' });
    const { cycle, categories: cats } = await seedCycle(db, town2, { phase: 'implementation', resultsPublished: true });
    const fund = async (cat: Category, set: Partial<Project>) => {
      const p = await seedProject(db, town2, cat, author, { cost: 2_000_000, departmentCost: 1_500_000 });
      await db.updateTable('pb_projects').set({ funded: true, ...set } as never).where('id', '=', p.id).execute();
      return p.number;
    };
    const late = await fund(cats[0]!, { impl_status: 'in_progress', due_on: '2020-01-01', contracted: 1_400_000, spent: 700_000 });
    const done = await fund(cats[0]!, { impl_status: 'completed', progress: 100, due_on: '2020-01-01', spent: 1_500_000 });
    const soon = await fund(cats[1]!, { impl_status: 'planned', due_on: '2099-01-01' });
    await seedProject(db, town2, cats[1]!, author, { cost: 5_000_000 });
    const rows = await fundedProjects(db, town2.id, '2027-05-01', { cycleId: cycle.id });
    assert.deepEqual(rows.map((r) => [r.number, r.overdue]), [[late, true], [done, false], [soon, false]]);
    const acc = accountability(cats, rows);
    assert.deepEqual([acc.categories[0]!.funded, acc.categories[0]!.completed, acc.categories[0]!.overdue, acc.categories[0]!.budget, acc.categories[0]!.spent, acc.categories[0]!.contracted],
      [2, 1, 1, 3_000_000, 2_200_000, 1_400_000]);
    assert.deepEqual([acc.total.funded, acc.total.completed, acc.total.budget, acc.total.amount], [3, 1, 4_500_000, 400_000_000]);
    assert.equal((await fundedProjects(db, town.id, '2027-05-01', { cycleId: cycle.id })).length, 0, "another municipality's list has none of these");
  });
});
