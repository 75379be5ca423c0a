import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Database } from '../../../db/database.ts';
import type { Municipality } from '../../../db/schema.ts';
import type { OnceKey } from '../../../platform/idempotency/once.ts';
import { createTestDatabase, type TestDatabase } from '../../../platform/testing/db.ts';
import { addWorkingDays } from '../../../platform/time/working-days.ts';
import type { Category, Cycle } from '../pb.tables.ts';
import { pbTown, resident, seedCycle, serviceDeps } from '../testing.ts';
import { submitProject, withdrawProject } from './lifecycle.service.ts';
import { findProject } from './project.repo.ts';
import { createProject, MAX_OWN_PROJECTS, updateProject, type ProjectInput } from './project.service.ts';

let database: TestDatabase;
let db: Database;
let town: Municipality;
let author: Awaited<ReturnType<typeof resident>>;
let stranger: Awaited<ReturnType<typeof resident>>;
let open: { cycle: Cycle; categories: Category[] };
const deps = () => serviceDeps(db);
const now = () => new Date();
const count = async () => Number((await db.selectFrom('pb_projects').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

/** A small project: 10 × 1 500.00 and 2.5 × 400.00, 16 000.00 in all (the small category takes 10 000.00 to 300 000.00). */
const input = (over: Partial<ProjectInput> = {}): ProjectInput => ({
  category: 'small', title: 'Лавки в парку Ковальова', summary: 'Нові лавки вздовж алеї.', description: 'Десять лавок із підлокітниками.', beneficiaries: 'Мешканці й гості',
  at: { lat: town.center_lat, lng: town.center_lng }, address: 'парк Ковальова', district: null,
  items: [{ item: 'Лавка', quantity: 10_000, unit: 'шт.', unitPrice: 150_000 }, { item: 'Монтаж', quantity: 2_500, unit: 'год', unitPrice: 40_000 }],
  ...over,
});

async function create(cycle: Cycle, over: Partial<ProjectInput> = {}, who = author) {
  const r = await createProject(deps(), who.current, town, cycle, input(over), null, now());
  assert.equal(r.kind, 'created', JSON.stringify(r));
  return (await findProject(db, town.id, (r as { number: number }).number))!;
}

before(async () => {
  database = await createTestDatabase();
  db = database.db;
  town = await pbTown(db, 'zhovkva');
  author = await resident(db, 'author@example.org', town, { fullName: 'Олена Коваль' });
  stranger = await resident(db, 'stranger@example.org', town);
  open = await seedCycle(db, town, { phase: 'submission' });
});
after(() => database.cleanup());

describe(`creating and editing a project (${process.env.TEST_DB ?? 'pglite'})`, () => {
  test('a draft keeps what was typed and its total is the sum of its line totals', async () => {
    const p = await create(open.cycle);
    assert.equal(p.status, 'draft');
    assert.equal(p.cost_total, 10 * 150_000 + 100_000);
    assert.equal(p.district_id, null);
    assert.equal(p.submitted_at, null);
    assert.deepEqual(p.cost_items.map((i) => i.quantity), [10_000, 2_500]);
  });

  test('the cost must fit the category, and a table with no line is refused; nothing is written', async () => {
    const before = await count();
    const tooSmall = await createProject(deps(), author.current, town, open.cycle, input({ items: [{ item: 'Фарба', quantity: 1000, unit: 'л', unitPrice: 100 }] }), null, now());
    assert.equal(tooSmall.kind, 'cost_range');
    const tooBig = await createProject(deps(), author.current, town, open.cycle, input({ category: 'large', items: [{ item: 'Міст', quantity: 1000, unit: 'шт.', unitPrice: 200_000_000 }] }), null, now());
    assert.equal(tooBig.kind, 'cost_range');
    assert.equal((await createProject(deps(), author.current, town, open.cycle, input({ items: [] }), null, now())).kind, 'no_cost');
    assert.equal((await createProject(deps(), author.current, town, open.cycle, input({ category: 'nope' }), null, now())).kind, 'unknown_category');
    assert.equal((await createProject(deps(), author.current, town, open.cycle, input({ at: null, address: null }), null, now())).kind, 'no_place');
    assert.equal((await createProject(deps(), author.current, town, open.cycle, input({ at: { lat: 48.9, lng: 24.7 } }), null, now())).kind, 'outside');
    assert.equal((await createProject(deps(), author.current, town, open.cycle, input({ district: 999_999 }), null, now())).kind, 'unknown_district');
    assert.equal(await count(), before);
  });

  test('only while submission is open, and only at the cycle\'s level', async () => {
    for (const phase of ['information', 'review', 'voting'] as const) {
      const { cycle } = await seedCycle(db, town, { phase });
      assert.equal((await createProject(deps(), author.current, town, cycle, input(), null, now())).kind, 'closed', phase);
    }
    const draftCycle = await seedCycle(db, town, { phase: 'submission', status: 'draft' });
    assert.equal((await createProject(deps(), author.current, town, draftCycle.cycle, input(), null, now())).kind, 'closed');
    const strict = await seedCycle(db, town, { phase: 'submission', submitLevel: 'resident' });
    const visitor = await resident(db, 'visitor@example.org', null);
    assert.deepEqual(await createProject(deps(), visitor.current, town, strict.cycle, input(), null, now()), { kind: 'level', required: 'resident' });
    assert.equal((await createProject(deps(), author.current, town, strict.cycle, input(), null, now())).kind, 'created');
  });

  test('one form sent twenty times at once is one project, and every answer names it', async () => {
    const before = await count();
    const key: OnceKey = { municipalityId: town.id, actor: `u${author.id}`, key: 'form-1' };
    const answers = await Promise.all(Array.from({ length: 20 }, () => createProject(deps(), author.current, town, open.cycle, input({ title: 'Один проєкт, двадцять кліків' }), key, now())));
    assert.equal(await count(), before + 1);
    assert.equal(new Set(answers.map((a) => JSON.stringify(a))).size, 1);
  });

  test(`one person has at most ${MAX_OWN_PROJECTS} projects in a cycle (withdrawn ones do not count)`, async () => {
    const { cycle } = await seedCycle(db, town, { phase: 'submission' });
    const busy = await resident(db, 'busy@example.org', town);
    for (let i = 0; i < MAX_OWN_PROJECTS; i++) await create(cycle, {}, busy);
    assert.deepEqual(await createProject(deps(), busy.current, town, cycle, input(), null, now()), { kind: 'too_many', max: MAX_OWN_PROJECTS });
    const last = await db.selectFrom('pb_projects').select('number').where('cycle_id', '=', cycle.id).orderBy('number', 'desc').executeTakeFirstOrThrow();
    const p = (await findProject(db, town.id, last.number))!;
    assert.equal((await withdrawProject(deps(), busy.current, town, cycle, p, now())).kind, 'withdrawn');
    assert.equal((await createProject(deps(), busy.current, town, cycle, input(), null, now())).kind, 'created');
  });

  test('authors and co-authors edit while submission is open; a stranger may not; the search follows the text', async () => {
    const p = await create(open.cycle);
    assert.equal((await updateProject(deps(), stranger.current, town, open.cycle, p, input({ title: 'Чужа правка назви' }), now())).kind, 'forbidden');
    await db.insertInto('pb_project_authors').values({ municipality_id: town.id, project_id: p.id, user_id: stranger.id }).execute();
    assert.equal((await updateProject(deps(), stranger.current, town, open.cycle, p, input({ title: 'Фонтан біля ратуші' }), now())).kind, 'saved');
    const found = await db.selectFrom('pb_projects').select('number').where('id', '=', p.id)
      .where(sql<boolean>`search @@ to_tsquery('simple', 'fontan')`).execute();
    assert.equal(found.length, 1, 'the search vector is written from the new text (folded to Latin)');
    await db.deleteFrom('pb_project_authors').where('project_id', '=', p.id).execute();
  });
});

describe(`submitting, resubmitting, withdrawing (${process.env.TEST_DB ?? 'pglite'})`, () => {
  test('submit: draft → submitted once, due in the cycle\'s working days, on the timeline; only the author', async () => {
    const p = await create(open.cycle);
    assert.equal((await submitProject(deps(), stranger.current, town, open.cycle, p, now())).kind, 'forbidden');
    const at = now();
    assert.equal((await submitProject(deps(), author.current, town, open.cycle, p, at)).kind, 'submitted');
    const after = (await findProject(db, town.id, p.number))!;
    assert.equal(after.status, 'submitted');
    assert.equal(after.review_due_at!.getTime(), addWorkingDays(at, open.cycle.review_days, town.time_zone).getTime());
    assert.equal((await submitProject(deps(), author.current, town, open.cycle, p, now())).kind, 'closed', 'a second click changes nothing');
    const events = await db.selectFrom('pb_project_events').select('kind').where('project_id', '=', p.id).execute();
    assert.deepEqual(events.map((e) => e.kind), ['submitted']);
    assert.equal((await updateProject(deps(), author.current, town, open.cycle, after, input({ title: 'Лавки і смітники в парку' }), now())).kind, 'saved', 'a submitted project is edited until submission closes');
  });

  test('after submission closes nothing is created, edited or submitted; a returned project until its deadline', async () => {
    const { cycle, categories } = await seedCycle(db, town, { phase: 'submission' });
    const draft = await create(cycle);
    const submitted = await create(cycle);
    await submitProject(deps(), author.current, town, cycle, submitted, now());
    const closed = await db.updateTable('pb_cycles').set({ submission_opens: new Date(Date.now() - 20 * 86_400_000), submission_closes: new Date(Date.now() - 1000) })
      .where('id', '=', cycle.id).returningAll().executeTakeFirstOrThrow();
    assert.equal((await submitProject(deps(), author.current, town, closed, draft, now())).kind, 'closed');
    const s = (await findProject(db, town.id, submitted.number))!;
    assert.equal((await updateProject(deps(), author.current, town, closed, s, input(), now())).kind, 'closed');
    // The review returns it for revision until tomorrow.
    await db.updateTable('pb_projects').set({ status: 'returned', resubmit_by: new Date(Date.now() + 86_400_000), decision_note: 'Уточніть кошторис.' }).where('id', '=', s.id).execute();
    const returned = (await findProject(db, town.id, s.number))!;
    assert.equal((await updateProject(deps(), author.current, town, closed, returned, input({ items: [{ item: 'Лавка', quantity: 12_000, unit: 'шт.', unitPrice: 150_000 }] }), now())).kind, 'saved');
    assert.equal((await submitProject(deps(), author.current, town, closed, returned, now())).kind, 'resubmitted');
    const again = (await findProject(db, town.id, s.number))!;
    assert.equal(again.status, 'submitted');
    assert.equal(again.cost_total, 1_800_000);
    assert.equal(again.category_id, categories[0]!.id);
    // Past the deadline, a returned project is neither edited nor resubmitted.
    await db.updateTable('pb_projects').set({ status: 'returned', resubmit_by: new Date(Date.now() - 1000) }).where('id', '=', s.id).execute();
    const late = (await findProject(db, town.id, s.number))!;
    assert.equal((await updateProject(deps(), author.current, town, closed, late, input(), now())).kind, 'closed');
    assert.equal((await submitProject(deps(), author.current, town, closed, late, now())).kind, 'closed');
    const kinds = (await db.selectFrom('pb_project_events').select('kind').where('project_id', '=', s.id).orderBy('id').execute()).map((e) => e.kind);
    assert.deepEqual(kinds, ['submitted', 'edited', 'resubmitted']);
  });

  test('a category whose limits moved since the draft was saved refuses its submission', async () => {
    const { cycle, categories } = await seedCycle(db, town, { phase: 'submission' });
    const p = await create(cycle);
    await db.updateTable('pb_categories').set({ min_cost: 2_000_000 }).where('id', '=', categories[0]!.id).execute();
    assert.equal((await submitProject(deps(), author.current, town, cycle, p, now())).kind, 'cost_range');
    assert.equal((await findProject(db, town.id, p.number))!.status, 'draft');
  });

  test('withdraw: the author, before voting opens; a rejected project cannot be', async () => {
    const p = await create(open.cycle);
    await submitProject(deps(), author.current, town, open.cycle, p, now());
    const s = (await findProject(db, town.id, p.number))!;
    assert.equal((await withdrawProject(deps(), stranger.current, town, open.cycle, s, now())).kind, 'forbidden');
    assert.equal((await withdrawProject(deps(), author.current, town, open.cycle, s, now())).kind, 'withdrawn');
    assert.equal((await withdrawProject(deps(), author.current, town, open.cycle, s, now())).kind, 'closed');
    const voting = await seedCycle(db, town, { phase: 'voting' });
    const admitted = await db.insertInto('pb_projects').values({
      municipality_id: town.id, cycle_id: voting.cycle.id, number: 90_001, category_id: voting.categories[0]!.id, author_id: author.id, status: 'admitted', title: 'Допущений проєкт', submitted_at: new Date(),
    }).returning('number').executeTakeFirstOrThrow();
    const a = (await findProject(db, town.id, admitted.number))!;
    assert.equal((await withdrawProject(deps(), author.current, town, voting.cycle, a, now())).kind, 'closed', 'voting has opened');
    await db.updateTable('pb_projects').set({ status: 'rejected' }).where('id', '=', s.id).execute();
    assert.equal((await withdrawProject(deps(), author.current, town, open.cycle, (await findProject(db, town.id, p.number))!, now())).kind, 'closed');
  });
});
