import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../../../db/database.ts';
import type { Municipality } from '../../../db/schema.ts';
import { createTestDatabase, type TestDatabase } from '../../../platform/testing/db.ts';
import { cycleCategories, findCycle } from '../cycle.repo.ts';
import { holdRulesShared } from '../freeze.ts';
import type { Cycle } from '../pb.tables.ts';
import { pbTown, resident, seedCycle, seedProject, serviceDeps } from '../testing.ts';
import { addCategory, deleteCategory, editCategory } from './category.service.ts';
import type { CycleInput } from './cycle.input.ts';
import { createCycle, publishCycle, updateCycle } from './cycle.service.ts';

const DAY = 86_400_000;
let database: TestDatabase;
let db: Database;
let town: Municipality;
let other: Municipality;
let authorId: number;
const actor = { id: 0, ip: '198.51.100.1' };
const deps = () => serviceDeps(db);
const count = async (table: 'audit_log' | 'pb_cycles' | 'pb_categories' | 'pb_ballots') =>
  Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

/** What the cycle's form would send back untouched. */
const inputOf = (c: Cycle): CycleInput => ({
  year: c.year, title: c.title, description: c.description, total_amount: c.total_amount, currency: c.currency, rule: c.rule, max_choices: c.max_choices,
  max_per_category: c.max_per_category, min_choices: c.min_choices, min_share_pct: c.min_share_pct, vote_level: c.vote_level, submit_level: c.submit_level,
  min_age: c.min_age, age_source: c.age_source, ballot_changes: c.ballot_changes, review_days: c.review_days, submission_opens: c.submission_opens,
  submission_closes: c.submission_closes, review_closes: c.review_closes, revision_closes: c.revision_closes, voting_opens: c.voting_opens,
  voting_closes: c.voting_closes, implementation_opens: c.implementation_opens,
});
const later = (d: Date, days: number) => new Date(d.getTime() + days * DAY);
const reload = async (c: Cycle) => (await findCycle(db, town.id, c.number))!;

/** A first ballot of the cycle, as casting writes it (the rules lock held shared). */
async function castBallot(c: Cycle, voter: string) {
  await db.transaction().execute(async (trx) => {
    await holdRulesShared(trx, c.id);
    await trx.insertInto('pb_ballots').values({ municipality_id: c.municipality_id, cycle_id: c.id, channel: 'online', voter, choices: [1] }).execute();
  });
}

before(async () => {
  database = await createTestDatabase();
  db = database.db;
  town = await pbTown(db, 'zhovkva');
  other = await pbTown(db, 'sombor', { currency: 'RSD' });
  const admin = await resident(db, 'admin@example.org', town, { role: 'admin' });
  actor.id = admin.id;
  authorId = (await resident(db, 'author@example.org', town)).id;
});
after(() => database.cleanup());

describe('cycles', () => {
  test('a new cycle is a numbered draft, audited, made once per form key', async () => {
    const { cycle } = await seedCycle(db, town, { phase: 'information' });
    const input = { ...inputOf(cycle), title: 'Громадський бюджет 2028' };
    const key = { municipalityId: town.id, actor: `u${actor.id}`, key: 'form-1' };
    const before = await count('audit_log');
    const [a, b] = await Promise.all([createCycle(deps(), actor, town, input, key), createCycle(deps(), actor, town, input, key)]);
    assert.deepEqual(a, b);
    const made = (await findCycle(db, town.id, a.number))!;
    assert.equal(made.status, 'draft');
    assert.equal(made.title, 'Громадський бюджет 2028');
    assert.equal(await count('audit_log'), before + 1);
    // Numbers run per municipality.
    const elsewhere = await createCycle(deps(), actor, other, { ...input, currency: 'RSD' }, null);
    assert.equal(elsewhere.number, 1);
  });

  test('saving writes only what changed; the total never falls below the categories', async () => {
    const { cycle } = await seedCycle(db, town, { phase: 'submission' });
    assert.deepEqual(await updateCycle(deps(), actor, town, cycle.number, inputOf(cycle), new Date()), { kind: 'unchanged' });
    const before = await count('audit_log');
    assert.deepEqual(await updateCycle(deps(), actor, town, cycle.number, { ...inputOf(cycle), title: 'Новий заголовок циклу', max_choices: 5 }, new Date()), { kind: 'saved' });
    const row = await db.selectFrom('audit_log').select(['action', 'subject_type', 'subject_id', 'before', 'after']).orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.equal(await count('audit_log'), before + 1);
    assert.deepEqual([row.action, row.subject_type, row.subject_id], ['pb.cycle.update', 'pb_cycle', String(cycle.number)]);
    assert.deepEqual(row.after, { title: 'Новий заголовок циклу', max_choices: 5 });
    const r = await updateCycle(deps(), actor, town, cycle.number, { ...inputOf(cycle), total_amount: 100 }, new Date());
    assert.deepEqual(r, { kind: 'below_categories', sum: 400_000_000 });
    assert.equal((await reload(cycle)).total_amount, 400_000_000);
    assert.deepEqual(await updateCycle(deps(), actor, other, cycle.number, inputOf(cycle), new Date()), { kind: 'gone' });
  });

  test('a published cycle’s dates follow the rules of moving dates; a draft’s do not', async () => {
    const { cycle } = await seedCycle(db, town, { phase: 'submission' });
    const now = new Date();
    const shorter = await updateCycle(deps(), actor, town, cycle.number, { ...inputOf(cycle), submission_closes: later(cycle.submission_closes, -1) }, now);
    assert.equal(shorter.kind, 'dates');
    assert.deepEqual((shorter as { problems: { field: string; code: string }[] }).problems.map((p) => [p.field, p.code]), [['submission_closes', 'only_later']]);
    const moved = await updateCycle(deps(), actor, town, cycle.number, { ...inputOf(cycle), submission_opens: later(cycle.submission_opens, 1) }, now);
    assert.deepEqual((moved as { problems: { code: string }[] }).problems.map((p) => p.code), ['passed']);
    assert.deepEqual(await updateCycle(deps(), actor, town, cycle.number, { ...inputOf(cycle), submission_closes: later(cycle.submission_closes, 2) }, now), { kind: 'saved' });
    const { cycle: draft } = await seedCycle(db, town, { phase: 'submission', status: 'draft' });
    assert.deepEqual(await updateCycle(deps(), actor, town, draft.number, { ...inputOf(draft), submission_opens: later(draft.submission_opens, 1) }, now), { kind: 'saved' });
  });

  test('publishing needs a category and happens once', async () => {
    const { cycle: seeded } = await seedCycle(db, town, { phase: 'information' });
    const cycle = (await findCycle(db, town.id, (await createCycle(deps(), actor, town, inputOf(seeded), null)).number))!;
    assert.equal(await publishCycle(deps(), actor, town, cycle.number, new Date()), 'no_categories');
    await addCategory(deps(), actor, town, cycle.number, 'small', { names: { uk: 'Малі', en: 'Small' }, district_id: null, amount: 1000, min_cost: 0, max_cost: 1000 }, null);
    assert.equal(await publishCycle(deps(), actor, town, cycle.number, new Date()), 'published');
    assert.equal((await reload(cycle)).status, 'published');
    assert.equal(await publishCycle(deps(), actor, town, cycle.number, new Date()), 'not_draft');
  });
});

describe('freezing at the first ballot', () => {
  test('once a ballot exists, the rule, limits, eligibility and money are refused; the title and later dates are not', async () => {
    const { cycle } = await seedCycle(db, town, { phase: 'voting' });
    await castBallot(cycle, 'a'.repeat(64));
    const now = new Date();
    for (const change of [{ max_choices: 4 }, { rule: 'knapsack' as const, max_choices: null }, { vote_level: 'identity' }, { min_age: 16 }, { total_amount: 500_000_000 }, { ballot_changes: true }]) {
      const r = await updateCycle(deps(), actor, town, cycle.number, { ...inputOf(cycle), ...change }, now);
      assert.equal(r.kind, 'frozen', JSON.stringify(change));
      assert.ok((r as { since: Date }).since <= new Date());
    }
    assert.deepEqual(await updateCycle(deps(), actor, town, cycle.number, { ...inputOf(cycle), title: 'Голосування триває', voting_closes: later(cycle.voting_closes, 3) }, now), { kind: 'saved' });
    const c = await reload(cycle);
    assert.equal(c.max_choices, 3);
    assert.equal(c.title, 'Голосування триває');
  });

  test('categories cannot be added, changed or deleted once a ballot exists', async () => {
    const { cycle, categories } = await seedCycle(db, town, { phase: 'voting', categories: [{ slug: 'small', amount: 1_000_000 }, { slug: 'large', amount: 2_000_000 }] });
    await db.updateTable('pb_cycles').set({ total_amount: 5_000_000 }).where('id', '=', cycle.id).execute();
    await castBallot(cycle, 'b'.repeat(64));
    const values = { names: { en: 'New' }, district_id: null, amount: 1_000, min_cost: 0, max_cost: 1_000 };
    assert.equal((await addCategory(deps(), actor, town, cycle.number, 'new', values, null)).kind, 'frozen');
    assert.equal((await editCategory(deps(), actor, town, cycle.number, 'small', values)).kind, 'frozen');
    assert.equal((await deleteCategory(deps(), actor, town, cycle.number, 'large')).kind, 'frozen');
    assert.deepEqual((await cycleCategories(db, cycle.id)).map((c) => [c.slug, c.amount]), categories.map((c) => [c.slug, c.amount]));
  });

  test('a first ballot and a rule change at the same moment: exactly one of them succeeds', async () => {
    for (const ballotFirst of [true, false]) {
      const { cycle } = await seedCycle(db, town, { phase: 'voting' });
      let locked!: () => void;
      const holding = new Promise<void>((resolve) => (locked = resolve));
      // Casting holds the rules lock shared, then checks the ballot against the rules it reads (at most 3 here).
      const ballot = db.transaction().execute(async (trx) => {
        if (!ballotFirst) await holding;
        await holdRulesShared(trx, cycle.id);
        if (ballotFirst) locked();
        await new Promise((r) => setTimeout(r, 50));
        const rules = await trx.selectFrom('pb_cycles').select('max_choices').where('id', '=', cycle.id).executeTakeFirstOrThrow();
        if (rules.max_choices !== 3) return false;
        await trx.insertInto('pb_ballots').values({ municipality_id: town.id, cycle_id: cycle.id, channel: 'online', voter: 'c'.repeat(64), choices: [1, 2, 3] }).execute();
        return true;
      });
      if (ballotFirst) await holding;
      const change = updateCycle(deps(), actor, town, cycle.number, { ...inputOf(cycle), max_choices: 2 }, new Date());
      if (!ballotFirst) locked();
      const [cast, changed] = await Promise.all([ballot, change]);
      assert.equal(Number(cast) + Number(changed.kind === 'saved'), 1, `ballot first: ${ballotFirst}, cast ${cast}, change ${changed.kind}`);
      const c = await reload(cycle);
      const ballots = Number((await db.selectFrom('pb_ballots').select((eb) => eb.fn.countAll<number>().as('n')).where('cycle_id', '=', cycle.id).executeTakeFirstOrThrow()).n);
      assert.equal(ballots === 1, c.max_choices === 3);
    }
  });
});

describe('categories', () => {
  test('added, changed and deleted within the cycle’s total, audited; a category with projects stays', async () => {
    const { cycle } = await seedCycle(db, town, { phase: 'information', categories: [{ slug: 'small', amount: 300_000_000 }] });
    await db.updateTable('pb_cycles').set({ total_amount: 400_000_000 }).where('id', '=', cycle.id).execute();
    const v = { names: { uk: 'Великі', en: 'Large' }, district_id: null, amount: 100_000_000, min_cost: 1_000, max_cost: 50_000_000 };
    const before = await count('audit_log');
    assert.deepEqual(await addCategory(deps(), actor, town, cycle.number, 'large', v, null), { kind: 'done' });
    assert.equal(await count('audit_log'), before + 1);
    assert.deepEqual(await addCategory(deps(), actor, town, cycle.number, 'large', { ...v, amount: 1 }, null), { kind: 'over_total', sum: 400_000_001, total: 400_000_000 });
    await db.updateTable('pb_cycles').set({ total_amount: 500_000_000 }).where('id', '=', cycle.id).execute();
    assert.deepEqual(await addCategory(deps(), actor, town, cycle.number, 'small', { ...v, amount: 1 }, null), { kind: 'slug_taken' });
    assert.deepEqual(await addCategory(deps(), actor, town, cycle.number, 'district', { ...v, amount: 1, district_id: 999_999 }, null), { kind: 'unknown_district' });
    // The edited category's own amount is not counted twice.
    assert.deepEqual(await editCategory(deps(), actor, town, cycle.number, 'large', { ...v, amount: 200_000_000 }), { kind: 'done' });
    assert.deepEqual(await editCategory(deps(), actor, town, cycle.number, 'large', { ...v, amount: 200_000_001 }), { kind: 'over_total', sum: 500_000_001, total: 500_000_000 });
    assert.deepEqual(await editCategory(deps(), actor, town, cycle.number, 'none', v), { kind: 'gone' });
    const small = (await cycleCategories(db, cycle.id)).find((c) => c.slug === 'small')!;
    await seedProject(db, town, small, authorId, { status: 'draft' });
    assert.deepEqual(await deleteCategory(deps(), actor, town, cycle.number, 'small'), { kind: 'in_use' });
    assert.deepEqual(await deleteCategory(deps(), actor, town, cycle.number, 'large'), { kind: 'done' });
    assert.deepEqual((await cycleCategories(db, cycle.id)).map((c) => c.slug), ['small']);
    assert.deepEqual(await deleteCategory(deps(), actor, other, cycle.number, 'small'), { kind: 'gone' });
  });
});
