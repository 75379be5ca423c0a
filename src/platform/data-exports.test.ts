import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Municipality } from '../db/schema.ts';
import { openPetition } from '../modules/petitions/testing.ts';
import { seedCycle, seedProject } from '../modules/participatory-budget/testing.ts';
import { reportCategory } from '../modules/reports/testing.ts';
import { DATA_FORMAT_TYPES, dataDistributions, fillTemplate } from './data-exports.ts';
import { LOCALES, translator } from './i18n/i18n.ts';
import { allModules } from './modules-registry.ts';
import { createMunicipality, startTestApp, type TestApp } from './testing/http.ts';
import { resident } from './testing/people.ts';

// Every dataset a module declares in its manifest answers at its address, in the format declared, so the
// open-data catalogue that gathers them never lists a dead or mislabelled link.
let t: TestApp;
let town: Municipality;

before(async () => {
  t = await startTestApp();
  town = await createMunicipality(t.db, { slug: 'zhovkva', enabledModules: allModules().map((m) => m.id) });
  const author = await resident(t.db, 'author@example.org', town);
  const moderator = await resident(t.db, 'moderator@example.org', town, { role: 'moderator' });
  await openPetition(t.db, town, author.current, moderator.id);
  await reportCategory(t.db, town, 'potholes');
  // One cycle whose every dataset is public (voting closed, results published), one still voting.
  const { categories } = await seedCycle(t.db, town, { phase: 'implementation', resultsPublished: true });
  await seedProject(t.db, town, categories[0]!, author.id);
  await seedCycle(t.db, town, { phase: 'voting' });
});
after(() => t.close());

test('every declared export answers 200 in its declared format, for every instance published', async () => {
  const files = await dataDistributions(t.db, town, 'uk');
  for (const mod of ['petitions', 'reports', 'participatory-budget']) assert.ok(files.some((f) => f.module === mod), `${mod} declares exports`);
  assert.equal(files.filter((f) => f.module === 'participatory-budget' && f.dataset === 'ballots').length, 2, 'ballots of the closed cycle only, JSON and CSV');
  assert.equal(files.filter((f) => f.module === 'participatory-budget' && f.dataset === 'projects').length, 4, 'projects of both cycles');
  assert.ok(files.some((f) => f.dataset === 'signatures'), "the petition's ledger is listed");
  for (const f of files) {
    const res = await t.client('uk').get(f.url);
    assert.equal(res.statusCode, 200, `${f.module}/${f.dataset} ${f.url}: ${res.body.slice(0, 200)}`);
    assert.ok(String(res.headers['content-type']).startsWith(DATA_FORMAT_TYPES[f.format]), `${f.url} is ${res.headers['content-type']}, declared ${f.format}`);
  }
});

test('every export has a title and a description in every language, and ids unique in its module', () => {
  for (const mod of allModules()) {
    const ids = (mod.exports ?? []).map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length, mod.id);
    for (const e of mod.exports ?? []) {
      for (const locale of LOCALES) {
        const t = translator(locale);
        for (const key of [e.titleKey, e.descriptionKey]) assert.notEqual(t(key), key, `${locale}: ${key}`);
      }
    }
  }
});

test('templates fill their placeholders URL-encoded and refuse one left unfilled', () => {
  assert.equal(fillTemplate('/api/v1/{municipality}/x/{cycle}.csv', { municipality: 'zhovkva', cycle: '3' }), '/api/v1/zhovkva/x/3.csv');
  assert.equal(fillTemplate('/{locale}/{municipality}', { locale: 'sr-Latn', municipality: 'a b' }), '/sr-Latn/a%20b');
  assert.throws(() => fillTemplate('/{cycle}', {}), /No value for \{cycle\}/);
});
