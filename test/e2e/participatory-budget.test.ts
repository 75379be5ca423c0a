/**
 * Participatory-budget journeys in Chromium: a resident without JavaScript proposes a project (place by latitude and
 * longitude, cost lines, a co-author), previews and submits it; an official returns it with a comment, the author
 * corrects and resubmits it, the official admits it. (Voting is in participatory-budget-vote.test.ts; results,
 * implementation and the locale sweep in participatory-budget-results.test.ts.) axe-core (WCAG 2.2 A/AA, desktop
 * and 320 px) runs on every page reached, the Nu HTML Checker over all of them at the end.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import type { Municipality } from '../../src/db/schema.ts';
import { disableScripts, follow, htmlCheckTest, launchBrowser, signedIn, text, tr, visit, type SeededUser, type TestServer } from './helpers.ts';
import { moneyText as money, pbCycle, pbPaths, pbResident, pbStaff, startPbServer } from './pb-journeys.ts';

let server: TestServer;
let browser: Browser;
let town: Municipality;
const people: Record<string, SeededUser> = {};

before(async () => {
  ({ server, town } = await startPbServer());
  people.author = await pbResident(server.db, town, 'author', 'Олена Петренко');
  people.coauthor = await pbResident(server.db, town, 'coauthor', 'Іван Франко');
  people.official = await pbStaff(server.db, town, 'official', 'Ольга Посадовець', 'official');
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const projectRow = (number: number) =>
  server.db.selectFrom('pb_projects').select(['status', 'cost_total', 'lat', 'lng', 'decision_note']).where('municipality_id', '=', town.id).where('number', '=', number).executeTakeFirstOrThrow();

test('a resident proposes a project without JavaScript; an official returns it, the author resubmits, the official admits it', async () => {
  const { cycle } = await pbCycle(server.db, town, { phase: 'submission' });
  const uk = tr('uk');
  const p = pbPaths('uk', town);
  let number = 0;

  await signedIn(browser, server, people.author!, 'uk', async (page) => {
    await disableScripts(page);
    await visit(page, p.cycle(cycle.number));
    await follow(page, () => page.click(`main a[href="${p.projects(cycle.number)}"]`), { status: 200 });
    await follow(page, () => page.click(`main a[href="${p.newProject(cycle.number)}"]`), { status: 200 });
    await follow(page, () => page.click('main form > button[type=submit]'), { status: 400 });
    assert.match(await text(page, '.error-summary'), new RegExp(uk('pb.projects.field.title')));
    await page.fill('#f-title', 'Лавки вздовж алеї парку');
    await page.fill('#f-summary', 'Десять нових лавок уздовж головної алеї парку.');
    await page.fill('#f-description', 'Старі лавки зламані; поставимо десять нових лавок уздовж головної алеї і відновимо доріжку.');
    await page.selectOption('#f-category', 'small');
    await page.fill('#f-address', 'парк імені Коваліва');
    await page.fill('#f-lat', '50.0550');
    await page.fill('#f-lng', '23.9730');
    await page.fill('#f-item_0', 'Лавка');
    await page.fill('#f-qty_0', '10');
    await page.fill('#f-unit_0', 'шт.');
    await page.fill('#f-price_0', '8 500,50');
    // Without scripts "add a line" draws the form again with one more line; what was typed stays.
    await follow(page, () => page.click('main form button[name=addLine]'), { status: 200 });
    assert.equal(await page.inputValue('#f-item_0'), 'Лавка');
    await page.fill('#f-item_1', 'Монтаж');
    await page.fill('#f-qty_1', '2');
    await page.fill('#f-unit_1', 'день');
    await page.fill('#f-price_1', '1000');
    await follow(page, () => page.click('main form > button[type=submit]'), { status: 200 });
    number = Number(new URL(page.url()).pathname.split('/').pop());
    assert.ok(number > 0, page.url());
    assert.equal(await text(page, 'main .banner'), uk('pb.projects.flash.created', { number }));
    assert.match(await text(page, 'main'), new RegExp(uk('pb.projects.draft.lead')));
    assert.deepEqual(await projectRow(number), { status: 'draft', cost_total: 8_700_500, lat: 50.055, lng: 23.973, decision_note: null });

    // A co-author, named on the edit page; the preview shows both authors.
    await follow(page, () => page.click(`main a[href="${p.project(number)}/edit"]`), { status: 200 });
    await page.fill('#f-email', people.coauthor!.email);
    await follow(page, () => page.click(`main form[action="${p.project(number)}/coauthors"] button`), { status: 200 });
    assert.equal(await text(page, 'main .banner'), uk('pb.projects.coauthors.added'));
    await follow(page, () => page.click(`main a[href="${p.project(number)}"]`), { status: 200 });
    assert.match(await text(page, 'main .project'), /Олена Петренко, Іван Франко/);
    await follow(page, () => page.click(`main form[action="${p.project(number)}/submit"] button`), { status: 200 });
    assert.equal(await text(page, 'main .banner'), uk('pb.projects.flash.submitted'));
    assert.equal((await projectRow(number)).status, 'submitted');
  });

  const decide = async (decision: 'returned' | 'admitted', note?: string) => signedIn(browser, server, people.official!, 'uk', async (page) => {
    await visit(page, `${p.staff}/review`);
    await follow(page, () => page.click(`main a[href="${p.review(number)}"]`), { status: 200 });
    await page.selectOption('#f-decision', decision);
    if (note) await page.fill('#f-note', note);
    if (decision === 'returned') {
      // A week from now, well before voting opens (the field is the municipality's local time).
      await page.fill('#f-resubmitBy', new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 16));
    }
    await follow(page, () => page.click(`main form[action="${p.review(number)}"] > button`), { status: 200 });
    assert.equal(new URL(page.url()).pathname, `${p.staff}/review`);
    assert.equal(await text(page, 'main .banner'), uk(`pb.review.decided.${decision}`, { number, title: 'Лавки вздовж алеї парку' }));
  });

  await decide('returned', 'Додайте, будь ласка, вартість доставки лавок.');
  assert.equal((await projectRow(number)).status, 'returned');

  await signedIn(browser, server, people.author!, 'uk', async (page) => {
    await visit(page, p.project(number));
    assert.match(await text(page, 'main .project .banner'), /вартість доставки лавок/);
    await follow(page, () => page.click(`main a[href="${p.project(number)}/edit"]`), { status: 200 });
    await follow(page, () => page.click('main form button[name=addLine]'), { status: 200 });
    await page.fill('#f-item_2', 'Доставка');
    await page.fill('#f-qty_2', '1');
    await page.fill('#f-unit_2', 'посл.');
    await page.fill('#f-price_2', '2500');
    await follow(page, () => page.click('main form > button[type=submit]'), { status: 200 });
    assert.equal(await text(page, 'main .banner'), uk('pb.projects.flash.saved'));
    await follow(page, () => page.click(`main form[action="${p.project(number)}/submit"] button`), { status: 200 });
    assert.equal(await text(page, 'main .banner'), uk('pb.projects.flash.resubmitted'));
  });
  assert.equal((await projectRow(number)).status, 'submitted');
  assert.equal((await projectRow(number)).cost_total, 8_950_500);

  await decide('admitted');
  await signedIn(browser, server, people.coauthor!, 'uk', async (page) => {
    await visit(page, p.project(number));
    assert.match(await text(page, 'main .project'), new RegExp(uk('pb.projects.status.admitted')));
    assert.match(await text(page, 'main .timeline'), /вартість доставки лавок/);
    await visit(page, p.projects(cycle.number));
    assert.match(await text(page, 'main'), /Лавки вздовж алеї парку/);
  });
});

test('with JavaScript the cost table\'s line totals and total follow what is typed, as the server counts them', async () => {
  const { cycle } = await pbCycle(server.db, town, { phase: 'submission' });
  const p = pbPaths('pl', town);
  await signedIn(browser, server, people.author!, 'pl', async (page) => {
    await visit(page, p.newProject(cycle.number));
    // Spaces compared as spaces: the page's text and Intl's no-break spaces.
    const cell = async (css: string) => (await text(page, `main .cost-table ${css}`)).replace(/\s/g, ' ');
    const moneyText = (minor: number) => money('pl', minor).replace(/\s/g, ' ');
    assert.equal(await cell('[data-total]'), moneyText(0));
    await page.fill('#f-qty_0', '2,5');
    await page.fill('#f-price_0', '1 000,10');
    // A line counts towards the total once it names its item, as the server counts it.
    assert.equal(await cell('tbody tr:nth-child(1) [data-line-total]'), moneyText(250_025));
    assert.equal(await cell('[data-total]'), moneyText(0));
    await page.fill('#f-item_0', 'Ławka');
    assert.equal(await cell('[data-total]'), moneyText(250_025));
    await follow(page, () => page.click('main form button[name=addLine]'), { status: 200 });
    assert.equal(await cell('[data-total]'), moneyText(250_025));
    await page.fill('#f-item_1', 'Montaż');
    await page.fill('#f-qty_1', '3');
    await page.fill('#f-price_1', '12');
    assert.equal(await cell('tbody tr:nth-child(2) [data-line-total]'), moneyText(3_600));
    assert.equal(await cell('[data-total]'), moneyText(253_625));
    // What is not a quantity or a price yet has no line total and counts for nothing.
    await page.fill('#f-qty_1', 'trzy');
    assert.equal(await cell('tbody tr:nth-child(2) [data-line-total]'), '—');
    assert.equal(await cell('[data-total]'), moneyText(250_025));
    assert.equal(await page.getAttribute('main .cost-table [data-total]', 'aria-live'), 'polite');
  });
});

htmlCheckTest();
