/**
 * After the vote, in Chromium: an administrator publishes a cycle's results and the public results page shows each
 * category's table and chart; an official posts an implementation update on a funded project and the public
 * implementation page and the project's page show it; then the cycle's public pages (the cycle, its projects, a
 * project, the ballot, the results) in all five locales. axe-core (WCAG 2.2 A/AA, desktop and 320 px) runs on every
 * page reached, the Nu HTML Checker over all of them at the end.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { Municipality } from '../../src/db/schema.ts';
import { LOCALES } from '../../src/platform/i18n/i18n.ts';
import type { Cycle } from '../../src/modules/participatory-budget/pb.tables.ts';
import { castForTest } from '../../src/modules/participatory-budget/results/testing.ts';
import { seedProject } from '../../src/modules/participatory-budget/testing.ts';
import { follow, htmlCheckTest, launchBrowser, newContext, signedIn, text, tr, visit, type SeededUser, type TestServer } from './helpers.ts';
import { pbCycle, pbPaths, pbResident, pbStaff, startPbServer } from './pb-journeys.ts';

let server: TestServer;
let browser: Browser;
let town: Municipality;
const people: Record<string, SeededUser> = {};
/** A cycle whose voting has closed, its ballots sealed; and one open for voting (for the ballot page in every locale). */
let counted: Cycle;
let voting: Cycle;
const projects: Record<string, number> = {};

before(async () => {
  ({ server, town } = await startPbServer());
  people.author = await pbResident(server.db, town, 'author', 'Олена Петренко');
  people.voter = await pbResident(server.db, town, 'voter', 'Іван Франко');
  people.official = await pbStaff(server.db, town, 'official', 'Ольга Посадовець', 'official');
  people.admin = await pbStaff(server.db, town, 'admin', 'Ганна Адмін', 'admin');
  let categories;
  ({ cycle: counted, categories } = await pbCycle(server.db, town, { phase: 'results', rule: 'approval', maxChoices: 3 }));
  const seeds: [string, number, string, number][] = [
    ['benches', 0, 'Лавки в парку', 20_000_000], ['lamps', 0, 'Ліхтарі на набережній', 25_000_000], ['racks', 0, 'Велостоянка біля школи', 1_500_000],
    ['playground', 1, 'Новий дитячий майданчик', 120_000_000],
  ];
  for (const [key, category, title, cost] of seeds) projects[key] = (await seedProject(server.db, town, categories[category]!, people.author!.id, { title, cost })).number;
  const { benches, lamps, racks, playground } = projects as Record<string, number>;
  await castForTest(server.db, town.id, counted, [
    { versions: [[benches!, lamps!, playground!]] }, { versions: [[benches!, playground!]] }, { versions: [[lamps!], [benches!, racks!]] },
    { versions: [[benches!]], channel: 'paper' },
  ]);
  ({ cycle: voting, categories } = await pbCycle(server.db, town, { phase: 'voting' }));
  projects.voting = (await seedProject(server.db, town, categories[0]!, people.author!.id, { title: 'Тротуар до ліцею' })).number;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('an administrator publishes the results; the public results page shows each category’s table and chart', async () => {
  const uk = tr('uk');
  const p = pbPaths('uk', town);
  await signedIn(browser, server, people.admin!, 'uk', async (page) => {
    await visit(page, p.results(counted.number));
    assert.match(await text(page, 'main'), new RegExp(uk('pb.results.notYet.title')));
    await follow(page, () => page.click(`main a[href="${p.publish(counted.number)}"]`), { status: 200 });
    // Every ballot is in the ledger, so the page offers to publish.
    assert.equal(await page.locator('main .banner--warning').count(), 0);
    await follow(page, () => page.click(`main form[action="${p.publish(counted.number)}"] button`), { status: 200 });
    assert.equal(new URL(page.url()).pathname, p.results(counted.number));
    assert.equal(await text(page, 'main .banner'), uk('pb.results.staff.published'));
  });
  const row = await server.db.selectFrom('pb_cycles').select('results_published_at').where('id', '=', counted.id).executeTakeFirstOrThrow();
  assert.ok(row.results_published_at);

  const context = await newContext(browser, server);
  try {
    const page = await context.newPage();
    await visit(page, p.results(counted.number));
    // Per category a table (rank, project, votes, cost, outcome) and a chart of the votes with its own title.
    assert.ok(await page.locator('main table').count() >= 2, 'a table per category');
    assert.match(await text(page, 'main'), /Малі проєкти.*Великі проєкти/);
    const small = await text(page, 'main table');
    for (const title of ['Лавки в парку', 'Ліхтарі на набережній', 'Велостоянка біля школи']) assert.match(small, new RegExp(title));
    assert.ok(await page.locator('main svg[role=img] title').count() >= 2, 'a chart per category');
    assert.match(String(await page.locator('main svg[role=img] title').first().textContent()), /Малі проєкти/);
    const funded = await server.db.selectFrom('pb_projects').select(['number', 'funded']).where('cycle_id', '=', counted.id).orderBy('number').execute();
    assert.deepEqual(funded.map((f) => f.funded), [true, true, true, true], 'every project fits its category’s money');
  } finally {
    await context.close();
  }
});

test('an official posts an implementation update on a funded project; the public implementation page and the project page show it', async () => {
  const uk = tr('uk');
  const p = pbPaths('uk', town);
  const number = projects.benches!;
  const update = 'Підрядник завіз перші п’ять лавок; монтаж почнеться наступного тижня.';
  await signedIn(browser, server, people.official!, 'uk', async (page) => {
    await visit(page, `${p.staff}/implementation`);
    await follow(page, () => page.click(`main a[href="${p.implement(number)}"]`), { status: 200 });
    await page.fill('#f-body', update);
    await page.fill('#f-updateProgress', '40');
    await follow(page, () => page.click(`main form[action="${p.implement(number)}/updates"] > button`), { status: 200 });
    assert.equal(await text(page, 'main .banner'), uk('pb.impl.staff.saved'));
    assert.match(await text(page, 'main .timeline'), /перші п’ять лавок/);
  });
  const context = await newContext(browser, server);
  try {
    const page = await context.newPage();
    await visit(page, p.cycle(counted.number));
    await follow(page, () => page.click(`main nav a[href="${p.implementation(counted.number)}"]`), { status: 200 });
    const table = await text(page, 'main table');
    assert.match(table, /Лавки в парку/);
    assert.match(table, new RegExp(uk('pb.impl.progressLabel', { progress: 40 })));
    await follow(page, () => page.click(`main table a[href="${p.project(number)}"]`), { status: 200 });
    const section = await text(page, 'main section[aria-labelledby="pb-implementation"]');
    assert.match(section, /перші п’ять лавок/);
    assert.match(section, new RegExp(uk('pb.impl.progressLabel', { progress: 40 })));
  } finally {
    await context.close();
  }
});

test('the cycle, its projects, a project, the ballot and the results in every locale', async () => {
  // Signed in as a resident, so the ballot page shows the ballot itself (a visitor is told to sign in first).
  await signedIn(browser, server, people.voter!, 'uk', async (page) => {
    for (const locale of LOCALES) {
      const t = tr(locale);
      const p = pbPaths(locale, town);
      await visit(page, p.cycle(counted.number));
      await visit(page, p.projects(counted.number));
      assert.match(await text(page, 'main'), /Лавки в парку/);
      await visit(page, p.project(projects.benches!));
      assert.match(await text(page, 'main .project'), new RegExp(t('pb.projects.status.funded')));
      await visit(page, p.ballot(voting.number));
      assert.equal(await text(page, 'main h1'), t('pb.ballot.title'));
      await visit(page, p.results(counted.number));
      assert.equal(await text(page, 'main h1'), t('pb.results.title'));
    }
  });
});

htmlCheckTest();
