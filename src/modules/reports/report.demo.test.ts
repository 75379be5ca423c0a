import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createTestDatabase } from '../../platform/testing/db.ts';
import { listPublicEvents } from './report.repo.ts';
import { reportDemo } from './report.demo.ts';
import { reportTown, resident, serviceDeps } from './testing.ts';

test('the demo fills a municipality with reports at every stage, in its language, with a believable timeline', async () => {
  const database = await createTestDatabase();
  try {
    const db = database.db;
    const m = { ...(await reportTown(db, 'vlasotince')), default_locale: 'sr-Cyrl' };
    await db.insertInto('departments').values({ municipality_id: m.id, slug: 'communal', names: JSON.stringify({ en: 'Communal services' }) }).execute();
    const people = {
      residents: [(await resident(db, 'r1@example.org', m)).id, (await resident(db, 'r2@example.org', m)).id, (await resident(db, 'r3@example.org', m)).id],
      officials: [(await resident(db, 'o@example.org', m, { role: 'official' })).id], moderators: [],
      admin: (await resident(db, 'a@example.org', m, { role: 'admin' })).id,
    };
    await reportDemo(serviceDeps(db), m, people);
    const reports = await db.selectFrom('reports').select(['id', 'number', 'status', 'title', 'created_at', 'department_id', 'close_reason', 'supporters']).where('municipality_id', '=', m.id).orderBy('number').execute();
    assert.deepEqual(reports.map((r) => r.status), ['in_progress', 'acknowledged', 'fixed', 'new', 'fixed', 'closed']);
    assert.equal(reports[5]!.close_reason, 'duplicate');
    assert.ok(reports.every((r) => r.department_id !== null), 'routed to the communal department');
    assert.ok(reports.every((r) => /[\u0400-\u04FF]/.test(r.title)), 'a Cyrillic municipality gets Cyrillic text');
    assert.ok(reports[0]!.supporters >= 2);
    for (const r of reports) {
      const times = (await listPublicEvents(db, r.id)).map((e) => new Date(e.created_at).getTime());
      assert.deepEqual(times, [...times].sort((a, b) => a - b), `report ${r.number}: events in order`);
      assert.equal(times[0], new Date(r.created_at).getTime());
    }
  } finally {
    await database.cleanup();
  }
});
