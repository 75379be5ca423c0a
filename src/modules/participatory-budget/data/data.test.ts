import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Municipality } from '../../../db/schema.ts';
import { createMunicipality, startTestApp, type TestApp } from '../../../platform/testing/http.ts';
import type { Cycle, Project } from '../pb.tables.ts';
import { pbTown, resident, seedCycle, seedProject } from '../testing.ts';

let t: TestApp;
let town: Municipality;
let closed: Cycle;
let voting: Cycle;
let winner: Project;
let loser: Project;
let userId = 0;
const api = '/api/v1/zhovkva/participatory-budget';
const json = async (url: string) => {
  const res = await t.client('en').get(url);
  return { res, body: JSON.parse(res.body) as Record<string, unknown> & { data: Record<string, unknown>[]; total: number; error: { code: string; fields?: Record<string, string> } } };
};
const csvLines = (body: string) => body.replace(/^\uFEFF/, '').trimEnd().split('\r\n');

before(async () => {
  t = await startTestApp();
  town = await pbTown(t.db, 'zhovkva');
  await pbTown(t.db, 'sombor');
  await createMunicipality(t.db, { slug: 'lviv', enabledModules: ['petitions'] });
  userId = (await resident(t.db, 'author@example.org', town)).id;
  const district = await t.db.insertInto('districts').values({ municipality_id: town.id, slug: 'centre', names: JSON.stringify({ uk: 'Центр', en: 'Centre' }) }).returning('id').executeTakeFirstOrThrow();
  const seeded = await seedCycle(t.db, town, { phase: 'implementation', resultsPublished: true });
  closed = seeded.cycle;
  winner = await seedProject(t.db, town, seeded.categories[0]!, userId, { title: '=Сквер, "зелений"', cost: 2_000_000, departmentCost: 1_800_000, districtId: district.id });
  loser = await seedProject(t.db, town, seeded.categories[0]!, userId, { title: 'Бювет біля ринку', at: null });
  await seedProject(t.db, town, seeded.categories[0]!, userId, { title: 'Чернетка автора', status: 'draft' });
  await t.db.updateTable('pb_projects').set({ funded: true, impl_status: 'in_progress', progress: 40, due_on: '2020-01-01', contracted: 1_700_000, spent: 500_000 }).where('id', '=', winner.id).execute();
  await t.db.updateTable('pb_projects').set({ funded: false }).where('id', '=', loser.id).execute();
  await t.db.insertInto('pb_results').values([
    { municipality_id: town.id, cycle_id: closed.id, project_id: winner.id, votes: 120, rank: 1, funded: true },
    { municipality_id: town.id, cycle_id: closed.id, project_id: loser.id, votes: 30, rank: 2, funded: false },
  ]).execute();
  await t.db.insertInto('pb_milestones').values([
    { municipality_id: town.id, project_id: winner.id, title: 'Тендер', due_on: '2027-03-01', done_on: '2027-02-20' },
    { municipality_id: town.id, project_id: winner.id, title: 'Роботи', due_on: '2027-08-01' },
  ]).execute();
  await t.db.insertInto('pb_updates').values({ municipality_id: town.id, project_id: winner.id, body: 'Підписали договір', author_id: userId }).execute();
  await t.db.insertInto('pb_ballots').values(Array.from({ length: 7 }, (_, i) => ({
    municipality_id: town.id, cycle_id: closed.id, channel: i === 0 ? 'paper' as const : 'online' as const, user_id: i === 0 ? null : userId + i, voter: String(i).padStart(64, 'a'),
    choices: [winner.number, loser.number].slice(0, 1 + (i % 2)), version: 1 + (i % 3), district_id: district.id, age_band: '30-44', cast_at: closed.voting_opens, changed_at: closed.voting_opens,
  }))).execute();
  voting = (await seedCycle(t.db, town, { phase: 'voting' })).cycle;
  await seedCycle(t.db, town, { status: 'draft', phase: 'information' });
});
after(() => t.close());

describe('open data of the participatory budget', () => {
  test('cycles.json lists published cycles with their phase, categories and dataset addresses; cached and open to any origin', async () => {
    const { res, body } = await json(`${api}/cycles.json`);
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['cache-control'], 'public, max-age=60');
    assert.equal(res.headers['access-control-allow-origin'], '*');
    assert.deepEqual(body.data.map((c) => [c.number, c.phase]).sort(), [[closed.number, 'implementation'], [voting.number, 'voting']]);
    const c = body.data.find((x) => x.number === closed.number)!;
    assert.deepEqual((c.categories as { slug: string }[]).map((k) => k.slug), ['small', 'large']);
    assert.ok((c.datasets as Record<string, string>).projects!.endsWith(`${api}/cycles/${closed.number}/projects.json`));
  });

  test('projects as JSON and CSV: public ones only, same figures, money in minor units, formulas defused', async () => {
    const { res, body } = await json(`${api}/cycles/${closed.number}/projects.json`);
    assert.equal(res.statusCode, 200);
    assert.equal(body.total, 2, 'the draft is not public');
    const w = body.data.find((p) => p.number === winner.number)!;
    assert.deepEqual([w.category, w.district, w.cost, w.departmentCost, w.countedCost, w.funded, w.implementationStatus, w.progress, w.currency],
      ['small', 'centre', 2_000_000, 1_800_000, 1_800_000, true, 'in_progress', 40, 'UAH']);
    assert.equal(body.data.find((p) => p.number === loser.number)!.lat, null);
    const csv = await t.client('en').get(`${api}/cycles/${closed.number}/projects.csv`);
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    assert.match(String(csv.headers['content-disposition']), /zhovkva-pb-\d+-projects\.csv/);
    const lines = csvLines(csv.body);
    assert.equal(lines[0], 'number,title,status,category,district,currency,cost,department_cost,counted_cost,funded,implementation_status,progress,lat,lng,url');
    assert.equal(lines.length, 3);
    assert.match(lines[1]!, new RegExp(`^${winner.number},"'=Сквер, ""зелений""",admitted,small,centre,UAH,2000000,1800000,1800000,true,in_progress,40,`));
  });

  test('ballots are anonymised (no account, district or age) and published only once voting has closed', async () => {
    const { res, body } = await json(`${api}/cycles/${closed.number}/ballots.json?perPage=5`);
    assert.equal(res.statusCode, 200);
    assert.equal(body.total, 7);
    assert.equal(body.data.length, 5);
    assert.deepEqual(Object.keys(body.data[0]!).sort(), ['castOn', 'channel', 'choices', 'version', 'voter']);
    assert.doesNotMatch(res.body, /user|district|age_?band|30-44/i);
    assert.match(String(res.headers.link), new RegExp(`cycles/${closed.number}/ballots\\.json\\?page=2&perPage=5>; rel="next"`));
    const last = await json(`${api}/cycles/${closed.number}/ballots.json?perPage=5&page=2`);
    assert.equal(last.body.data.length, 2);
    assert.equal(last.res.headers.link, undefined);
    const csv = csvLines((await t.client('en').get(`${api}/cycles/${closed.number}/ballots.csv`)).body);
    assert.equal(csv[0], 'voter,channel,choices,version,cast_on');
    assert.match(csv[1]!, new RegExp(`^a{63}0,paper,${winner.number},1,\\d{4}-\\d{2}-\\d{2}$`));
    assert.match(csv[2]!, new RegExp(`,online,${winner.number} ${loser.number},2,`));
    const early = await json(`${api}/cycles/${voting.number}/ballots.json`);
    assert.equal(early.res.statusCode, 404);
    assert.equal(early.body.error.code, 'not_yet_public');
  });

  test('results and implementation: published results only; implementation with milestones and updates counted', async () => {
    const { body } = await json(`${api}/cycles/${closed.number}/results.json`);
    assert.deepEqual(body.data.map((r) => [r.number, r.votes, r.rank, r.funded, r.cost]), [[winner.number, 120, 1, true, 1_800_000], [loser.number, 30, 2, false, 1_000_000]]);
    assert.equal(csvLines((await t.client('en').get(`${api}/cycles/${closed.number}/results.csv`)).body)[0], 'number,title,category,currency,cost,votes,rank,funded');
    const early = await json(`${api}/cycles/${voting.number}/results.json`);
    assert.deepEqual([early.res.statusCode, early.body.error.code], [404, 'not_yet_public']);
    const impl = await json(`${api}/cycles/${closed.number}/implementation.json`);
    assert.equal(impl.body.total, 1);
    const i = impl.body.data[0]!;
    assert.deepEqual([i.number, i.status, i.progress, i.overdue, i.budget, i.contracted, i.spent, i.milestones, i.milestonesReached, i.updates],
      [winner.number, 'in_progress', 40, true, 1_800_000, 1_700_000, 500_000, 2, 1, 1]);
    assert.match(String(i.lastUpdateAt), /^\d{4}-\d{2}-\d{2}T/);
    const csv = csvLines((await t.client('en').get(`${api}/cycles/${closed.number}/implementation.csv`)).body);
    assert.equal(csv.length, 2);
    assert.match(csv[1]!, /,in_progress,40,2020-01-01,true,UAH,1800000,1700000,500000,2,1,1,/);
  });

  test('bad query strings are JSON errors naming the field; unknown, draft and foreign cycles are 404; nothing is a 5xx', async () => {
    for (const q of ['perPage=0', 'perPage=1001', 'page=0', 'page=abc', 'page=1e309', 'perPage=-1', 'page=1&page=2', 'page=%00']) {
      const { res, body } = await json(`${api}/cycles/${closed.number}/projects.json?${q}`);
      assert.equal(res.statusCode, 400, q);
      assert.equal(body.error.code, 'invalid_input', q);
      assert.ok(Object.keys(body.error.fields ?? {}).some((f) => ['page', 'perPage'].includes(f)), `${q}: ${JSON.stringify(body.error)}`);
    }
    assert.equal((await t.client('en').get(`${api}/cycles/${closed.number}/ballots.csv?perPage=50001`)).statusCode, 400);
    for (const url of [`${api}/cycles/999/projects.json`, `${api}/cycles/abc/projects.json`, `${api}/cycles/0/results.csv`, `${api}/cycles/${closed.number + 2}/projects.json`,
      `/api/v1/sombor/participatory-budget/cycles/${closed.number}/projects.json`, `/api/v1/lviv/participatory-budget/cycles.json`, `/api/v1/nowhere/participatory-budget/cycles.json`]) {
      const { res, body } = await json(url);
      assert.equal(res.statusCode, 404, url);
      assert.equal(body.error.code, 'not_found', url);
    }
  });
});
