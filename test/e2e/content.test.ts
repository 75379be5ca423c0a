/**
 * How content and small layout details meet a reader in Chromium: a petition's share links have no bullets
 * running into them; the filter buttons stay beside or below their fields on a wide and a narrow screen;
 * user text in another language is marked with it and Serbian text is read in the page's script.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { openPetition, resident } from '../../src/modules/petitions/testing.ts';
import { reportCategory } from '../../src/modules/reports/testing.ts';
import { checkA11y, launchBrowser, newContext, seedMunicipality, startServer, visit, type SeededMunicipality, type TestServer } from './helpers.ts';

let server: TestServer;
let browser: Browser;
let town: SeededMunicipality;

before(async () => {
  server = await startServer();
  town = await seedMunicipality(server.db);
  await server.db.updateTable('municipalities').set({ enabled_modules: JSON.stringify(['petitions', 'reports']), default_locale: 'sr-Cyrl', settings: JSON.stringify({ petitions: { supportersNeeded: 0 } }) })
    .where('id', '=', town.id).execute();
  const m = await server.db.selectFrom('municipalities').selectAll().where('id', '=', town.id).executeTakeFirstOrThrow();
  await reportCategory(server.db, m, 'potholes');
  const author = await resident(server.db, 'author@example.org', m, { fullName: 'Љубица Џаковић' });
  const moderator = await resident(server.db, 'moderator@example.org', m, { role: 'moderator' });
  await openPetition(server.db, m, author.current, moderator.id, 'Нова расвета у Његошевој улици');
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function withPage(width: number, fn: (page: Page) => Promise<void>) {
  const context = await newContext(browser, server, { viewport: { width, height: 900 } });
  try {
    await fn(await context.newPage());
  } finally {
    await context.close();
  }
}

test('the share list shows no bullets running into its links', async () => {
  await withPage(1280, async (page) => {
    await visit(page, `/en/${town.slug}/petitions/1`);
    const items = page.locator('main ul.actions li');
    assert.ok(await items.count() >= 4, 'the share links are listed');
    const styles = await items.evaluateAll((lis) => lis.map((li) => getComputedStyle(li).listStyleType));
    assert.deepEqual([...new Set(styles)], ['none']);
    const boxes = await page.locator('main ul.actions li a').evaluateAll((as) => as.map((a) => a.getBoundingClientRect()).map((r) => ({ left: r.left, right: r.right, top: r.top })));
    for (let i = 1; i < boxes.length; i++) {
      if (boxes[i]!.top !== boxes[i - 1]!.top) continue;
      assert.ok(boxes[i]!.left - boxes[i - 1]!.right >= 8, `link ${i} keeps its distance from the one before`);
    }
  });
});

for (const width of [1280, 360]) {
  test(`filter buttons stay beside or below their last field (${width} px)`, async () => {
    await withPage(width, async (page) => {
      for (const path of [`/en/${town.slug}/reports`, `/en/${town.slug}/petitions`]) {
        await visit(page, path);
        const m = await page.locator('main form.filters').evaluate((form) => {
          // Plain expressions only: a named function here would reach the page with the bundler's helper in it.
          const submit = form.querySelector('button[type=submit]')!;
          const button = submit.getBoundingClientRect();
          const before = submit.previousElementSibling!.getBoundingClientRect();
          const widths = [...form.querySelectorAll(':scope > .field')].map((f) => f.getBoundingClientRect().width);
          const sameRow = before.bottom > button.top + 1;
          return {
            sameRow, stretch: Math.max(...widths) - Math.min(...widths),
            // Beside: just after the last field, bottoms in line; below: the next row, at the form's start.
            gap: sameRow ? button.left - before.right : button.top - before.bottom,
            bottoms: Math.abs(button.bottom - before.bottom), left: button.left - form.getBoundingClientRect().left,
          };
        });
        assert.ok(m.stretch <= 2, `${path}: no field stretches past the others (${m.stretch} px)`);
        assert.ok(m.gap >= 0 && m.gap <= 48, `${path}: the button is ${m.gap} px from its last field`);
        if (m.sameRow) assert.ok(m.bottoms <= 3, `${path}: the button lines up with its field (${m.bottoms} px off)`);
        else assert.ok(m.left <= 1, `${path}: below the fields, the button starts the row`);
      }
    });
  });
}

test('user text carries its language and Serbian is shown in the page script', async () => {
  await withPage(1280, async (page) => {
    await visit(page, `/uk/${town.slug}/petitions/1`);
    assert.equal(await page.locator('main h1 [lang="sr-Cyrl"]').innerText(), 'Нова расвета у Његошевој улици');
    await checkA11y(page);
    await visit(page, `/sr-Latn/${town.slug}/petitions/1`);
    assert.equal(await page.locator('main h1').innerText(), 'Nova rasveta u Njegoševoj ulici');
    assert.match(await page.locator('main').innerText(), /Ljubica Džaković/);
    assert.equal(await page.title().then((t) => t.startsWith('Nova rasveta')), true);
    await visit(page, `/sr-Cyrl/${town.slug}/petitions`);
    assert.match(await page.locator('main .petition-list').innerText(), /Нова расвета у Његошевој улици/);
  });
});
