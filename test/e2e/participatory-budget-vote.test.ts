/**
 * Voting in the participatory budget, in Chromium: under the approval rule and under the knapsack rule, a resident
 * with JavaScript and another without it (each adds projects from a project's page and from the ballot, reads what is
 * left, takes one off and puts it back, confirms, and reads the receipt with its ledger entry); an official records
 * a paper ballot for a resident identified by a document number, and that resident's ballot page says so. axe-core
 * (WCAG 2.2 A/AA, desktop and 320 px) runs on every page reached, the Nu HTML Checker over all of them at the end.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Municipality } from '../../src/db/schema.ts';
import type { Locale } from '../../src/platform/i18n/i18n.ts';
import type { Cycle } from '../../src/modules/participatory-budget/pb.tables.ts';
import { seedProject } from '../../src/modules/participatory-budget/testing.ts';
import { disableScripts, eventually, follow, htmlCheckTest, launchBrowser, signedIn, text, tr, visit, type SeededUser, type TestServer } from './helpers.ts';
import { moneyText, pbCycle, pbPaths, pbResident, pbStaff, sealedBallots, startPbServer } from './pb-journeys.ts';

let server: TestServer;
let browser: Browser;
let town: Municipality;
const people: Record<string, SeededUser> = {};
/** The approval cycle (up to 3 projects) and the knapsack cycle, both open for voting, with their projects' numbers. */
let approval: Cycle;
let knapsack: Cycle;
const approvalProjects: number[] = [];
const knapsackProjects: number[] = [];
const PASSPORT = 'КС 123456';

before(async () => {
  ({ server, town } = await startPbServer());
  people.author = await pbResident(server.db, town, 'author', 'Олена Петренко');
  // One voter per rule and way: with JavaScript and without.
  people.approverJs = await pbResident(server.db, town, 'approver', 'Jane Resident', { locale: 'en' });
  people.approver = await pbResident(server.db, town, 'approver2', 'John Resident', { locale: 'en' });
  people.knapsacker = await pbResident(server.db, town, 'knapsacker', 'Леся Українка');
  people.knapsackerJs = await pbResident(server.db, town, 'knapsacker2', 'Іван Котляревський');
  people.paper = await pbResident(server.db, town, 'paper', 'Марко Паперовий', { document: PASSPORT });
  people.official = await pbStaff(server.db, town, 'official', 'Ольга Посадовець', 'official');
  let categories;
  ({ cycle: approval, categories } = await pbCycle(server.db, town, { phase: 'voting', rule: 'approval', maxChoices: 3 }));
  for (const [i, title] of ['Лавки в парку', 'Велостоянка біля школи', 'Ліхтарі на набережній'].entries()) {
    approvalProjects.push((await seedProject(server.db, town, categories[0]!, people.author!.id, { title, cost: 1_000_000 * (i + 1) })).number);
  }
  approvalProjects.push((await seedProject(server.db, town, categories[1]!, people.author!.id, { title: 'Новий дитячий майданчик', cost: 40_000_000 })).number);
  ({ cycle: knapsack, categories } = await pbCycle(server.db, town, { phase: 'voting', rule: 'knapsack' }));
  for (const title of ['Сквер на Львівській', 'Тротуар до ліцею', 'Фонтан у центрі']) {
    knapsackProjects.push((await seedProject(server.db, town, categories[0]!, people.author!.id, { title, cost: 30_000_000 })).number);
  }
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** A message as a pattern that matches it literally. */
const escaped = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The selection form of a project on the page (its add or remove button). */
const selectButton = (cycle: Cycle, action: 'add' | 'remove', project: number, within = 'main') =>
  `${within} form[action$="/cycles/${cycle.number}/ballot/${action}"]:has(input[name=project][value="${project}"]) button`;

/**
 * One voter's whole ballot: the first project added on its own page, the others on the ballot, the second taken
 * off and put back, `left` checked after each change; then the confirmation, the cast and the receipt, which once
 * the worker has sealed the ballot shows its entry in the cycle's chain (`who`'s own: others vote in the cycle too).
 */
async function vote(page: Page, who: SeededUser, locale: Locale, cycle: Cycle, projects: number[], left: (chosen: number[]) => Promise<void>) {
  const t = tr(locale);
  const p = pbPaths(locale, town);
  await visit(page, p.cycle(cycle.number));
  await follow(page, () => page.click(`main #pb-ballot a[href="${p.ballot(cycle.number)}"]`), { status: 200 });
  assert.match(await text(page, 'main'), new RegExp(t('pb.ballot.emptyHint')));

  const [first, ...rest] = projects as [number, ...number[]];
  await visit(page, p.project(first));
  await follow(page, () => page.click(selectButton(cycle, 'add', first, '#pb-ballot')), { status: 200 });
  assert.equal(new URL(page.url()).pathname, p.project(first));
  assert.equal(await text(page, 'main .banner'), t('pb.ballot.added'));
  assert.match(await text(page, '#pb-ballot'), new RegExp(t('pb.ballot.isChosen')));
  await follow(page, () => page.click(`#pb-ballot a[href="${p.ballot(cycle.number)}"]`), { status: 200 });
  await left([first]);
  for (const [i, n] of rest.entries()) {
    await follow(page, () => page.click(selectButton(cycle, 'add', n)), { status: 200 });
    assert.equal(new URL(page.url()).pathname, p.ballot(cycle.number));
    assert.equal(await text(page, 'main .banner'), t('pb.ballot.added'));
    await left([first, ...rest.slice(0, i + 1)]);
  }
  const second = rest[0]!;
  await follow(page, () => page.click(selectButton(cycle, 'remove', second)), { status: 200 });
  assert.equal(await text(page, 'main .banner'), t('pb.ballot.removed'));
  await left(projects.filter((n) => n !== second));
  await follow(page, () => page.click(selectButton(cycle, 'add', second)), { status: 200 });
  await left(projects);

  await follow(page, () => page.click(`main a[href="${p.ballot(cycle.number)}/confirm"]`), { status: 200 });
  assert.equal(await page.locator(`main form[action="${p.ballot(cycle.number)}/cast"] input[name=choices]`).count(), projects.length);
  for (const n of projects) assert.equal(await page.locator(`main a[href="${p.project(n)}"]`).count(), 1, `project ${n} on the confirmation`);
  await follow(page, () => page.click(`main form[action="${p.ballot(cycle.number)}/cast"] button`), { status: 200 });
  assert.equal(new URL(page.url()).pathname, `${p.ballot(cycle.number)}/receipt`);
  assert.equal(await text(page, 'main .banner--success'), t('pb.ballot.receipt.just.new', { version: 1 }));

  const ballots = await server.db.selectFrom('pb_ballots').select(['voter', 'choices', 'channel']).where('cycle_id', '=', cycle.id).where('user_id', '=', who.id).execute();
  assert.equal(ballots.length, 1);
  assert.deepEqual([...ballots[0]!.choices].sort((a, b) => a - b), [...projects].sort((a, b) => a - b));
  const entry = await eventually('the ballot to be sealed', async () => (await sealedBallots(server.db, town, cycle.number)).find((e) => JSON.stringify(e.payload).includes(ballots[0]!.voter)));
  await visit(page, `${p.ballot(cycle.number)}/receipt`);
  assert.match(await text(page, 'main'), new RegExp(t('pb.ballot.receipt.sealed')));
  assert.match(await text(page, 'main dl'), new RegExp(entry.hash));
  assert.match(await text(page, 'main dl'), new RegExp(ballots[0]!.voter));
}

for (const scripts of [true, false]) {
  test(`approval rule, ${scripts ? 'with' : 'without'} JavaScript: a resident chooses three projects, changes their mind about one, confirms and reads the receipt`, async () => {
    const en = tr('en');
    const who = people[scripts ? 'approverJs' : 'approver']!;
    await signedIn(browser, server, who, 'en', async (page) => {
      if (!scripts) await disableScripts(page);
      const chosen = [approvalProjects[0]!, approvalProjects[1]!, approvalProjects[3]!];
      await vote(page, who, 'en', approval, chosen, async (now) => {
        assert.equal(await text(page, 'main .ballot__left strong'), en('pb.ballot.left.overall', { count: 3 - now.length, chosen: now.length }));
        // Project i of the small category costs (i + 1) × 10 000.00.
        const small = now.filter((n) => n !== approvalProjects[3]);
        const spent = small.reduce((sum, n) => sum + 1_000_000 * (approvalProjects.indexOf(n) + 1), 0);
        assert.equal(await text(page, '#category-small .ballot__left'), en('pb.ballot.chosen', { count: small.length, spent: moneyText('en', spent), amount: moneyText('en', 100_000_000) }).replace(/\s+/g, ' '));
      });
      // The ballot is final: the ballot page shows it cast, with no buttons left.
      await visit(page, pbPaths('en', town).ballot(approval.number));
      assert.match(await text(page, 'main'), new RegExp(en('pb.ballot.voted.online')));
      assert.equal(await page.locator('main form[action$="/ballot/add"]').count(), 0);
    });
  });
}

for (const scripts of [false, true]) {
  test(`knapsack rule, ${scripts ? 'with' : 'without'} JavaScript: a resident spends the category’s money, reads what is left, confirms and reads the receipt`, async () => {
    const uk = tr('uk');
    const amount = moneyText('uk', 100_000_000);
    const who = people[scripts ? 'knapsackerJs' : 'knapsacker']!;
    await signedIn(browser, server, who, 'uk', async (page) => {
      if (!scripts) await disableScripts(page);
      await vote(page, who, 'uk', knapsack, knapsackProjects.slice(0, 2), async (now) => {
        const spent = now.length * 30_000_000;
        const expected = `${uk('pb.ballot.chosen', { count: now.length, spent: moneyText('uk', spent), amount })} ${uk('pb.ballot.left.money', { amount: moneyText('uk', 100_000_000 - spent) })}`;
        assert.equal(await text(page, '#category-small .ballot__left'), expected.replace(/\s+/g, ' '));
      });
    });
  });
}

test('an official records a paper ballot for a resident identified by a passport number; the resident’s ballot page says so', async () => {
  const uk = tr('uk');
  const p = pbPaths('uk', town);
  await signedIn(browser, server, people.official!, 'uk', async (page) => {
    await visit(page, `${p.staff}/paper`);
    await follow(page, () => page.click(`main a[href="${p.paper(approval.number)}"]`), { status: 200 });
    await follow(page, () => page.click(`main form[action="${p.paper(approval.number)}"] > button`), { status: 400 });
    assert.match(await text(page, '.error-summary'), new RegExp(uk('pb.paper.documentNumber')));
    await page.selectOption('#f-documentType', 'passport');
    await page.fill('#f-documentNumber', PASSPORT);
    await page.selectOption('#f-ageBand', '30-44');
    await page.check(`#f-choices-${approvalProjects[2]}`);
    await page.check(`#f-choices-${approvalProjects[3]}`);
    await follow(page, () => page.click(`main form[action="${p.paper(approval.number)}"] > button`), { status: 200 });
    assert.match(await text(page, 'main .banner'), new RegExp(escaped(uk('pb.paper.recorded', { voter: 'X' }).split('X')[0]!)));
    // The same passport again: the person has voted, and the official is told how.
    await page.fill('#f-documentNumber', PASSPORT);
    await page.check(`#f-choices-${approvalProjects[0]}`);
    await follow(page, () => page.click(`main form[action="${p.paper(approval.number)}"] > button`), { status: 400 });
    assert.match(await text(page, '.error-summary'), new RegExp(escaped(uk('pb.paper.already.paper', { date: 'X' }).split('X')[0]!)));
  });
  const paper = await server.db.selectFrom('pb_ballots').select(['choices', 'recorded_by']).where('cycle_id', '=', approval.id).where('channel', '=', 'paper').execute();
  assert.equal(paper.length, 1);
  assert.deepEqual([...paper[0]!.choices].sort((a, b) => a - b), [approvalProjects[2]!, approvalProjects[3]!].sort((a, b) => a - b));
  assert.equal(paper[0]!.recorded_by, people.official!.id);
  await signedIn(browser, server, people.paper!, 'uk', async (page) => {
    await visit(page, p.ballot(approval.number));
    assert.match(await text(page, 'main'), new RegExp(uk('pb.ballot.voted.paper')));
    assert.equal(await page.locator('main form[action$="/ballot/add"]').count(), 0);
  });
});

htmlCheckTest();
