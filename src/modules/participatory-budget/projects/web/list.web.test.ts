import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Municipality } from '../../../../db/schema.ts';
import { startTestApp, type TestApp, type TestClient } from '../../../../platform/testing/http.ts';
import { seedDistrict } from '../../ballots/testing.ts';
import type { Category, Cycle, Project } from '../../pb.tables.ts';
import { pbTown, resident, seedCycle, seedProject } from '../../testing.ts';

let t: TestApp;
let town: Municipality;
let cycle: Cycle;
let small: Category;
let large: Category;
let north: number;
let author = 0;
let guest: TestClient;
const p: Record<string, Project> = {};
const list = (n: number, query = '') => `/en/zhovkva/participatory-budget/cycles/${n}/projects${query}`;
const geo = (n: number, query = '') => `/api/v1/zhovkva/participatory-budget/cycles/${n}/projects.geojson${query}`;
/** The project numbers a list page links to, in their order. */
const numbers = (html: string) => [...html.matchAll(/<h2 class="report-item__title"><a href="\/en\/zhovkva\/participatory-budget\/projects\/(\d+)"/g)].map((m) => Number(m[1]));

before(async () => {
  t = await startTestApp();
  town = await pbTown(t.db, 'zhovkva');
  author = (await resident(t.db, 'author@example.org', town)).id;
  north = await seedDistrict(t.db, town, 'north');
  ({ cycle, categories: [small, large] } = await seedCycle(t.db, town, { phase: 'review' }) as { cycle: Cycle; categories: [Category, Category] });
  p.benches = await seedProject(t.db, town, small, author, { status: 'submitted', title: 'Лавки в парку Коваліва', cost: 1_000_000, districtId: north });
  p.bikes = await seedProject(t.db, town, large, author, { status: 'admitted', title: 'Велодоріжка до школи', cost: 50_000_000 });
  p.lights = await seedProject(t.db, town, small, author, { status: 'returned', title: 'Освітлення вулиці Садової', cost: 2_000_000, departmentCost: 500_000, at: null });
  p.draft = await seedProject(t.db, town, small, author, { status: 'draft', title: 'Чернетка про фонтан' });
  p.gone = await seedProject(t.db, town, small, author, { status: 'withdrawn', title: 'Відкликаний проєкт' });
  await t.db.updateTable('pb_projects').set({ submitted_at: new Date(Date.now() - 86_400_000) }).where('id', '=', p.benches.id).execute();
  guest = t.client('en');
});
after(() => t.close());

describe('the list of a cycle’s projects', () => {
  test('a first visit is sent on to an order of its own; the list shows public projects only, with their cost', async () => {
    const first = await guest.get(list(cycle.number));
    assert.equal(first.statusCode, 302);
    assert.equal(first.headers['cache-control'], 'no-store');
    const to = String(first.headers.location);
    assert.match(to, /\?seed=\d+$/);
    const page = await guest.get(to);
    assert.equal(page.statusCode, 200);
    assert.deepEqual(numbers(page.body).sort((a, b) => a - b), [p.benches!.number, p.bikes!.number, p.lights!.number]);
    assert.match(page.body, /3 projects found/);
    assert.match(page.body, /Cost: UAH\s5,000\.00/, 'the department’s estimate is the cost that counts');
    assert.doesNotMatch(page.body, /Чернетка про фонтан|Відкликаний проєкт/);
    assert.match(page.body, /in a random order of your own/);
    assert.equal((await guest.get(to)).body.match(/report-item__title/g)?.length, 3);
    assert.deepEqual(numbers((await guest.get(to)).body), numbers(page.body), 'one seed, one order');
    // Outside submission there is no button to propose one.
    assert.doesNotMatch(page.body, /projects\/new\?cycle=/);
  });

  test('filters by category, district and status; search finds by words and sorts by relevance', async () => {
    const by = async (query: string) => numbers((await guest.get(list(cycle.number, query))).body);
    assert.deepEqual(await by('?category=large&sort=newest'), [p.bikes!.number]);
    assert.deepEqual(await by('?district=north&sort=newest'), [p.benches!.number]);
    assert.deepEqual(await by('?status=returned&sort=newest'), [p.lights!.number]);
    assert.deepEqual(await by('?status=admitted&category=small&sort=newest'), []);
    assert.match((await guest.get(list(cycle.number, '?status=admitted&category=small&sort=newest'))).body, /No projects match/);
    const found = await guest.get(list(cycle.number, '?q=%D0%B2%D0%B5%D0%BB%D0%BE%D0%B4%D0%BE%D1%80%D1%96%D0%B6%D0%BA%D0%B0'));
    assert.equal(found.statusCode, 200, 'a search is sorted by relevance and needs no seed');
    assert.deepEqual(numbers(found.body), [p.bikes!.number]);
    assert.match(found.body, /<option value="relevance" selected>/);
    // A filter the cycle does not have (a category since removed, results not yet out) is left out, not an error.
    assert.equal(numbers((await guest.get(list(cycle.number, '?category=gone&status=funded&sort=votes&seed=5'))).body).length, 3);
  });

  test('sorts by cost that counts and by newest; a draft never shows, whatever the filter', async () => {
    const cost = numbers((await guest.get(list(cycle.number, '?sort=cost'))).body);
    assert.deepEqual(cost, [p.lights!.number, p.benches!.number, p.bikes!.number]);
    const newest = numbers((await guest.get(list(cycle.number, '?sort=newest'))).body);
    assert.equal(newest.at(-1), p.benches!.number, 'submitted a day earlier');
    assert.deepEqual(numbers((await guest.get(list(cycle.number, `?q=${encodeURIComponent('фонтан')}`))).body), []);
    // Search syntax is just text.
    assert.equal((await guest.get(list(cycle.number, `?q=${encodeURIComponent('"лавки" OR -(:*&|!')}`))).statusCode, 200);
  });

  test('pages of twenty keep the seed and filters; together they hold every project once', async () => {
    const { cycle: big, categories: [cat] } = await seedCycle(t.db, town, { phase: 'review' });
    const all: number[] = [];
    for (let i = 0; i < 23; i++) all.push((await seedProject(t.db, town, cat!, author, { status: 'submitted', title: `Клумба біля будинку ${i + 1}` })).number);
    const one = await guest.get(list(big.number, '?seed=42'));
    const two = await guest.get(list(big.number, '?seed=42&page=2'));
    assert.equal(numbers(one.body).length, 20);
    assert.equal(numbers(two.body).length, 3);
    assert.deepEqual([...numbers(one.body), ...numbers(two.body)].sort((a, b) => a - b), all);
    assert.match(one.body, /href="\/en\/zhovkva\/participatory-budget\/cycles\/\d+\/projects\?seed=42&amp;page=2"/);
    assert.notDeepEqual(numbers((await guest.get(list(big.number, '?seed=43'))).body), numbers(one.body), 'another seed, another order');
    // A first visit to page 2 keeps its page when it is given a seed.
    assert.match(String((await guest.get(list(big.number, '?page=2'))).headers.location), /seed=\d+&page=2$/);
    assert.equal(numbers((await guest.get(list(big.number, '?seed=42&page=9'))).body).length, 0);
  });

  test('after the results: votes sort and the funded filter', async () => {
    const { cycle: done, categories: [cat] } = await seedCycle(t.db, town, { phase: 'results', resultsPublished: true });
    const won = await seedProject(t.db, town, cat!, author, { title: 'Сквер з фонтаном' });
    const lost = await seedProject(t.db, town, cat!, author, { title: 'Пандус до бібліотеки' });
    await t.db.updateTable('pb_projects').set({ funded: true }).where('id', '=', won.id).execute();
    await t.db.updateTable('pb_projects').set({ funded: false }).where('id', '=', lost.id).execute();
    await t.db.insertInto('pb_results').values([
      { municipality_id: town.id, cycle_id: done.id, project_id: lost.id, votes: 7, rank: 2, funded: false },
      { municipality_id: town.id, cycle_id: done.id, project_id: won.id, votes: 40, rank: 1, funded: true },
    ]).execute();
    const page = await guest.get(list(done.number, '?sort=votes'));
    assert.deepEqual(numbers(page.body), [won.number, lost.number]);
    assert.match(page.body, /40 votes/);
    assert.match(page.body, />Funded</);
    assert.deepEqual(numbers((await guest.get(list(done.number, '?status=not_funded&sort=votes'))).body), [lost.number]);
  });

  test('bad query values are a translated 400 naming the field', async () => {
    const cases: [string, RegExp][] = [
      ['?seed=abc', /seed must be a number/i],
      ['?seed=0', /seed must be 1 or more/i],
      ['?page=0&seed=1', /page must be 1 or more/i],
      ['?page=x&seed=1', /page must be a number/i],
      [`?q=${'a'.repeat(201)}`, /200 characters or fewer/],
      ['?q=%00bad', /control characters/],
      ['?sort=sideways&seed=1', /Choose one of the options for sort/i],
      ['?status=lost&seed=1', /Choose one of the options for status/i],
      ['?page=1e309&seed=1', /page must be 100000 or less/],
      ['?q=a&q=b', /&quot;q&quot; was given more than once/],
    ];
    for (const [query, message] of cases) {
      const res = await guest.get(list(cycle.number, query));
      assert.equal(res.statusCode, 400, query);
      assert.match(res.body, message, query);
    }
    const uk = await t.client('uk').get(`/uk/zhovkva/participatory-budget/cycles/${cycle.number}/projects?seed=abc`);
    assert.equal(uk.statusCode, 400);
    assert.doesNotMatch(uk.body, /must be a number/);
  });

  test('an unknown cycle, a draft cycle and another municipality’s are not found', async () => {
    const { cycle: draft } = await seedCycle(t.db, town, { status: 'draft', phase: 'submission' });
    assert.equal((await guest.get(list(draft.number, '?seed=1'))).statusCode, 404);
    assert.equal((await guest.get(list(999, '?seed=1'))).statusCode, 404);
    const other = await pbTown(t.db, 'sombor');
    const { cycle: theirs } = await seedCycle(t.db, other, { phase: 'review' });
    assert.equal((await guest.get(`/en/sombor/participatory-budget/cycles/${theirs.number}/projects?seed=1`)).statusCode, 200);
    const staff = await resident(t.db, 'admin@example.org', town, { role: 'admin' });
    const admin = await t.signedIn(staff.email, 'en');
    assert.equal((await admin.get(list(draft.number, '?seed=1'))).statusCode, 200, 'staff see a draft cycle');
  });
});

test('the list renders in all five languages', async () => {
  for (const locale of ['uk', 'sr-Cyrl', 'sr-Latn', 'pl', 'en']) {
    const res = await t.client(locale).get(`/${locale}/zhovkva/participatory-budget/cycles/${cycle.number}/projects?seed=3`);
    assert.equal(res.statusCode, 200, locale);
    assert.doesNotMatch(res.body, /"pb\.projects\.|>pb\.projects\./, locale);
  }
});

describe('the GeoJSON of a cycle’s projects', () => {
  test('placed public projects as points, with the cost that counts and a link; filtered like the list', async () => {
    const res = await guest.get(geo(cycle.number));
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /^application\/geo\+json/);
    assert.equal(res.headers['access-control-allow-origin'], '*');
    const body = res.json() as { type: string; features: { id: number; geometry: { coordinates: number[] }; properties: Record<string, unknown> }[] };
    assert.equal(body.type, 'FeatureCollection');
    assert.deepEqual(body.features.map((f) => f.id), [p.benches!.number, p.bikes!.number], 'the unplaced, the draft and the withdrawn are left out');
    assert.deepEqual(body.features[0]!.geometry.coordinates, [town.center_lng, town.center_lat]);
    assert.equal(body.features[0]!.properties.cost, 1_000_000);
    assert.equal(body.features[0]!.properties.category, 'small');
    assert.match(String(body.features[0]!.properties.url), new RegExp(`/uk/zhovkva/participatory-budget/projects/${p.benches!.number}$`));
    const only = async (query: string) => ((await guest.get(geo(cycle.number, query))).json() as typeof body).features.map((f) => f.id);
    assert.deepEqual(await only('?category=large'), [p.bikes!.number]);
    assert.deepEqual(await only('?district=north'), [p.benches!.number]);
    assert.deepEqual(await only('?status=admitted'), [p.bikes!.number]);
    assert.deepEqual(await only(`?q=${encodeURIComponent('лавки')}`), [p.benches!.number]);
    assert.deepEqual(await only(`?bbox=${town.center_lng - 0.01},${town.center_lat - 0.01},${town.center_lng + 0.01},${town.center_lat + 0.01}`), [p.benches!.number, p.bikes!.number]);
    assert.deepEqual(await only('?bbox=0,0,1,1'), []);
  });

  test('bad filters are a JSON 400 naming the field; a draft or unknown cycle is a 404', async () => {
    for (const [query, field] of [['?category=nope', 'category'], ['?district=nope', 'district'], ['?bbox=1,2,3', 'bbox'], ['?bbox=0,5,1,1', 'bbox'], ['?status=lost', 'status'], ['?category=Bad%20Slug', 'category']] as const) {
      const res = await guest.get(geo(cycle.number, query));
      assert.equal(res.statusCode, 400, query);
      const body = res.json() as { error: { code: string; fields: Record<string, string> } };
      assert.equal(body.error.code, 'invalid_input', query);
      assert.ok(body.error.fields[field], `${query}: ${JSON.stringify(body)}`);
    }
    const { cycle: draft } = await seedCycle(t.db, town, { status: 'draft' });
    assert.equal((await guest.get(geo(draft.number))).statusCode, 404);
    assert.equal((await guest.get(geo(12345))).statusCode, 404);
    assert.equal((await guest.get(geo(0))).statusCode, 404);
  });
});
