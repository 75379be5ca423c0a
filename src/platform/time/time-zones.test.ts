import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { translator } from '../i18n/i18n.ts';
import { TIME_ZONES } from '../tenancy/municipality.schemas.ts';
import { createMunicipality, createUser, startTestApp, type TestApp } from '../testing/http.ts';
import { timeZoneLabel, timeZoneOptions } from './time-zones.ts';

test('a zone is named by its city, its time in words and its standard offset, in the reader\'s language', () => {
  assert.equal(timeZoneLabel('Europe/Kyiv', 'en', translator('en')), 'Kyiv — Eastern European Time (UTC+02:00)');
  assert.equal(timeZoneLabel('Europe/Belgrade', 'sr-Latn', translator('sr-Latn')), 'Beograd — Srednjeevropsko vreme (UTC+01:00)');
  assert.equal(timeZoneLabel('Europe/Warsaw', 'pl', translator('pl')), 'Warszawa — czas środkowoeuropejski (UTC+01:00)');
  assert.match(timeZoneLabel('Europe/Kyiv', 'uk', translator('uk')), /^Київ — .*східноєвропейським.* \(UTC\+02:00\)$/);
  assert.match(timeZoneLabel('America/New_York', 'en', translator('en')), /^New York — .* \(UTC−05:00\)$/);
});

test('the municipality\'s own zone comes first, then west to east', () => {
  const t = translator('en');
  assert.deepEqual(timeZoneOptions(TIME_ZONES, 'en', t, { zone: 'Europe/Warsaw' }).map((o) => o.value), ['Europe/Warsaw', 'Europe/Belgrade', 'Europe/Kyiv']);
  assert.deepEqual(timeZoneOptions(TIME_ZONES, 'en', t, { language: 'sr-Cyrl' }).map((o) => o.value)[0], 'Europe/Belgrade');
  assert.deepEqual(timeZoneOptions(TIME_ZONES, 'uk', translator('uk'), {}).map((o) => o.value)[0], 'Europe/Kyiv');
});

let app: TestApp;
before(async () => { app = await startTestApp(); });
after(() => app.close());

test('the settings page offers readable zones, its own first', async () => {
  const m = await createMunicipality(app.db, { slug: 'sombor', defaultLocale: 'sr-Cyrl' });
  await app.db.updateTable('municipalities').set({ time_zone: 'Europe/Belgrade' }).where('id', '=', m.id).execute();
  await createUser(app.db, { email: 'admin@example.org', password: 'admin password', roles: [{ municipalityId: m.id, role: 'admin' }] });
  const c = app.client('en');
  await c.signIn('admin@example.org', 'admin password');
  const page = await c.get('/en/sombor/admin');
  const select = /<select id="f-timeZone"[^>]*>(.*?)<\/select>/s.exec(page.body)?.[1] ?? '';
  const options = [...select.matchAll(/<option value="([^"]+)"[^>]*>([^<]*)</g)].map((o) => [o[1], o[2]]);
  assert.deepEqual(options[0], ['Europe/Belgrade', 'Belgrade — Central European Time (UTC+01:00)']);
  assert.equal(options.length, TIME_ZONES.length);
  assert.match(select, /<option value="Europe\/Belgrade" selected/);
  assert.doesNotMatch(select, />Europe\//);
});
