import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { LOCALES } from '../i18n/i18n.ts';
import { startTestApp, type TestApp, type TestClient } from '../testing/http.ts';
import { reportCategory, reportTown, resident, ZHOVKVA } from '../../modules/reports/testing.ts';
import { inSentence } from './forms.ts';

// An error message names its field by the label the form shows for it, in every locale.
let t: TestApp;

before(async () => {
  t = await startTestApp();
  const town = await reportTown(t.db, 'zhovkva', { radiusKm: 10 });
  await reportCategory(t.db, town, 'potholes');
  await resident(t.db, 'reporter@example.org', town);
  await resident(t.db, 'official@example.org', town, { role: 'official' });
});
after(() => t.close());

const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>');

/** The label of field `name` and the messages shown for it (beside the field and in the summary). */
function labelAndErrors(html: string, name: string) {
  const label = decode(new RegExp(`<(?:label|legend)[^>]*for="f-${name}"[^>]*>([^<]*)<`).exec(html)?.[1] ?? '');
  const beside = decode(new RegExp(`id="f-${name}-error"[^>]*>(?:<span[^>]*>[^<]*</span>)?([^<]*)<`).exec(html)?.[1] ?? '');
  const summary = decode(new RegExp(`<a href="#f-${name}">([^<]*)</a>`).exec(html)?.[1] ?? '');
  return { label, beside, summary };
}

function assertNamedByLabel(html: string, name: string, where: string) {
  const { label, beside, summary } = labelAndErrors(html, name);
  assert.ok(label, `${where}: ${name} has a label`);
  assert.ok(beside, `${where}: ${name} has a message`);
  assert.equal(beside, summary, `${where}: the summary says what the field says`);
  assert.doesNotMatch(beside, /\u0001|field\./, `${where}: no mark or key left`);
  assert.ok(beside.includes(label) || beside.includes(inSentence(label)), `${where}: "${beside}" names "${label}"`);
}

const signedIn = (email: string, locale?: string) => t.signedIn(email, locale);

test('the report form, the area-follow form and answer templates name fields by their labels in every locale', async () => {
  for (const locale of LOCALES) {
    const reporter = await signedIn('reporter@example.org', locale);
    const report = await reporter.post(`/${locale}/zhovkva/reports/new`, { category: 'potholes', description: 'x', lat: String(ZHOVKVA.lat), lng: String(ZHOVKVA.lng) });
    assert.equal(report.statusCode, 400);
    assertNamedByLabel(report.body, 'title', `${locale} report`);
    const area = await reporter.post(`/${locale}/zhovkva/reports/areas`, { radius: '500', lng: String(ZHOVKVA.lng) });
    assert.equal(area.statusCode, 400);
    assertNamedByLabel(area.body, 'lat', `${locale} area`);
    const official = await signedIn('official@example.org', locale);
    const template = await official.post(`/${locale}/zhovkva/reports/staff/templates`, { title: 'Fixed' });
    assert.equal(template.statusCode, 400);
    assertNamedByLabel(template.body, 'body', `${locale} template`);
  }
});

test('English messages put a label mid-sentence in sentence case', async () => {
  const reporter = await signedIn('reporter@example.org', 'en');
  const report = await reporter.post('/en/zhovkva/reports/new', { category: 'potholes', lat: String(ZHOVKVA.lat), lng: String(ZHOVKVA.lng) });
  const { label, beside } = labelAndErrors(report.body, 'title');
  assert.equal(beside, `Enter ${inSentence(label)}`);
  assert.doesNotMatch(report.body, /Enter [A-Z][a-z]/);
  assert.equal(inSentence('IBAN'), 'IBAN');
  assert.equal(inSentence('Short title'), 'short title');
});
