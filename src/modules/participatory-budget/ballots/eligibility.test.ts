import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../../../db/database.ts';
import type { Municipality } from '../../../db/schema.ts';
import { createTestDatabase, type TestDatabase } from '../../../platform/testing/db.ts';
import { pbTown, seedCycle, seedProject, serviceDeps } from '../testing.ts';
import { ageBand, ageOn, dayTurning } from './age.ts';
import { castOnline } from './cast.service.ts';
import { addToSelection, chooseDistrict } from './selection.service.ts';
import { seedDistrict, seedVoter } from './testing.ts';

let database: TestDatabase;
let db: Database;
let town: Municipality;
let author: number;
const deps = () => serviceDeps(db);

before(async () => {
  database = await createTestDatabase();
  db = database.db;
  town = await pbTown(db, 'zhovkva');
  author = (await seedVoter(db, town)).id;
});
after(() => database.cleanup());

describe('ages', () => {
  test('whole years on the local day; a 29 February birthday on 28 February; the bands', () => {
    assert.equal(ageOn('2009-05-02', '2027-05-01'), 17);
    assert.equal(ageOn('2009-05-02', '2027-05-02'), 18);
    assert.equal(ageOn('2008-02-29', '2026-02-28'), 18);
    assert.equal(dayTurning('2008-02-29', 18), '2026-02-28');
    assert.deepEqual([15, 16, 17, 18, 29, 30, 44, 45, 59, 60, 90].map(ageBand), [null, '16-17', '16-17', '18-29', '18-29', '30-44', '30-44', '45-59', '45-59', '60+', '60+']);
  });
});

describe('eligibility', () => {
  test('a minimum age: no birth date, a declared one where only an identity counts, too young, of age on the local day', async () => {
    const { cycle, categories } = await seedCycle(db, town, { minAge: 18 });
    const p = (await seedProject(db, town, categories[0]!, author)).number;
    const refusal = async (o: Parameters<typeof seedVoter>[2], c = cycle, now?: Date) => {
      const r = await castOnline(deps(), await seedVoter(db, town, o), town, c, { choices: [p], version: 0 }, now);
      return r.kind === 'refused' && r.problem.code === 'not_eligible' ? r.problem.refusal : r.kind;
    };
    assert.deepEqual(await refusal({}), { code: 'age_unknown', minAge: 18, declaredCounts: true, hasDeclared: false });
    assert.equal(await refusal({ birthDate: '1990-01-01', birthSource: 'declared' }), 'cast', 'the cycle takes a declared birth date');
    const { cycle: strict, categories: sc } = await seedCycle(db, town, { minAge: 18 });
    await db.updateTable('pb_cycles').set({ age_source: 'identity' }).where('id', '=', strict.id).execute();
    const strictCycle = { ...strict, age_source: 'identity' as const };
    const q = (await seedProject(db, town, sc[0]!, author)).number;
    const declared = await castOnline(deps(), await seedVoter(db, town, { birthDate: '1990-01-01', birthSource: 'declared' }), town, strictCycle, { choices: [q], version: 0 });
    assert.deepEqual(declared.kind === 'refused' && declared.problem.code === 'not_eligible' && declared.problem.refusal, { code: 'age_unknown', minAge: 18, declaredCounts: false, hasDeclared: true });
    // Kyiv is UTC+2/+3: at 22:30 UTC on the eve of the 18th birthday it is already the birthday there.
    const eve = new Date(cycle.voting_opens.getTime() + 2 * 86_400_000);
    eve.setUTCHours(22, 30, 0, 0);
    const local = new Date(eve.getTime() + 3 * 3600_000).toISOString().slice(0, 10);
    const born = `${Number(local.slice(0, 4)) - 18}${local.slice(4)}`;
    const dayBefore = new Date(eve.getTime() - 86_400_000);
    assert.deepEqual(await refusal({ birthDate: born }, cycle, dayBefore), { code: 'too_young', minAge: 18, from: born.replace(/^\d{4}/, String(Number(born.slice(0, 4)) + 18)) });
    assert.equal(await refusal({ birthDate: born }, cycle, eve), 'cast');
    const ballot = await db.selectFrom('pb_ballots').select('age_band').orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.equal(ballot.age_band, '18-29');
  });

  test('district categories: the confirmed district counts, otherwise one declared on the ballot; another district is refused', async () => {
    const north = await seedDistrict(db, town, 'north');
    const south = await seedDistrict(db, town, 'south');
    const { cycle, categories } = await seedCycle(db, town, {
      maxChoices: 3, categories: [{ slug: 'city', amount: 100_000_000 }, { slug: 'north', amount: 50_000_000, districtId: north }, { slug: 'south', amount: 50_000_000, districtId: south }],
    });
    const [city, n1, s1] = [await seedProject(db, town, categories[0]!, author), await seedProject(db, town, categories[1]!, author), await seedProject(db, town, categories[2]!, author)].map((p) => p.number) as [number, number, number];
    const problem = async (r: Awaited<ReturnType<typeof castOnline>>) => (r.kind === 'refused' && r.problem.code === 'district' ? r.problem.problem.code : r.kind);
    const resident = await seedVoter(db, town, { districtId: north });
    assert.equal(await problem(await castOnline(deps(), resident, town, cycle, { choices: [city, s1], version: 0 })), 'other_district');
    assert.equal(await problem(await castOnline(deps(), resident, town, cycle, { choices: [city, n1], version: 0 })), 'cast');
    assert.equal((await db.selectFrom('pb_ballots').select('district_id').where('user_id', '=', resident.id).executeTakeFirstOrThrow()).district_id, north);
    const newcomer = await seedVoter(db, town);
    assert.equal(await problem(await castOnline(deps(), newcomer, town, cycle, { choices: [city, s1], version: 0 })), 'district_needed');
    assert.equal((await addToSelection(deps(), newcomer, town, cycle, s1)).kind, 'district');
    assert.equal((await chooseDistrict(deps(), newcomer, town, cycle, south)).kind, 'declared');
    assert.equal((await addToSelection(deps(), newcomer, town, cycle, s1)).kind, 'added');
    assert.equal((await addToSelection(deps(), newcomer, town, cycle, city)).kind, 'added');
    // Another district empties the choices in the first one's category, not the city's.
    assert.equal((await chooseDistrict(deps(), newcomer, town, cycle, north)).kind, 'declared');
    const left = await db.selectFrom('pb_selections as s').innerJoin('pb_projects as p', 'p.id', 's.project_id').select('p.number').where('s.user_id', '=', newcomer.id).execute();
    assert.deepEqual(left.map((r) => r.number), [city]);
    assert.equal((await chooseDistrict(deps(), resident, town, cycle, south)).kind, 'voted');
    assert.equal((await chooseDistrict(deps(), await seedVoter(db, town, { districtId: north }), town, cycle, south)).kind, 'district_fixed');
    assert.equal((await chooseDistrict(deps(), newcomer, town, cycle, 999_999)).kind, 'unknown_district');
    assert.equal(await problem(await castOnline(deps(), newcomer, town, cycle, { choices: [city, n1], version: 0 })), 'cast');
  });
});
