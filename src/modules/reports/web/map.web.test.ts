import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestApp, type TestApp } from '../../../platform/testing/http.ts';
import { reportCategory, reportTown, resident } from '../testing.ts';

// The pages with a map (the list, a new report, areas, the staff's place form) draw the platform's map
// (platform/views/map.tsx): hidden until the script shows it, with the fields that do without it.
let t: TestApp;

before(async () => {
  t = await startTestApp();
  const town = await reportTown(t.db, 'zhovkva', { guests: 'no' });
  await reportCategory(t.db, town, 'potholes');
  await resident(t.db, 'reporter@example.org', town);
});
after(() => t.close());

test('the list shows the open reports as points of the GeoJSON route, with its own label', async () => {
  const page = await t.client('en').get('/en/zhovkva/reports');
  assert.equal(page.statusCode, 200);
  const map = /<div[^>]*data-module="points-map"[^>]*>/.exec(page.body)?.[0] ?? '';
  assert.match(map, / hidden /);
  assert.match(map, /aria-label="Map of open reports"/);
  assert.match(map, /data-geojson="\/api\/v1\/zhovkva\/reports.geojson\?status=open"/);
  assert.match(map, /data-zoom-in="Zoom in"/);
  assert.match(map, /data-bundle="\/assets\/[^"]+\.js"/);
});

test('a new report has the picker and the address, latitude and longitude fields, in every language', async () => {
  const client = await t.signedIn('reporter@example.org', 'en');
  const en = await client.get('/en/zhovkva/reports/new?category=potholes');
  assert.match(en.body, /data-module="place-picker"[^>]*data-lat="f-lat"[^>]*data-lng="f-lng"/);
  assert.match(en.body, /data-use-centre="Use the centre of the map as the place"/);
  for (const [name, label] of [['address', 'Address or landmark'], ['lat', 'Latitude'], ['lng', 'Longitude']]) {
    assert.match(en.body, new RegExp(`<label for="f-${name}" class="field__label">${label}</label>`));
  }
  assert.match(en.body, /<legend>Place<\/legend>/);
  const uk = await client.get('/uk/zhovkva/reports/new?category=potholes');
  assert.match(uk.body, /<label for="f-lat" class="field__label">Широта<\/label>/);
  assert.doesNotMatch(uk.body, /platform\.map\.|reports\.map\./);
  const half = await client.post('/en/zhovkva/reports/new', { category: 'potholes', title: 'A pothole here', lat: '50.05' });
  assert.equal(half.statusCode, 400);
  assert.match(half.body, /Give both latitude and longitude, or neither\./);
  assert.match(half.body, /href="#f-lng"/);
});

test('following an area asks for coordinates only, with the picker', async () => {
  const client = await t.signedIn('reporter@example.org', 'en');
  const page = await client.get('/en/zhovkva/reports/areas');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /data-module="place-picker"/);
  assert.match(page.body, /id="f-lat" name="lat" required /);
  assert.doesNotMatch(page.body, /id="f-address"/);
});
