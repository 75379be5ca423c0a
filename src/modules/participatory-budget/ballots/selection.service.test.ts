import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../../../db/database.ts';
import type { Municipality } from '../../../db/schema.ts';
import { createTestDatabase, type TestDatabase } from '../../../platform/testing/db.ts';
import { pbTown, seedCycle, seedProject, serviceDeps } from '../testing.ts';
import { castOnline } from './cast.service.ts';
import { addToSelection, removeFromSelection } from './selection.service.ts';
import { voterState } from './state.ts';
import { seedProjects, seedVoter } from './testing.ts';

let database: TestDatabase;
let db: Database;
let town: Municipality;
let author: number;
const deps = () => serviceDeps(db);
const code = (r: Awaited<ReturnType<typeof addToSelection>>) => (r.kind === 'rules' ? r.problem.code : r.kind);

before(async () => {
  database = await createTestDatabase();
  db = database.db;
  town = await pbTown(db, 'zhovkva');
  author = (await seedVoter(db, town)).id;
});
after(() => database.cleanup());

describe('building a selection', () => {
  test('approval: every addition within the limits, removing and adding again works', async () => {
    const { cycle, categories } = await seedCycle(db, town, { maxChoices: 3, maxPerCategory: 2, minChoices: 2 });
    const small = await seedProjects(db, town, categories[0]!, author, 3);
    const large = await seedProjects(db, town, categories[1]!, author, 2, 40_000_000);
    const v = await seedVoter(db, town);
    assert.equal(code(await addToSelection(deps(), v, town, cycle, small[0]!)), 'added', 'short of the minimum while building is fine');
    assert.equal(code(await addToSelection(deps(), v, town, cycle, small[1]!)), 'added');
    assert.equal(code(await addToSelection(deps(), v, town, cycle, small[1]!)), 'added', 'adding a chosen one again changes nothing');
    assert.equal(code(await addToSelection(deps(), v, town, cycle, small[2]!)), 'too_many_in_category');
    assert.equal(code(await addToSelection(deps(), v, town, cycle, large[0]!)), 'added');
    assert.equal(code(await addToSelection(deps(), v, town, cycle, large[1]!)), 'too_many');
    assert.equal((await removeFromSelection(deps(), v, town, cycle, small[0]!)).kind, 'removed');
    assert.equal(code(await addToSelection(deps(), v, town, cycle, small[0]!)), 'added', 'a removed project can be added again');
    const s = await voterState(db, town, cycle, v, new Date());
    assert.deepEqual(s.selection, [small[0]!, small[1]!, large[0]!].sort((a, b) => a - b));
    assert.deepEqual([s.tally.chosen, s.tally.choicesLeft, s.tally.categories[0]!.choicesLeft], [3, 0, 0]);
  });

  test('knapsack: an addition over a category\'s money is refused with what it would cost', async () => {
    const { cycle, categories } = await seedCycle(db, town, { rule: 'knapsack', categories: [{ slug: 'all', amount: 2_500_000 }] });
    const [a, b, c] = await seedProjects(db, town, categories[0]!, author, 3);
    const v = await seedVoter(db, town);
    await addToSelection(deps(), v, town, cycle, a!);
    await addToSelection(deps(), v, town, cycle, b!);
    const over = await addToSelection(deps(), v, town, cycle, c!);
    assert.deepEqual(over.kind === 'rules' && over.problem, { code: 'over_budget', category: 'all', amount: 2_500_000, total: 3_000_000 });
    assert.equal((await voterState(db, town, cycle, v, new Date())).tally.categories[0]!.moneyLeft, 500_000);
  });

  test('two tabs adding at once cannot pass a limit together', async () => {
    const { cycle, categories } = await seedCycle(db, town, { maxChoices: 2 });
    const ps = await seedProjects(db, town, categories[0]!, author, 5);
    const v = await seedVoter(db, town);
    const r = await Promise.all(ps.map((n) => addToSelection(deps(), v, town, cycle, n)));
    assert.equal(r.filter((x) => x.kind === 'added').length, 2);
    assert.equal((await voterState(db, town, cycle, v, new Date())).selection.length, 2);
  });

  test('refused: a project of another cycle or not admitted, outside voting, after a final ballot', async () => {
    const { cycle, categories } = await seedCycle(db, town);
    const { cycle: other, categories: oc } = await seedCycle(db, town);
    const mine = (await seedProject(db, town, categories[0]!, author)).number;
    const theirs = (await seedProject(db, town, oc[0]!, author)).number;
    const submitted = (await seedProject(db, town, categories[0]!, author, { status: 'submitted' })).number;
    const v = await seedVoter(db, town);
    assert.equal(code(await addToSelection(deps(), v, town, cycle, theirs)), 'unknown_project');
    assert.equal(code(await addToSelection(deps(), v, town, cycle, submitted)), 'unknown_project');
    assert.equal(code(await addToSelection(deps(), v, town, cycle, 999_999_999)), 'unknown_project');
    assert.equal((await castOnline(deps(), v, town, cycle, { choices: [mine], version: 0 })).kind, 'cast');
    assert.equal(code(await addToSelection(deps(), v, town, cycle, mine)), 'voted');
    const { cycle: later, categories: lc } = await seedCycle(db, town, { phase: 'review' });
    assert.equal(code(await addToSelection(deps(), v, town, later, (await seedProject(db, town, lc[0]!, author)).number)), 'not_open');
    assert.equal(code(await addToSelection(deps(), v, town, other, theirs)), 'added');
  });
});
