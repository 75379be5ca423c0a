import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../../../db/database.ts';
import type { Municipality } from '../../../db/schema.ts';
import { ledgerEntries } from '../../../platform/ledger/ledger.ts';
import { ChainReplay } from '../../../platform/ledger/verify/replay.ts';
import { createTestDatabase, type TestDatabase } from '../../../platform/testing/db.ts';
import { findCycle } from '../cycle.repo.ts';
import { cycleChain } from '../paths.ts';
import type { Cycle, Project } from '../pb.tables.ts';
import { pbTown, resident, seedCycle, seedProject, serviceDeps, type SeedCycle } from '../testing.ts';
import { pbMeaning } from './meaning.ts';
import { previewResults, publishResults } from './publish.service.ts';
import { castForTest } from './testing.ts';

let database: TestDatabase;
let db: Database;
let town: Municipality;
let authorId: number;
let adminId: number;
let followerId: number;
const actor = () => ({ id: adminId, ip: '198.51.100.1' });
const count = async (table: 'pb_results' | 'audit_log' | 'notifications' | 'pb_project_events') =>
  Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
const chainOf = (c: Cycle) => ledgerEntries(db, town.id, cycleChain(c.number), { limit: 10_000 });
const reload = async (c: Cycle) => (await findCycle(db, town.id, c.number))!;
const nothingWritten = async (c: Cycle, before: number[]) => {
  assert.deepEqual(await Promise.all([count('pb_results'), count('audit_log'), count('notifications'), count('pb_project_events')]), before);
  assert.equal((await reload(c)).results_published_at, null);
  assert.ok((await chainOf(c)).every((e) => e.kind !== 'results'));
};
const counts = () => Promise.all([count('pb_results'), count('audit_log'), count('notifications'), count('pb_project_events')]);

/** A knapsack cycle: small (100 000.00) with #a 60 000, #b 50 000, #c 30 000; large (300 000.00) with #d 200 000. */
async function knapsack(o: SeedCycle = {}) {
  const { cycle, categories } = await seedCycle(db, town, {
    phase: 'results', rule: 'knapsack', ballotChanges: true,
    categories: [{ slug: 'small', amount: 10_000_000, maxCost: 10_000_000 }, { slug: 'large', amount: 30_000_000, maxCost: 30_000_000 }], ...o,
  });
  const [small, large] = categories as [typeof categories[0], typeof categories[0]];
  const p: Project[] = [];
  for (const [cat, cost] of [[small, 6_000_000], [small, 5_000_000], [small, 3_000_000], [large, 20_000_000]] as const) p.push(await seedProject(db, town, cat, authorId, { cost }));
  // A project refused at review is not in the vote, nor in the results.
  await seedProject(db, town, small, authorId, { status: 'rejected' });
  return { cycle, p };
}

before(async () => {
  database = await createTestDatabase();
  db = database.db;
  town = await pbTown(db, 'zhovkva');
  authorId = (await resident(db, 'author@example.org', town)).id;
  adminId = (await resident(db, 'admin@example.org', town, { role: 'admin' })).id;
  followerId = (await resident(db, 'follower@example.org', town)).id;
});
after(() => database.cleanup());

describe(`publishing a cycle's results (${process.env.TEST_DB ?? 'pglite'})`, () => {
  test('one transaction: results rows, funded flags, the ledger entry, timeline, notices and audit; the chain re-counts to it', async () => {
    const { cycle, p } = await knapsack();
    const [a, b, c, d] = p.map((x) => x.number) as [number, number, number, number];
    await db.insertInto('pb_followers').values({ municipality_id: town.id, project_id: p[1]!.id, user_id: followerId }).execute();
    // a: 2 votes, b: 3 (one voter changed from a to b), c: 2, d: 1 (on paper).
    await castForTest(db, town.id, cycle, [
      { versions: [[a]] }, { versions: [[a, c]] }, { versions: [[a], [b, c]] }, { versions: [[b]] }, { versions: [[b], [b, d]], channel: 'paper' },
    ]);
    const preview = await previewResults(db, town.id, cycle);
    assert.deepEqual(preview.seal, { entries: 7, expected: 7, sealed: true, cycleInChain: true, resultsInChain: false });
    assert.deepEqual(preview.turnout, { voters: 5, online: 4, paper: 1 });
    // small: b (3 votes, 50 000) → 50 000 left; c (2, 30 000: the cheaper of the tie) fits; a (2, 60 000) does not. large: d.
    assert.deepEqual(preview.results.funded, [b, c, d]);

    const r = await publishResults(serviceDeps(db), actor(), town, cycle, new Date());
    assert.deepEqual(r, { kind: 'published', funded: [b, c, d] });
    const rows = await db.selectFrom('pb_results').select(['project_id', 'votes', 'rank', 'funded']).where('cycle_id', '=', cycle.id).orderBy('project_id').execute();
    assert.deepEqual(rows.map((x) => [x.project_id, x.votes, x.rank, x.funded]), [[p[0]!.id, 2, 3, false], [p[1]!.id, 3, 1, true], [p[2]!.id, 2, 2, true], [p[3]!.id, 1, 1, true]]);
    const flags = await db.selectFrom('pb_projects').select(['number', 'funded']).where('cycle_id', '=', cycle.id).orderBy('number').execute();
    assert.deepEqual(flags.map((x) => x.funded), [false, true, true, true, null]);
    assert.ok((await reload(cycle)).results_published_at);

    const entries = await chainOf(cycle);
    assert.deepEqual(entries.map((e) => e.kind), ['cycle', ...Array(7).fill('ballot'), 'results']);
    assert.deepEqual(entries.at(-1)!.payload, { votes: [[a, 2], [b, 3], [c, 2], [d, 1]], funded: [b, c, d] });
    const replay = new ChainReplay({ pb: pbMeaning });
    assert.ok(replay.add(entries), JSON.stringify(replay.failed));
    assert.deepEqual(replay.counted, { name: 'pb', count: 5 });

    const events = await db.selectFrom('pb_project_events').select(['project_id', 'kind']).where('project_id', 'in', p.map((x) => x.id)).orderBy('project_id').execute();
    assert.deepEqual(events.map((e) => e.kind), ['not_funded', 'funded', 'funded', 'funded']);
    const notices = await db.selectFrom('notifications').select(['user_id', 'kind']).where('kind', '=', 'pb.results').execute();
    // The author of all four projects hears of each; the follower of b of b.
    assert.equal(notices.filter((n) => n.user_id === authorId).length, 4);
    assert.equal(notices.filter((n) => n.user_id === followerId).length, 1);
    const audited = await db.selectFrom('audit_log').select(['action', 'subject_type', 'subject_id', 'actor_id']).where('action', '=', 'pb.results.publish').execute();
    assert.deepEqual(audited, [{ action: 'pb.results.publish', subject_type: 'pb_cycle', subject_id: String(cycle.number), actor_id: adminId }]);

    // Publishing again, even at once, changes nothing.
    const before = await counts();
    const again = await Promise.all([1, 2, 3].map(() => publishResults(serviceDeps(db), actor(), town, cycle, new Date())));
    assert.deepEqual(again, [{ kind: 'already_published' }, { kind: 'already_published' }, { kind: 'already_published' }]);
    assert.deepEqual(await counts(), before);
    assert.equal((await chainOf(cycle)).length, entries.length);
  });

  test('two administrators publishing at the same moment: one publication', async () => {
    const { cycle, p } = await knapsack();
    await castForTest(db, town.id, cycle, [{ versions: [[p[0]!.number]] }]);
    const outcomes = await Promise.all([1, 2, 3, 4].map(() => publishResults(serviceDeps(db), actor(), town, cycle, new Date())));
    assert.equal(outcomes.filter((o) => o.kind === 'published').length, 1);
    assert.equal(outcomes.filter((o) => o.kind === 'already_published').length, 3);
    assert.equal((await chainOf(cycle)).filter((e) => e.kind === 'results').length, 1);
    assert.equal(Number((await db.selectFrom('pb_results').select((eb) => eb.fn.countAll<number>().as('n')).where('cycle_id', '=', cycle.id).executeTakeFirstOrThrow()).n), 4);
  });

  test('refused while voting is open, before it, and for a draft cycle: nothing written', async () => {
    for (const phase of ['voting', 'review'] as const) {
      const { cycle, p } = await knapsack({ phase });
      if (phase === 'voting') await castForTest(db, town.id, cycle, [{ versions: [[p[0]!.number]] }]);
      const before = await counts();
      assert.deepEqual(await publishResults(serviceDeps(db), actor(), town, cycle, new Date()), { kind: 'voting_open', closes: cycle.voting_closes });
      await nothingWritten(cycle, before);
    }
    const { cycle } = await knapsack({ status: 'draft' });
    const before = await counts();
    assert.deepEqual(await publishResults(serviceDeps(db), actor(), town, cycle, new Date()), { kind: 'not_published_cycle' });
    await nothingWritten(cycle, before);
  });

  test('refused while ballots wait to be sealed into the ledger', async () => {
    const { cycle, p } = await knapsack();
    await castForTest(db, town.id, cycle, [{ versions: [[p[0]!.number]] }, { versions: [[p[1]!.number], [p[2]!.number]] }]);
    // One more ballot in the database, not yet in the chain.
    await castForTest(db, town.id, cycle, [{ versions: [[p[3]!.number]] }], { sealed: false });
    const before = await counts();
    assert.deepEqual(await publishResults(serviceDeps(db), actor(), town, cycle, new Date()), { kind: 'not_sealed', entries: 3, expected: 4 });
    await nothingWritten(cycle, before);
    assert.equal((await previewResults(db, town.id, cycle)).seal.sealed, false);
  });

  test('a cycle nobody voted in: no project funded, and the chain gets its cycle entry before the results', async () => {
    const { cycle } = await knapsack();
    const r = await publishResults(serviceDeps(db), actor(), town, cycle, new Date());
    assert.deepEqual(r, { kind: 'published', funded: [] });
    const entries = await chainOf(cycle);
    assert.deepEqual(entries.map((e) => e.kind), ['cycle', 'results']);
    assert.equal((entries[0]!.payload as { ballotChanges: boolean }).ballotChanges, true);
    const replay = new ChainReplay({ pb: pbMeaning });
    assert.ok(replay.add(entries), JSON.stringify(replay.failed));
    assert.deepEqual(replay.counted, { name: 'pb', count: 0 });
  });

  test('counted costs: the department\'s estimate where there is one', async () => {
    const { cycle, categories } = await seedCycle(db, town, { phase: 'results', rule: 'approval', maxChoices: 2, categories: [{ slug: 'all', amount: 10_000_000 }] });
    const cheap = await seedProject(db, town, categories[0]!, authorId, { cost: 1_000_000, departmentCost: 9_500_000 });
    const other = await seedProject(db, town, categories[0]!, authorId, { cost: 2_000_000 });
    await castForTest(db, town.id, cycle, [{ versions: [[cheap.number, other.number]] }, { versions: [[cheap.number]] }]);
    // cheap (2 votes) costs 95 000.00 as counted: 5 000.00 is left, and other (20 000.00) does not fit.
    assert.deepEqual(await publishResults(serviceDeps(db), actor(), town, cycle, new Date()), { kind: 'published', funded: [cheap.number] });
  });
});
