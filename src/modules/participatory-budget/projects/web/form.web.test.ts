import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Municipality } from '../../../../db/schema.ts';
import { postAtOnce } from '../../../../platform/idempotency/testing.ts';
import { startTestApp, type FormFields, type TestApp, type TestClient } from '../../../../platform/testing/http.ts';
import { seedDistrict } from '../../ballots/testing.ts';
import type { Category, Cycle } from '../../pb.tables.ts';
import { pbTown, resident, seedCycle, seedProject } from '../../testing.ts';
import { findProject } from '../project.repo.ts';

let t: TestApp;
let town: Municipality;
let open: Cycle;
let closed: Cycle;
let small: Category;
let authorId = 0;
let north = 0;
const c: Record<string, TestClient> = {};
const newPath = (cycle: Cycle) => `/en/zhovkva/participatory-budget/projects/new?cycle=${cycle.number}`;
const projects = async () => Number((await t.db.selectFrom('pb_projects').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
const good: FormFields = {
  title: 'Лавки в парку Коваліва', summary: 'Десять нових лавок уздовж алеї.', description: 'Старі лавки зламані; поставимо десять нових уздовж головної алеї парку.',
  category: 'small', address: 'парк Коваліва', lat: '50.0570', lng: '23.9730', beneficiaries: 'Усі, хто гуляє в парку',
  item_0: 'Лавка', qty_0: '10', unit_0: 'шт.', price_0: '8 500,50', item_2: 'Монтаж', qty_2: '2,5', unit_2: 'день', price_2: '1000', lines: 3,
};

before(async () => {
  t = await startTestApp();
  town = await pbTown(t.db, 'zhovkva');
  const other = await pbTown(t.db, 'sombor');
  north = await seedDistrict(t.db, town, 'north');
  ({ cycle: open, categories: [small] } = await seedCycle(t.db, town, { phase: 'submission' }) as { cycle: Cycle; categories: [Category] });
  ({ cycle: closed } = await seedCycle(t.db, town, { phase: 'review' }));
  authorId = (await resident(t.db, 'author@example.org', town, { fullName: 'Олена Автор' })).id;
  await resident(t.db, 'neighbour@example.org', town);
  await resident(t.db, 'admin@example.org', town, { role: 'admin' });
  await resident(t.db, 'foreign@example.org', other, { role: 'admin' });
  await resident(t.db, 'stranger@example.org', null, { emailVerified: false });
  for (const who of ['author', 'neighbour', 'admin', 'foreign', 'stranger']) c[who] = await t.signedIn(`${who}@example.org`, 'en');
  c.guest = t.client('en');
});
after(() => t.close());

describe('proposing a project', () => {
  test('the form is for the signed-in while the cycle takes projects; elsewhere it says why', async () => {
    const form = await c.author!.get(newPath(open));
    assert.equal(form.statusCode, 200);
    for (const name of ['title', 'summary', 'description', 'category', 'address', 'lat', 'lng', 'district', 'item_0', 'qty_0', 'unit_0', 'price_0']) assert.match(form.body, new RegExp(`name="${name}"`), name);
    assert.match(form.body, /small \(UAH\s10,000\.00 – UAH\s300,000\.00\)/);
    assert.match(String((await c.guest!.get(newPath(open))).headers.location), /sign-in/);
    const shut = await c.author!.get(newPath(closed));
    assert.equal(shut.statusCode, 403);
    assert.match(shut.body, /Projects cannot be submitted now/);
    assert.equal((await c.author!.get('/en/zhovkva/participatory-budget/projects/new?cycle=999')).statusCode, 404);
    assert.equal((await c.author!.get('/en/zhovkva/participatory-budget/projects/new')).statusCode, 404);
    const bad = await c.author!.get('/en/zhovkva/participatory-budget/projects/new?cycle=abc');
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /cycle must be a number/i);
    const { cycle: draft } = await seedCycle(t.db, town, { status: 'draft', phase: 'submission' });
    assert.equal((await c.author!.get(newPath(draft))).statusCode, 404);
    assert.equal((await c.foreign!.get(`/en/sombor/participatory-budget/projects/new?cycle=${open.number}`)).statusCode, 404, 'a cycle number of another municipality names nothing there');
  });

  test('a good form saves a draft with its cost lines, place and category; a double submit is one project', async () => {
    const before = await projects();
    const res = await postAtOnce(c.author!, newPath(open), newPath(open), good, 5);
    const created = res.filter((r) => r.statusCode === 303);
    assert.equal(created.length, 5, res.map((r) => r.statusCode).join());
    assert.equal(new Set(created.map((r) => r.headers.location)).size, 1);
    assert.equal(await projects(), before + 1);
    const number = Number(/projects\/(\d+)$/.exec(String(created[0]!.headers.location))![1]);
    const page = await c.author!.follow(created[0]!);
    assert.match(page.body, new RegExp(`Project ${number} is saved as a draft`));
    assert.match(page.body, /Only you and your co-authors see this project/);
    const p = (await findProject(t.db, town.id, number))!;
    assert.deepEqual([p.status, p.author_id, p.category_slug, p.address, p.lat, p.lng, p.cost_total], ['draft', authorId, 'small', 'парк Коваліва', 50.057, 23.973, 8_750_500]);
    assert.deepEqual(p.cost_items, [
      { item: 'Лавка', quantity: 10_000, unit: 'шт.', unitPrice: 850_050 },
      { item: 'Монтаж', quantity: 2_500, unit: 'день', unitPrice: 100_000 },
    ]);
    assert.equal(p.submitted_at, null);
    // Only its authors see the draft.
    assert.equal((await c.neighbour!.get(`/en/zhovkva/participatory-budget/projects/${number}`)).statusCode, 404);
  });

  test('bad input is answered on the form with translated messages naming the fields; nothing is written', async () => {
    const before = await projects();
    const cases: [FormFields, RegExp][] = [
      [{ title: '' }, /Enter title/],
      [{ summary: 'Коротко' }, /Summary must be at least 10 characters/],
      [{ category: 'huge' }, /Choose one of this cycle’s categories/],
      [{ address: '', lat: '', lng: '' }, /Say where the project is/],
      [{ lng: '' }, /Give both latitude and longitude/],
      [{ lat: 'north' }, /Latitude must be a number/i],
      [{ lat: '48.5', lng: '30.1' }, /This place is outside Zhovkva/],
      [{ district: 999 }, /Choose one of the listed districts/],
      [{ qty_0: 'багато' }, /Enter “Quantity, line 1” as a number above zero/],
      [{ item_2: '' }, /Name the item: “Item, line 3” is empty/],
      [{ price_0: '1,234' }, /Enter “Unit price, line 1” as an amount/],
      [{ item_0: '', qty_0: '', unit_0: '', price_0: '', item_2: '', qty_2: '', unit_2: '', price_2: '' }, /The cost table needs at least one line/],
      [{ price_0: '1 000 000' }, /The cost table’s total, UAH\s10,002,500\.00, must be between UAH\s10,000\.00 and UAH\s300,000\.00 for the category “small”/],
      [{ lines: 99 }, /Lines must be 30 or less|lines must be 30 or less/i],
    ];
    for (const [over, message] of cases) {
      const res = await c.author!.post(newPath(open), { ...good, ...over });
      assert.equal(res.statusCode, 400, `${JSON.stringify(over)}: ${res.statusCode}`);
      assert.match(res.body, message, JSON.stringify(over));
      assert.match(res.body, /class="error-summary"/);
    }
    // What was typed comes back.
    const again = await c.author!.post(newPath(open), { ...good, title: '' });
    assert.match(again.body, /value="Лавка"/);
    assert.equal(await projects(), before);
    const uk = await t.signedIn('author@example.org', 'uk');
    const ukAnswer = await uk.post(`/uk/zhovkva/participatory-budget/projects/new?cycle=${open.number}`, { ...good, qty_0: 'x' });
    assert.equal(ukAnswer.statusCode, 400);
    assert.match(ukAnswer.body, /Кількість, рядок 1/);
  });

  test('“add a line” draws the form again with one more line and saves nothing', async () => {
    const before = await projects();
    const res = await c.author!.post(newPath(open), { title: 'Ще не', item_0: 'Лавка', lines: 1, addLine: 'yes' });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /name="item_1"/);
    assert.doesNotMatch(res.body, /name="item_2"/);
    assert.doesNotMatch(res.body, /class="error-summary"/);
    assert.equal(await projects(), before);
  });

  test('refused outside submission, below the cycle’s level and past the number of own projects; nothing is written', async () => {
    const before = await projects();
    const shut = await c.author!.post(newPath(closed), good);
    assert.equal(shut.statusCode, 403);
    assert.match(shut.body, /Projects cannot be submitted now/);
    assert.match(String((await c.guest!.post(newPath(open), good)).headers.location), /sign-in/);
    const { cycle: residents } = await seedCycle(t.db, town, { phase: 'submission', submitLevel: 'resident' });
    for (const who of ['stranger', 'foreign']) {
      const res = await c[who]!.post(newPath(residents), good);
      assert.equal(res.statusCode, 403, who);
      assert.match(res.body, /To propose a project here you need this level/);
    }
    assert.equal((await c.author!.post(newPath(open), good, { noCsrf: true })).statusCode, 403);
    assert.equal(await projects(), before);
    const { cycle: busy, categories: [cat] } = await seedCycle(t.db, town, { phase: 'submission' });
    for (let i = 0; i < 10; i++) await seedProject(t.db, town, cat!, authorId, { status: i % 2 ? 'draft' : 'submitted' });
    const many = await c.author!.post(newPath(busy), good);
    assert.equal(many.statusCode, 400);
    assert.match(many.body, /You already have 10 projects in this cycle/);
    assert.equal(await projects(), before + 10);
  });

  test('a place inside a district takes that district; a chosen district elsewhere is refused', async () => {
    const { lat, lng } = { lat: 50.057, lng: 23.973 };
    await t.db.insertInto('district_parts').values({ municipality_id: town.id, district_id: north, shape: `((${lng - 0.005},${lat - 0.005}),(${lng + 0.005},${lat - 0.005}),(${lng + 0.005},${lat + 0.005}),(${lng - 0.005},${lat + 0.005}))` }).execute();
    const south = await seedDistrict(t.db, town, 'south');
    const before = await projects();
    const differs = await c.author!.post(newPath(open), { ...good, district: south });
    assert.equal(differs.statusCode, 400);
    assert.match(differs.body, /The place you chose lies in the district “District north”/);
    assert.equal(await projects(), before);
    const placed = await c.author!.post(newPath(open), { ...good, title: 'Лавки в районі' });
    assert.equal(placed.statusCode, 303);
    const number = Number(/projects\/(\d+)$/.exec(String(placed.headers.location))![1]);
    assert.equal((await findProject(t.db, town.id, number))!.district_id, north);
    const chosen = await c.author!.post(newPath(open), { ...good, title: 'Лавки на півдні', lat: '', lng: '', district: south });
    const other = Number(/projects\/(\d+)$/.exec(String(chosen.headers.location))![1]);
    assert.equal((await findProject(t.db, town.id, other))!.district_id, south, 'an address alone takes the chosen district');
  });
});
