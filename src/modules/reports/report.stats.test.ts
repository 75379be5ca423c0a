import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { Municipality } from '../../db/schema.ts';
import { createTestDatabase, type TestDatabase } from '../../platform/testing/db.ts';
import { startTestApp, type TestApp } from '../../platform/testing/http.ts';
import { createReport } from './report.service.ts';
import { byMonth, performance } from './report.stats.ts';
import { reportCategory, reportTown, resident, serviceDeps, ZHOVKVA } from './testing.ts';

let database: TestDatabase;
let db: Database;
let town: Municipality;
let lampsDept = 0;
let app: TestApp;

const DAY = 86_400_000;
/** A report made `ageDays` ago, acknowledged after `ackHours` and fixed after `fixDays` (when given). */
async function report(category: string, ageDays: number, ackHours: number | null, fixDays: number | null, status: string) {
  const u = (await db.selectFrom('users').select('id').executeTakeFirstOrThrow()).id;
  const r = await createReport(serviceDeps(db), { id: u, email: 'r@example.org', fullName: 'R', locale: 'uk', platformRole: null, emailVerified: true, identityVerified: false, residenceMunicipalityId: null, roles: {}, residentOf: [town.id], sessionId: 's' },
    town, { category, title: 'Проблема для статистики', description: '', at: ZHOVKVA, address: null, showName: false, answers: {} });
  const created = new Date(Date.now() - ageDays * DAY);
  await sql`UPDATE reports SET created_at = ${created}, status = ${status},
    acknowledged_at = ${ackHours === null ? null : new Date(created.getTime() + ackHours * 3_600_000)},
    fixed_at = ${fixDays === null ? null : new Date(created.getTime() + fixDays * DAY)}
    WHERE municipality_id = ${town.id} AND number = ${(r as { number: number }).number}`.execute(db);
}

before(async () => {
  database = await createTestDatabase();
  db = database.db;
  town = await reportTown(db, 'zhovkva');
  await resident(db, 'r@example.org', town);
  await reportCategory(db, town, 'potholes'); // 48 h to acknowledge, 10 days to fix
  lampsDept = (await reportCategory(db, town, 'lamps')).department_id!;
  await report('potholes', 30, 2, 5, 'fixed'); // on time both ways
  await report('potholes', 30, 60, 20, 'fixed'); // late both ways
  await report('lamps', 30, 10, null, 'in_progress'); // fix overdue
  await report('lamps', 1, null, null, 'new'); // nothing due yet
  app = await startTestApp();
});
after(async () => {
  await database.cleanup();
  await app.close();
});

test('medians and shares on time, for the municipality and per department', async () => {
  const { all, departments } = await performance(db, town.id, new Date(Date.now() - 365 * DAY));
  assert.deepEqual([all.total, all.open, all.fixed, all.closed], [4, 2, 2, 0]);
  assert.equal(all.medianAckHours, 10);
  assert.equal(all.ackOnTime, 2 / 3);
  assert.equal(all.medianFixDays, 12.5);
  assert.equal(all.fixOnTime, 1 / 3, 'one on time, one late, one overdue; the new one is not due');
  const lamps = departments.find((d) => d.departmentId === lampsDept)!;
  assert.deepEqual([lamps.total, lamps.open, lamps.medianFixDays, lamps.fixOnTime], [2, 2, null, 0]);
  const months = await byMonth(db, town.id, new Date(Date.now() - 60 * DAY));
  assert.ok(months.length >= 2);
  assert.equal(months.reduce((s, m) => s + m.made, 0), 4);
  assert.equal(months.reduce((s, m) => s + m.fixed, 0), 2);
});

test('the public page and its CSV', async () => {
  const m = await reportTown(app.db, 'sombor');
  await reportCategory(app.db, m, 'parks');
  const page = await app.client('sr-Latn').get('/sr-Latn/sombor/reports/performance?months=6');
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /Kako se rešavaju problemi/);
  assert.match(page.body, /aria-current="page"[^>]*>poslednjih 6 meseci|poslednjih 6 meseci/);
  const csv = await app.client('en').get('/en/sombor/reports/performance.csv');
  assert.match(String(csv.headers['content-type']), /^text\/csv/);
  assert.match(csv.body, /^\uFEFFDepartment,Reports,Still open,Fixed,Closed without fixing,/);
  assert.match(csv.body, /\r\nWhole municipality,0,0,0,0,,,,\r\n/);
});
