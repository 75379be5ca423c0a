import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../../db/database.ts';
import type { Municipality } from '../../db/schema.ts';
import { createTestDatabase, type TestDatabase } from '../../platform/testing/db.ts';
import { findReport, listAllEvents, listPublicEvents, type ReportRow } from './report.repo.ts';
import { createReport } from './report.service.ts';
import { addStaffNote, answerFix, closeReport, moveByStaff, reassignReport } from './report.workflow.ts';
import { reportCategory, reportTown, resident, serviceDeps, ZHOVKVA } from './testing.ts';

let database: TestDatabase;
let db: Database;
let town: Municipality;
let reporter: Awaited<ReturnType<typeof resident>>;
let supporter: Awaited<ReturnType<typeof resident>>;
const deps = () => serviceDeps(db);
const official = () => ({ id: staffId, ip: '203.0.113.9' });
let staffId = 0;
let otherDepartment = 0;

async function fresh(title = 'Не світить ліхтар біля школи'): Promise<ReportRow> {
  const r = await createReport(deps(), reporter.current, town, { category: 'lamps', title, description: '', at: ZHOVKVA, address: null, showName: false, answers: {} });
  assert.equal(r.kind, 'created');
  return (await findReport(db, town.id, (r as { number: number }).number))!;
}
const reload = async (r: ReportRow) => (await findReport(db, town.id, r.number))!;
const notices = async (userId: number) => Number((await db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).where('kind', '=', 'reports.update').executeTakeFirstOrThrow()).n);
const audits = async (action: string) => Number((await db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', action).executeTakeFirstOrThrow()).n);

before(async () => {
  database = await createTestDatabase();
  db = database.db;
  town = await reportTown(db, 'zhovkva');
  await reportCategory(db, town, 'lamps');
  otherDepartment = (await reportCategory(db, town, 'roads')).department_id!;
  reporter = await resident(db, 'reporter@example.org', town);
  supporter = await resident(db, 'supporter@example.org', town);
  staffId = (await resident(db, 'official@example.org', town, { role: 'official' })).id;
});
after(() => database.cleanup());

describe('staff moves', () => {
  test('new → acknowledged → scheduled → in progress → fixed, each once, audited, followers told', async () => {
    const r = await fresh();
    await db.insertInto('report_supporters').values({ municipality_id: town.id, report_id: r.id, user_id: supporter.id }).execute();
    const twice = await Promise.all([moveByStaff(deps(), official(), town, r, 'acknowledge', null), moveByStaff(deps(), official(), town, r, 'acknowledge', null)]);
    assert.deepEqual(twice.map((o) => o.kind).sort(), ['done', 'stale']);
    const acknowledged = await reload(r);
    assert.equal(acknowledged.status, 'acknowledged');
    assert.ok(acknowledged.acknowledged_at);
    assert.deepEqual(await moveByStaff(deps(), official(), town, acknowledged, 'schedule', 'Заміна лампи в четвер'), { kind: 'done' });
    assert.deepEqual(await moveByStaff(deps(), official(), town, await reload(r), 'start', null), { kind: 'done' });
    assert.deepEqual(await moveByStaff(deps(), official(), town, await reload(r), 'fix', 'Лампу замінено.'), { kind: 'done' });
    const fixed = await reload(r);
    assert.equal(fixed.status, 'fixed');
    assert.ok(fixed.fixed_at);
    assert.deepEqual(await moveByStaff(deps(), official(), town, fixed, 'acknowledge', null), { kind: 'stale' }, 'not from fixed');
    assert.equal(await notices(reporter.id), 4);
    assert.equal(await notices(supporter.id), 4);
    assert.equal(await audits('reports.fix'), 1);
    assert.deepEqual((await listPublicEvents(db, r.id)).map((e) => e.kind), ['created', 'acknowledge', 'schedule', 'start', 'fix']);
  });

  test('closing needs an honest reason; a duplicate must name another report', async () => {
    const original = await fresh('Ліхтар на вулиці Вишневій');
    const copy = await fresh('Ще раз ліхтар на Вишневій');
    assert.deepEqual(await closeReport(deps(), official(), town, copy, 'duplicate', 9999, null), { kind: 'unknown_duplicate' });
    assert.deepEqual(await closeReport(deps(), official(), town, copy, 'duplicate', copy.number, null), { kind: 'unknown_duplicate' });
    assert.equal((await reload(copy)).status, 'new', 'nothing written');
    assert.deepEqual(await closeReport(deps(), official(), town, copy, 'duplicate', original.number, 'Див. основне повідомлення.'), { kind: 'done' });
    const closed = await reload(copy);
    assert.deepEqual([closed.status, closed.close_reason, closed.duplicate_of], ['closed', 'duplicate', original.number]);
    assert.equal((await reload(original)).supporters, 0, 'the reporter of both is not counted twice');
    const other = await fresh('Третє повідомлення про той самий ліхтар');
    await db.insertInto('report_supporters').values({ municipality_id: town.id, report_id: other.id, user_id: supporter.id }).execute();
    await db.updateTable('reports').set({ author_id: supporter.id }).where('id', '=', other.id).execute();
    assert.deepEqual(await closeReport(deps(), official(), town, await reload(other), 'duplicate', original.number, null), { kind: 'done' });
    assert.equal((await reload(original)).supporters, 1, 'merged: the duplicate\'s people follow the original, once each');
    assert.deepEqual(await closeReport(deps(), official(), town, closed, 'no_action', null, null), { kind: 'stale' });
  });

  test('reassigning and notes; internal notes stay off the public timeline', async () => {
    const r = await fresh('Ліхтар падає');
    assert.deepEqual(await reassignReport(deps(), official(), town, r, r.department_id!), { kind: 'same_department' });
    assert.deepEqual(await reassignReport(deps(), official(), town, r, 999_999), { kind: 'unknown_department' });
    assert.deepEqual(await reassignReport(deps(), official(), town, r, otherDepartment), { kind: 'done' });
    assert.equal((await reload(r)).department_id, otherDepartment);
    await addStaffNote(deps(), official(), town, r, 'Потрібна автовишка.', false);
    await addStaffNote(deps(), official(), town, r, 'Бригада виїде завтра.', true);
    assert.deepEqual((await listPublicEvents(db, r.id)).map((e) => e.kind), ['created', 'reassigned', 'update']);
    assert.deepEqual((await listAllEvents(db, r.id)).map((e) => e.kind), ['created', 'reassigned', 'note', 'update']);
  });
});

describe('the reporter after a fix', () => {
  test('only the reporter answers, only once it is fixed; "not fixed" reopens it', async () => {
    const r = await fresh('Темно на зупинці');
    assert.deepEqual(await answerFix(deps(), reporter.current, town, r, false, null), { kind: 'not_fixed' });
    await moveByStaff(deps(), official(), town, r, 'fix', null);
    const fixed = await reload(r);
    assert.deepEqual(await answerFix(deps(), supporter.current, town, fixed, false, null), { kind: 'not_yours' });
    assert.deepEqual(await answerFix(deps(), reporter.current, town, fixed, false, 'Досі темно.'), { kind: 'done' });
    const reopened = await reload(r);
    assert.deepEqual([reopened.status, reopened.fixed_at], ['acknowledged', null]);
    await moveByStaff(deps(), official(), town, reopened, 'fix', null);
    assert.deepEqual(await answerFix(deps(), reporter.current, town, await reload(r), true, null), { kind: 'done' });
    assert.equal((await reload(r)).status, 'fixed');
    assert.deepEqual((await listPublicEvents(db, r.id)).map((e) => e.kind), ['created', 'fix', 'reopened', 'fix', 'confirmed']);
  });
});
