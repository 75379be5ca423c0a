import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Database } from '../../db/database.ts';
import type { Municipality } from '../../db/schema.ts';
import { translator } from '../../platform/i18n/i18n.ts';
import type { Deps } from '../../platform/http/deps.ts';
import { sendNotificationEmail } from '../../platform/notify/notify.service.ts';
import { createTestDatabase, type TestDatabase } from '../../platform/testing/db.ts';
import { findReport } from './report.repo.ts';
import { createReport } from './report.service.ts';
import { addStaffNote, closeReport, moveByStaff } from './report.workflow.ts';
import { reportCategory, reportTown, resident, serviceDeps, ZHOVKVA } from './testing.ts';

let database: TestDatabase;
let db: Database;
let town: Municipality;
let reporter: Awaited<ReturnType<typeof resident>>;
let staffId = 0;

before(async () => {
  database = await createTestDatabase();
  db = database.db;
  town = await reportTown(db, 'zhovkva');
  await reportCategory(db, town, 'roads');
  reporter = await resident(db, 'reporter@example.org', town);
  staffId = (await resident(db, 'official@example.org', town, { role: 'official' })).id;
});
after(() => database.cleanup());

async function latest() {
  const n = await db.selectFrom('notifications').select(['kind', 'params']).where('user_id', '=', reporter.id).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
  const params = (typeof n.params === 'string' ? JSON.parse(n.params) : n.params) as Record<string, string | number>;
  return { kind: n.kind, params };
}

/** The e-mail the last queued notification job sends, as its recipient's language renders it. */
async function lastMail(): Promise<{ subject: string; text: string }> {
  const job = await db.selectFrom('jobs').select('payload').where('kind', '=', 'notify.email').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
  const sent: { subject: string; text: string }[] = [];
  const deps = { ...serviceDeps(db), mailer: { send: async (m: { subject: string; text: string }) => { sent.push(m); } } } as unknown as Deps;
  await sendNotificationEmail((typeof job.payload === 'string' ? JSON.parse(job.payload) : job.payload) as Record<string, unknown>, deps);
  return sent[0]!;
}

test('a report notification names the new status, says what it means and carries the public message, in-app and by e-mail in the recipient’s language', async () => {
  const created = await createReport(serviceDeps(db), reporter.current, town, { category: 'roads', title: 'Pothole', description: '', at: ZHOVKVA, address: null, showName: false, answers: {} });
  assert.equal(created.kind, 'created');
  const r = (await findReport(db, town.id, (created as { number: number }).number))!;
  const official = { id: staffId, ip: null };
  await moveByStaff(serviceDeps(db), official, town, r, 'acknowledge', null);
  await moveByStaff(serviceDeps(db), official, town, (await findReport(db, town.id, r.number))!, 'schedule', 'Patching on Thursday.');

  const en = translator('en');
  const n = await latest();
  assert.equal(en(`notify.${n.kind}.title`, n.params), `Report No. ${r.number} “Pothole” is now Scheduled`);
  assert.equal(en(`notify.${n.kind}.body`, n.params), 'The department has planned the work. Message from the municipality: “Patching on Thursday.”');

  await db.updateTable('users').set({ locale: 'uk' }).where('id', '=', reporter.id).execute();
  const mail = await lastMail();
  assert.equal(mail.subject, `Повідомлення № ${r.number} «Pothole» тепер має стан «Заплановано»`);
  assert.match(mail.text, /^Підрозділ запланував роботи\. Повідомлення від громади: «Patching on Thursday\.»/);

  await addStaffNote(serviceDeps(db), official, town, (await findReport(db, town.id, r.number))!, 'Asphalt ordered.', true);
  const update = await latest();
  assert.match(en(`notify.${update.kind}.title`, update.params), /^Update on report No\. \d+ “Pothole”$/);
  await closeReport(serviceDeps(db), official, town, (await findReport(db, town.id, r.number))!, 'not_responsible', null, null);
  const closed = await latest();
  assert.equal(en(`notify.${closed.kind}.body`, closed.params).trim(), 'The problem is not the municipality’s responsibility.');
});
