import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../../db/database.ts';
import type { Municipality } from '../../db/schema.ts';
import type { ReportQuestion } from '../../db/schema.reports.ts';
import { createTestDatabase, type TestDatabase } from '../../platform/testing/db.ts';
import { distanceMeters } from '../../platform/geo/geo.ts';
import { findReport, listReports } from './report.repo.ts';
import { createReport, nearbyDuplicates, supportReport, type NewReport } from './report.service.ts';
import { reportCategory, reportTown, resident, serviceDeps, ZHOVKVA } from './testing.ts';

let database: TestDatabase;
let db: Database;
let town: Municipality;
let other: Municipality;
let author: Awaited<ReturnType<typeof resident>>;
const deps = () => serviceDeps(db);
const count = async (table: 'reports' | 'report_events' | 'report_supporters') =>
  Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

const QUESTIONS: ReportQuestion[] = [
  { key: 'depth', kind: 'number', required: true, labels: { en: 'Depth (cm)' } },
  { key: 'lane', kind: 'single', required: false, labels: { en: 'Lane' }, options: [{ value: 'left', labels: { en: 'Left' } }, { value: 'right', labels: { en: 'Right' } }] },
  { key: 'seen', kind: 'date', required: false, labels: { en: 'First seen' } },
  { key: 'hazards', kind: 'multiple', required: false, labels: { en: 'Hazards' }, options: [{ value: 'cars', labels: { en: 'Cars' } }, { value: 'bikes', labels: { en: 'Bikes' } }] },
];

/** A point `meters` north of Zhovkva's centre. */
const north = (meters: number) => ({ lat: ZHOVKVA.lat + meters / 111_320, lng: ZHOVKVA.lng });
const report = (over: Partial<NewReport> = {}): NewReport => ({
  category: 'potholes', title: 'Вибоїна на вулиці Львівській', description: 'Глибока вибоїна посеред смуги.', at: ZHOVKVA,
  address: 'вул. Львівська, 5', showName: false, answers: { depth: '12' }, ...over,
});

before(async () => {
  database = await createTestDatabase();
  db = database.db;
  town = await reportTown(db, 'zhovkva', { radiusKm: 10 });
  other = await reportTown(db, 'sombor', {}, { lat: 45.7733, lng: 19.1151 });
  author = await resident(db, 'reporter@example.org', town);
  await reportCategory(db, town, 'potholes', { questions: QUESTIONS });
  await reportCategory(db, town, 'lamps');
  await reportCategory(db, town, 'old', { active: false });
  await reportCategory(db, other, 'parks');
});
after(() => database.cleanup());

describe('filing a report', () => {
  test('is numbered per municipality, routed to the category department, and on its timeline', async () => {
    const results = await Promise.all([1, 2, 3].map(() => createReport(deps(), author.current, town, report())));
    assert.deepEqual(results.map((r) => (r.kind === 'created' ? r.number : 0)).sort(), [1, 2, 3]);
    const r = (await findReport(db, town.id, 1))!;
    assert.equal(r.status, 'new');
    assert.equal(r.category_slug, 'potholes');
    assert.ok(r.department_id);
    assert.deepEqual(r.answers, { depth: 12 });
    assert.equal(Number((await db.selectFrom('report_events').select((eb) => eb.fn.countAll<number>().as('n')).where('report_id', '=', r.id).executeTakeFirstOrThrow()).n), 1);
  });

  test('bad input is refused with the reason and writes nothing', async () => {
    const before = [await count('reports'), await count('report_events')];
    const outsider = await resident(db, 'nobody@example.org', null, { emailVerified: false });
    assert.deepEqual(await createReport(deps(), outsider.current, town, report()), { kind: 'level', required: 'email' });
    assert.deepEqual(await createReport(deps(), author.current, town, report({ category: 'parks' })), { kind: 'unknown_category' }, 'another municipality\'s category');
    assert.deepEqual(await createReport(deps(), author.current, town, report({ category: 'old' })), { kind: 'unknown_category' }, 'an inactive category');
    assert.deepEqual(await createReport(deps(), author.current, town, report({ at: north(10_500) })), { kind: 'outside', radiusKm: 10 });
    assert.deepEqual(await createReport(deps(), author.current, town, report({ answers: {} })), { kind: 'answers', problems: { depth: 'required' } });
    assert.deepEqual(await createReport(deps(), author.current, town, report({ at: null, address: null })), { kind: 'no_place' });
    assert.deepEqual(await createReport(deps(), author.current, town, report({ answers: { depth: 'deep', lane: 'middle', seen: '2026-02-30', hazards: ['cars', 'trams'] } })),
      { kind: 'answers', problems: { depth: 'invalid', lane: 'invalid', seen: 'invalid', hazards: 'invalid' } });
    assert.deepEqual([await count('reports'), await count('report_events')], before);
  });

  test('an address alone is accepted, placed at the centre and marked as not located', async () => {
    const r = await createReport(deps(), author.current, town, report({ at: null, address: 'вул. Шевченка, 12', category: 'lamps', answers: {} }));
    assert.equal(r.kind, 'created');
    const row = (await findReport(db, town.id, (r as { number: number }).number))!;
    assert.deepEqual([row.located, row.lat, row.lng, row.address], [false, town.center_lat, town.center_lng, 'вул. Шевченка, 12']);
    assert.ok(!(await nearbyDuplicates(deps(), town, 'lamps', ZHOVKVA)).some((f) => f.number === row.number), 'an unplaced report is nobody\'s neighbour');
  });

  test('answers keep their kinds', async () => {
    const r = await createReport(deps(), author.current, town, report({ answers: { depth: '7.5', lane: 'left', seen: '2026-11-30', hazards: 'bikes' } }));
    assert.equal(r.kind, 'created');
    const row = (await findReport(db, town.id, (r as { number: number }).number))!;
    assert.deepEqual(row.answers, { depth: 7.5, lane: 'left', seen: '2026-11-30', hazards: ['bikes'] });
  });
});

describe('nearby duplicates and "me too"', () => {
  test('open reports of the same category within 100 m are offered, nearest first', async () => {
    const near = await createReport(deps(), author.current, town, report({ title: 'Вибоїна за 60 метрів', at: north(60) }));
    await createReport(deps(), author.current, town, report({ title: 'Вибоїна за 150 метрів', at: north(150) }));
    await createReport(deps(), author.current, town, report({ category: 'lamps', title: 'Ліхтар не світить', answers: {} }));
    const found = await nearbyDuplicates(deps(), town, 'potholes', north(40));
    assert.ok(found.length >= 2);
    assert.ok(found.every((f) => f.meters <= 100));
    assert.ok(found.some((f) => f.number === (near as { number: number }).number));
    assert.ok(!found.some((f) => f.title.includes('150')), 'beyond 100 m');
    assert.ok(!found.some((f) => f.title.includes('Ліхтар')), 'another category');
    assert.deepEqual(found.map((f) => f.meters), [...found.map((f) => f.meters)].sort((a, b) => a - b));
    assert.ok(Math.abs(found[0]!.meters - 20) < 1, `nearest is 20 m away, got ${found[0]!.meters}`);
    assert.ok(Math.abs(distanceMeters(ZHOVKVA, north(100)) - 100) < 0.5);
  });

  test('a supporter is counted once; the author and closed reports are refused', async () => {
    const neighbour = await resident(db, 'neighbour@example.org', town);
    const r = (await findReport(db, town.id, 1))!;
    const outcomes = await Promise.all([1, 2, 3].map(() => supportReport(deps(), neighbour.current, town, r)));
    assert.deepEqual(outcomes.map((o) => o.kind).sort(), ['already', 'already', 'supported']);
    assert.equal((await findReport(db, town.id, 1))!.supporters, 1);
    assert.deepEqual(await supportReport(deps(), author.current, town, r), { kind: 'own' });
    await db.updateTable('reports').set({ status: 'fixed' }).where('id', '=', r.id).execute();
    const before = await count('report_supporters');
    assert.deepEqual(await supportReport(deps(), (await resident(db, 'late@example.org', town)).current, town, (await findReport(db, town.id, 1))!), { kind: 'closed' });
    assert.equal(await count('report_supporters'), before);
  });
});

describe('browsing', () => {
  test('the map box, status and category filters', async () => {
    const all = await listReports(db, town.id, { limit: 100, offset: 0 });
    const inBox = await listReports(db, town.id, { box: { south: ZHOVKVA.lat - 0.0001, west: ZHOVKVA.lng - 0.0001, north: north(100).lat, east: ZHOVKVA.lng + 0.0001 }, limit: 100, offset: 0 });
    assert.ok(inBox.length > 0 && inBox.length < all.length);
    assert.ok(inBox.every((r) => r.lat <= north(100).lat));
    const fixed = await listReports(db, town.id, { statuses: ['fixed'], limit: 100, offset: 0 });
    assert.deepEqual(fixed.map((r) => r.number), [1]);
    assert.equal((await listReports(db, other.id, { limit: 100, offset: 0 })).length, 0);
  });
});
