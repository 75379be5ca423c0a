import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { LOCALES } from '../i18n/i18n.ts';
import { startTestApp, type TestApp, type TestClient } from '../testing/http.ts';
import { resident, serviceDeps, TEST_PASSWORD } from '../testing/people.ts';
import { audit } from './audit.ts';
import { openPetition } from '../../modules/petitions/testing.ts';
import { reportCategory, reportTown } from '../../modules/reports/testing.ts';
import { fileReport } from '../../modules/reports/report.service.ts';
import { findReport } from '../../modules/reports/report.repo.ts';
import { moveByStaff } from '../../modules/reports/report.workflow.ts';

// The audit log says what happened in words, in the reader's language, and names what it happened to.
let t: TestApp;
let admin: TestClient;

before(async () => {
  t = await startTestApp();
  const town = await reportTown(t.db, 'zhovkva');
  await t.db.updateTable('municipalities').set({ enabled_modules: JSON.stringify(['reports', 'petitions']), settings: JSON.stringify({ petitions: { supportersNeeded: 0 } }) }).where('id', '=', town.id).execute();
  const m = (await t.db.selectFrom('municipalities').selectAll().where('id', '=', town.id).executeTakeFirstOrThrow());
  await reportCategory(t.db, m, 'potholes');
  const author = await resident(t.db, 'author@example.org', m, { fullName: 'Марія Коваль' });
  const official = await resident(t.db, 'admin@example.org', m, { role: 'admin', fullName: 'Олег Адмін' });
  await openPetition(t.db, m, author.current, official.id, 'Новий сквер');
  const filed = await fileReport(serviceDeps(t.db), { kind: 'resident', user: author.current }, m, { category: 'potholes', title: 'Вибоїна', description: '', at: { lat: m.center_lat, lng: m.center_lng }, address: null, answers: {}, showName: false });
  assert.equal(filed.kind, 'created');
  const r = (await findReport(t.db, m.id, (filed as { number: number }).number))!;
  assert.equal((await moveByStaff(serviceDeps(t.db), { id: official.id, ip: null }, m, r, 'fix', null)).kind, 'done');
  await audit(t.db, { municipalityId: m.id, actorId: official.id, action: 'reports.teleport', subjectType: 'starship', subjectId: 7 });
  admin = t.client('en');
  await admin.signIn('admin@example.org', TEST_PASSWORD);
});
after(() => t.close());

const cells = (html: string) => html.replace(/<\/?(span|a|code)\b[^>]*>/g, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

test('actions are in words and subjects are named links, in English', async () => {
  const page = await admin.get('/en/zhovkva/admin/audit');
  assert.equal(page.statusCode, 200);
  assert.match(cells(page.body), /Marked as fixed report #1 “Вибоїна”/);
  assert.match(page.body, /<a href="\/en\/zhovkva\/reports\/1">report #1 “<span lang="uk">Вибоїна<\/span>”<\/a>/);
  assert.match(cells(page.body), /Published the petition petition #1 “Новий сквер”/);
  assert.match(page.body, /href="\/en\/zhovkva\/petitions\/1"/);
  assert.doesNotMatch(page.body, /<code>(reports\.fix|petitions\.publish)<\/code>/);
  assert.doesNotMatch(cells(page.body), /petition #1 (?!“)/);
});

test('an action without words shows its code, readably marked as such; the log reads in every locale', async () => {
  const page = await admin.get('/en/zhovkva/admin/audit');
  assert.match(page.body, /Action without a description: <code>reports\.teleport<\/code>/);
  assert.match(cells(page.body), /starship #7/);
  for (const locale of LOCALES) {
    const c = t.client(locale);
    await c.signIn('admin@example.org', TEST_PASSWORD);
    const body = cells((await c.get(`/${locale}/zhovkva/admin/audit`)).body);
    assert.doesNotMatch(body, /audit\.(action|subject)\./, `${locale}: no message key shows`);
    assert.doesNotMatch(body, / (reports\.fix|petitions\.publish) /, `${locale}: no raw code`);
  }
  const uk = t.client('uk');
  await uk.signIn('admin@example.org', TEST_PASSWORD);
  assert.match(cells((await uk.get('/uk/zhovkva/admin/audit')).body), /Позначено як усунене звернення № 1 «Вибоїна»/);
});
