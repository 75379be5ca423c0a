import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../../../db/database.ts';
import type { Municipality } from '../../../db/schema.ts';
import { ledgerEntries, pseudonym, pseudonymSecret, verifyChain } from '../../../platform/ledger/ledger.ts';
import { createTestDatabase, type TestDatabase } from '../../../platform/testing/db.ts';
import { findCycle } from '../cycle.repo.ts';
import type { Category, Cycle } from '../pb.tables.ts';
import { checkBallot } from '../rules.ts';
import { pbTown, seedCycle, seedProject, serviceDeps } from '../testing.ts';
import { castOnline } from './cast.service.ts';
import { sealBallots } from './index.ts';
import { ballotReceipt } from './receipt.ts';
import { seedProjects, seedVoter } from './testing.ts';

let database: TestDatabase;
let db: Database;
let town: Municipality;
let cycle: Cycle;
let categories: Category[];
let small: number[];
let large: number[];
let author: number;
const deps = () => serviceDeps(db);
const seal = () => sealBallots.run(deps());
const fresh = async (c: Cycle) => (await findCycle(db, town.id, c.number))!;

before(async () => {
  database = await createTestDatabase();
  db = database.db;
  town = await pbTown(db, 'zhovkva');
  author = (await seedVoter(db, town)).id;
  ({ cycle, categories } = await seedCycle(db, town, { maxChoices: 3, maxPerCategory: 2, minChoices: 2 }));
  small = await seedProjects(db, town, categories[0]!, author, 3);
  large = [(await seedProject(db, town, categories[1]!, author, { cost: 40_000_000, departmentCost: 50_000_000 })).number];
  await seedProject(db, town, categories[0]!, author, { status: 'rejected' });
});
after(() => database.cleanup());

describe('casting a ballot', () => {
  test('a ballot is one row, its person keys and a queued entry; sealing opens the chain with the cycle entry', async () => {
    const v = await seedVoter(db, town, { document: 'AB 123456', nationalId: '1234567890' });
    assert.equal((await fresh(cycle)).frozen_at, null);
    const r = await castOnline(deps(), v, town, cycle, { choices: [large[0]!, small[1]!], version: 0 });
    assert.equal(r.kind, 'cast');
    const secret = await pseudonymSecret(db);
    const voter = pseudonym(secret, `pb:${cycle.number}`, v.id);
    assert.deepEqual(r, { kind: 'cast', voter, version: 1 });
    const keys = await db.selectFrom('pb_voters').select('person_key').where('cycle_id', '=', cycle.id).orderBy('person_key').execute();
    assert.deepEqual(keys.map((k) => k.person_key.split(':')[0]), ['doc', 'nid', 'user']);
    assert.ok((await fresh(cycle)).frozen_at, 'the first ballot freezes the rules');
    assert.equal(await seal(), 1);
    const rows = await ledgerEntries(db, town.id, `pb:${cycle.number}`, { limit: 10 });
    assert.ok(verifyChain(rows).ok);
    assert.deepEqual(rows.map((e) => e.kind), ['cycle', 'ballot']);
    assert.deepEqual(rows[0]!.payload, {
      cycle: cycle.number, currency: 'UAH', rule: 'approval', maxChoices: 3, maxPerCategory: 2, minChoices: 2, minSharePct: null, ballotChanges: false,
      categories: [{ slug: 'small', amount: 100_000_000, district: null }, { slug: 'large', amount: 300_000_000, district: null }],
      projects: [...small.map((n) => ({ number: n, category: 'small', cost: 1_000_000 })), { number: large[0]!, category: 'large', cost: 50_000_000 }],
    });
    const payload = rows[1]!.payload as { voter: string; channel: string; choices: number[]; version: number; at: string };
    assert.deepEqual({ ...payload, at: undefined }, { voter, channel: 'online', choices: [small[1]!, large[0]!].sort((a, b) => a - b), version: 1, at: undefined });
    assert.match(payload.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const c = rows[0]!.payload as { rule: 'approval'; maxChoices: number; maxPerCategory: number; minChoices: number; minSharePct: null; categories: { slug: string; amount: number }[]; projects: { number: number; category: string; cost: number }[] };
    assert.equal(checkBallot({ rule: c.rule, maxChoices: c.maxChoices, maxPerCategory: c.maxPerCategory, minChoices: c.minChoices, minSharePct: null }, c.categories, c.projects, payload.choices, { cast: true }), null);
    const receipt = await ballotReceipt(db, town, cycle, v.id, 3600);
    assert.equal(receipt!.entry!.seq, 2);
    assert.deepEqual(receipt!.receipt.entry!.payload, payload);
  });

  test('voting again is refused and names the channel; nothing is written', async () => {
    const v = await seedVoter(db, town);
    assert.equal((await castOnline(deps(), v, town, cycle, { choices: [small[0]!, small[1]!], version: 0 })).kind, 'cast');
    const again = await castOnline(deps(), v, town, cycle, { choices: [small[2]!, large[0]!], version: 0 });
    assert.equal(again.kind, 'already');
    assert.equal(again.kind === 'already' && again.channel, 'online');
    const row = await db.selectFrom('pb_ballots').select('choices').where('user_id', '=', v.id).executeTakeFirstOrThrow();
    assert.deepEqual(row.choices, [small[0]!, small[1]!]);
  });

  test('twenty casts of one voter at once make one ballot; twenty voters at once make twenty', async () => {
    const one = await seedVoter(db, town);
    const same = await Promise.all(Array.from({ length: 20 }, () => castOnline(deps(), one, town, cycle, { choices: [small[0]!, large[0]!], version: 0 })));
    assert.equal(same.filter((r) => r.kind === 'cast').length, 1);
    assert.equal(same.filter((r) => r.kind === 'already').length, 19);
    const many = await Promise.all(Array.from({ length: 20 }, () => seedVoter(db, town)));
    const cast = await Promise.all(many.map((v) => castOnline(deps(), v, town, cycle, { choices: [small[2]!, large[0]!], version: 0 })));
    assert.ok(cast.every((r) => r.kind === 'cast'));
    const ballots = await db.selectFrom('pb_ballots').select((eb) => eb.fn.countAll<number>().as('n')).where('cycle_id', '=', cycle.id).executeTakeFirstOrThrow();
    await seal();
    const rows = await ledgerEntries(db, town.id, `pb:${cycle.number}`, { limit: 1000 });
    assert.equal(rows.filter((e) => e.kind === 'ballot').length, Number(ballots.n));
    assert.equal(new Set(rows.map((e) => e.payload.voter)).size, rows.length, 'one entry per voter, the cycle entry has none');
  });

  test('the rules refuse over-selection, too few, a project of no category on the ballot, a rejected project, repeats', async () => {
    const v = await seedVoter(db, town);
    const rejected = (await db.selectFrom('pb_projects').select('number').where('status', '=', 'rejected').executeTakeFirstOrThrow()).number;
    for (const [choices, code] of [
      [[...small, large[0]!], 'too_many'], [small, 'too_many_in_category'], [[small[0]!], 'too_few'],
      [[small[0]!, rejected], 'unknown_project'], [[small[0]!, 999_999], 'unknown_project'], [[small[0]!, small[0]!], 'duplicate'],
    ] as [number[], string][]) {
      const r = await castOnline(deps(), v, town, cycle, { choices, version: 0 });
      assert.equal(r.kind === 'refused' && r.problem.code === 'rules' && r.problem.problem.code, code, JSON.stringify(choices));
    }
    assert.equal(await db.selectFrom('pb_ballots').select('id').where('user_id', '=', v.id).executeTakeFirst(), undefined);
  });

  test('outside the voting period, another municipality or too low a level: refused', async () => {
    const { cycle: closed, categories: cc } = await seedCycle(db, town, { phase: 'results' });
    const p = await seedProject(db, town, cc[0]!, author);
    const v = await seedVoter(db, town, { resident: false });
    const closedOut = await castOnline(deps(), v, town, closed, { choices: [p.number], version: 0 });
    assert.deepEqual(closedOut, { kind: 'refused', problem: { code: 'not_open' } });
    const { cycle: residentsOnly, categories: rc } = await seedCycle(db, town, { voteLevel: 'resident' });
    const q = await seedProject(db, town, rc[0]!, author);
    const r = await castOnline(deps(), v, town, residentsOnly, { choices: [q.number], version: 0 });
    assert.equal(r.kind === 'refused' && r.problem.code === 'not_eligible' && r.problem.refusal.code, 'level');
    // A cycle whose period passed after the page read it: the writing statement checks the period itself.
    const stale = { ...residentsOnly, voting_closes: new Date(Date.now() + 3600_000) };
    await db.updateTable('pb_cycles').set({ voting_closes: new Date(Date.now() - 1000), voting_opens: new Date(Date.now() - 2000) }).where('id', '=', residentsOnly.id).execute();
    const resident = await seedVoter(db, town);
    assert.deepEqual(await castOnline(deps(), resident, town, stale, { choices: [q.number], version: 0 }), { kind: 'refused', problem: { code: 'not_open' } });
  });
});

describe('changing a ballot', () => {
  test('where the cycle allows it: each change a new version and a new entry; a stale or same change writes nothing', async () => {
    const { cycle: c, categories: cc } = await seedCycle(db, town, { ballotChanges: true, maxChoices: 2 });
    const [a, b, d] = await seedProjects(db, town, cc[0]!, author, 3) as [number, number, number];
    const v = await seedVoter(db, town);
    assert.equal((await castOnline(deps(), v, town, c, { choices: [a], version: 0 })).kind, 'cast');
    const changed = await castOnline(deps(), v, town, c, { choices: [a, b], version: 1 });
    assert.equal(changed.kind === 'changed' && changed.version, 2);
    assert.equal((await castOnline(deps(), v, town, c, { choices: [d], version: 1 })).kind, 'stale', 'a second click of the first change');
    assert.equal((await castOnline(deps(), v, town, c, { choices: [b, a], version: 2 })).kind, 'unchanged');
    const over = await castOnline(deps(), v, town, c, { choices: [a, b, d], version: 2 });
    assert.equal(over.kind === 'refused' && over.problem.code === 'rules' && over.problem.problem.code, 'too_many');
    assert.equal((await castOnline(deps(), v, town, c, { choices: [d], version: 2 })).kind, 'changed');
    await seal();
    const rows = (await ledgerEntries(db, town.id, `pb:${c.number}`, { limit: 10 })).filter((e) => e.kind === 'ballot');
    assert.deepEqual(rows.map((e) => [e.payload.version, e.payload.choices]), [[1, [a]], [2, [a, b]], [3, [d]]]);
    const receipt = await ballotReceipt(db, town, c, v.id, 3600);
    assert.equal(receipt!.ballot.version, 3);
    assert.equal(receipt!.entry!.seq, 4);
  });

  test('where ballots are final, a change is refused', async () => {
    const v = await seedVoter(db, town);
    assert.equal((await castOnline(deps(), v, town, cycle, { choices: [small[0]!, large[0]!], version: 0 })).kind, 'cast');
    assert.deepEqual(await castOnline(deps(), v, town, cycle, { choices: [small[1]!, large[0]!], version: 1 }), { kind: 'final' });
  });
});
