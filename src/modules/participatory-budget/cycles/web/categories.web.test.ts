import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Municipality } from '../../../../db/schema.ts';
import { tinyPdf, tinyPng } from '../../../../platform/files/testing.ts';
import { postFileAtOnce, storedFiles } from '../../../../platform/idempotency/testing.ts';
import { multipartForm, startTestApp, type FormFields, type TestApp, type TestClient } from '../../../../platform/testing/http.ts';
import { cycleCategories } from '../../cycle.repo.ts';
import type { Cycle } from '../../pb.tables.ts';
import { pbTown, resident, seedCycle, seedProject } from '../../testing.ts';
import { cycleDocuments } from '../cycles.repo.ts';

let t: TestApp;
let town: Municipality;
let other: Municipality;
let authorId: number;
const c: Record<string, TestClient> = {};
const STAFF = '/en/zhovkva/participatory-budget/staff';
const count = async (table: 'audit_log' | 'pb_categories' | 'pb_cycle_documents') =>
  Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
const SMALL: FormFields = { slug: 'small', nameEn: 'Small projects', nameUk: 'Малі проєкти', amount: '1 000 000', minCost: '10 000', maxCost: '300 000' };

/** A draft cycle of 4 000 000.00 with no categories. */
async function emptyCycle(): Promise<Cycle> {
  const { cycle, categories } = await seedCycle(t.db, town, { status: 'draft', phase: 'information' });
  await t.db.deleteFrom('pb_categories').where('id', 'in', categories.map((k) => k.id)).execute();
  return cycle;
}

before(async () => {
  t = await startTestApp();
  town = await pbTown(t.db, 'zhovkva');
  other = await pbTown(t.db, 'sombor');
  for (const role of ['admin', 'official', 'moderator'] as const) await resident(t.db, `${role}@example.org`, town, { role });
  authorId = (await resident(t.db, 'neighbour@example.org', town)).id;
  await resident(t.db, 'other-admin@example.org', other, { role: 'admin' });
  for (const who of ['admin', 'official', 'moderator', 'neighbour', 'other-admin']) c[who] = await t.signedIn(`${who}@example.org`, 'en');
  c.guest = t.client('en');
});
after(() => t.close());

describe('categories', () => {
  test('added with money as typed, edited, deleted; bad amounts name their field and write nothing', async () => {
    const cycle = await emptyCycle();
    const base = `${STAFF}/cycles/${cycle.number}/categories`;
    assert.match((await c.admin!.get(base)).body, /The cycle has no categories yet/);
    assert.equal((await c.admin!.post(base, SMALL)).statusCode, 303);
    const [small] = await cycleCategories(t.db, cycle.id);
    assert.deepEqual([small!.amount, small!.min_cost, small!.max_cost, small!.names], [100_000_000, 1_000_000, 30_000_000, { en: 'Small projects', uk: 'Малі проєкти' }]);
    const before = [await count('pb_categories'), await count('audit_log')];
    const cases: [FormFields, RegExp][] = [
      [{ ...SMALL, slug: 'large', amount: 'мільйон' }, /Enter “Amount” as an amount of money/],
      [{ ...SMALL, slug: 'large', maxCost: '2 000 000' }, /“Greatest cost of a project” cannot be more than “Amount”/],
      [{ ...SMALL, slug: 'large', minCost: '400 000' }, /“Least cost of a project” cannot be more than “Greatest cost of a project”/],
      [{ ...SMALL, slug: 'large', amount: '3 500 000', maxCost: '1 000 000' }, /With this “Amount” the categories come to .+?, more than the cycle’s total/],
      [{ ...SMALL }, /The cycle has a category with this short name already/],
      [{ ...SMALL, slug: 'Велике' }, /Short name is not in the right format|is not in the right format/],
    ];
    for (const [fields, message] of cases) {
      const res = await c.admin!.post(base, fields);
      assert.equal(res.statusCode, 400, String(message));
      assert.match(res.body, message);
    }
    assert.deepEqual([await count('pb_categories'), await count('audit_log')], before);
    const page = await c.admin!.get(`${base}/small`);
    assert.match(page.body, /name="amount"[^>]*value="1000000"/);
    assert.equal((await c.admin!.post(`${base}/small`, { nameEn: 'Small', amount: '1 500 000,50', maxCost: '300 000' })).statusCode, 303);
    assert.equal((await cycleCategories(t.db, cycle.id))[0]!.amount, 150_000_050);
    assert.equal((await c.admin!.get(`${base}/none`)).statusCode, 404);
    assert.equal((await c.admin!.post(`${base}/small/delete`)).statusCode, 303);
    assert.equal((await cycleCategories(t.db, cycle.id)).length, 0);
  });

  test('a category with projects is not deleted, and nothing changes once a ballot exists', async () => {
    const { cycle, categories } = await seedCycle(t.db, town, { phase: 'voting' });
    const base = `${STAFF}/cycles/${cycle.number}/categories`;
    await seedProject(t.db, town, categories[0]!, authorId);
    const inUse = await c.admin!.post(`${base}/small/delete`);
    assert.match((await c.admin!.follow(inUse)).body, /The category has projects, so it cannot be deleted/);
    await t.db.insertInto('pb_ballots').values({ municipality_id: town.id, cycle_id: cycle.id, channel: 'online', voter: 'e'.repeat(64), choices: [1] }).execute();
    const before = await count('audit_log');
    for (const [url, fields] of [[base, { ...SMALL, slug: 'extra', amount: '1', minCost: '0', maxCost: '1' }], [`${base}/large`, { nameEn: 'Large', amount: '1 000', maxCost: '1 000' }], [`${base}/large/delete`, {}]] as [string, FormFields][]) {
      const res = await c.admin!.post(url, fields);
      assert.equal(res.statusCode, 303, url);
      assert.match((await c.admin!.follow(res)).body, /The categories can no longer change: ballots have been cast since/);
    }
    assert.equal(await count('audit_log'), before);
    assert.deepEqual((await cycleCategories(t.db, cycle.id)).map((k) => [k.slug, k.amount]), categories.map((k) => [k.slug, k.amount]));
  });

  test('only administrators change categories; another municipality’s cycle is not found', async () => {
    const { cycle } = await seedCycle(t.db, town, { phase: 'information' });
    const base = `${STAFF}/cycles/${cycle.number}/categories`;
    const before = await count('pb_categories');
    for (const [url, fields] of [[base, { ...SMALL, slug: 'x' }], [`${base}/small`, { nameEn: 'S', amount: '1', maxCost: '1' }], [`${base}/small/delete`, {}]] as [string, FormFields][]) {
      for (const who of ['official', 'moderator', 'neighbour', 'other-admin']) assert.equal((await c[who]!.post(url, fields)).statusCode, 403, `${who} ${url}`);
    }
    assert.equal(await count('pb_categories'), before);
    const { cycle: theirs } = await seedCycle(t.db, other, {});
    const mine = (await t.db.selectFrom('pb_cycles').select((eb) => eb.fn.max('number').as('n')).where('municipality_id', '=', town.id).executeTakeFirstOrThrow()).n;
    assert.equal((await c.admin!.get(`${STAFF}/cycles/${Number(mine) + theirs.number + 5}/categories`)).statusCode, 404);
  });
});

describe('rules documents', () => {
  test('a PDF is uploaded once with its title, listed on the cycle page and deleted with its file', async () => {
    const { cycle } = await seedCycle(t.db, town, { phase: 'submission' });
    const base = `${STAFF}/cycles/${cycle.number}/documents`;
    assert.match((await c.admin!.get(base)).body, /The cycle has no rules documents yet/);
    const files = storedFiles(t.dataDir);
    const answers = await postFileAtOnce(c.admin!, base, base, { field: 'file', name: 'polozhennia.pdf', data: tinyPdf() }, 5);
    assert.ok(answers.every((a) => a.statusCode === 400), 'no title: refused');
    assert.match(answers[0]!.body, /Enter document title/);
    assert.equal(await count('pb_cycle_documents'), 0);
    const send = async (fields: Record<string, string>, file: { name: string; data: Buffer }) =>
      c.admin!.request('POST', base, multipartForm({ _csrf: await c.admin!.csrf(base), ...fields }, { field: 'file', ...file }));
    const png = await send({ title: 'Положення' }, { name: 'scan.pdf', data: tinyPng() });
    assert.equal(png.statusCode, 400);
    assert.match(png.body, /PDF file/);
    const ok = await send({ title: 'Положення про громадський бюджет' }, { name: 'polozhennia.pdf', data: tinyPdf() });
    assert.equal(ok.statusCode, 303);
    assert.equal(storedFiles(t.dataDir), files + 1);
    const [doc] = await cycleDocuments(t.db, cycle.id);
    assert.equal(doc!.title, 'Положення про громадський бюджет');
    assert.match((await c.guest!.get(`/en/zhovkva/participatory-budget/cycles/${cycle.number}`)).body, new RegExp(`href="/files/${doc!.file_id}"`));
    for (const who of ['official', 'neighbour', 'other-admin']) assert.equal((await c[who]!.post(`${base}/${doc!.id}/delete`)).statusCode, 403);
    assert.equal((await c.admin!.post(`${base}/${doc!.id + 100}/delete`)).statusCode, 404);
    assert.equal((await c.admin!.post(`${base}/${doc!.id}/delete`)).statusCode, 303);
    assert.equal(await count('pb_cycle_documents'), 0);
    assert.equal(storedFiles(t.dataDir), files);
  });

  test('only administrators upload', async () => {
    const { cycle } = await seedCycle(t.db, town, { phase: 'submission' });
    const base = `${STAFF}/cycles/${cycle.number}/documents`;
    const client = c.official!;
    await client.get('/en/zhovkva/participatory-budget');
    const res = await client.request('POST', base, multipartForm({ _csrf: await client.csrf(), title: 'Правила' }, { field: 'file', name: 'a.pdf', data: tinyPdf() }));
    assert.equal(res.statusCode, 403);
    assert.equal(await count('pb_cycle_documents'), 0);
  });
});
