import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Municipality } from '../../../db/schema.ts';
import { startTestApp, type TestApp, type TestClient } from '../../../platform/testing/http.ts';
import { TEST_PASSWORD } from '../../../platform/testing/people.ts';
import { findReport } from '../report.repo.ts';
import { createReport, supportReport } from '../report.service.ts';
import { closeReport, moveByStaff } from '../report.workflow.ts';
import { reportCategory, reportTown, resident, serviceDeps, ZHOVKVA } from '../testing.ts';

let t: TestApp;
let town: Municipality;
const people: Record<string, Awaited<ReturnType<typeof resident>>> = {};
const c: Record<string, TestClient> = {};
const followers = async () => Number((await t.db.selectFrom('report_followers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
const told = async (who: string) => Number((await t.db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n'))
  .where('user_id', '=', people[who]!.id).where('kind', '=', 'reports.update').executeTakeFirstOrThrow()).n);
const file = async (title: string) => {
  const r = await createReport(serviceDeps(t.db), people.reporter!.current, town, { category: 'lamps', title, description: '', at: ZHOVKVA, address: null, showName: false, answers: {} });
  return (await findReport(t.db, town.id, (r as { number: number }).number))!;
};

before(async () => {
  t = await startTestApp();
  town = await reportTown(t.db, 'zhovkva');
  await reportCategory(t.db, town, 'lamps');
  for (const who of ['reporter', 'watcher', 'neighbour']) {
    people[who] = await resident(t.db, `${who}@example.org`, town);
    c[who] = t.client('en');
    await c[who]!.signIn(`${who}@example.org`, TEST_PASSWORD);
  }
  people.official = await resident(t.db, 'official@example.org', town, { role: 'official' });
});
after(() => t.close());

describe('following a report', () => {
  test('a resident follows once, is told of updates, and stops; reporter and supporters are not offered it', async () => {
    const r = await file('Dark street by the school');
    const path = `/en/zhovkva/reports/${r.number}`;
    assert.match((await c.watcher!.get(path)).body, /Follow updates/);
    assert.doesNotMatch((await c.reporter!.get(path)).body, /Follow updates/);
    assert.match(String((await t.client('en').post(`${path}/follow`)).headers.location), /sign-in/);
    assert.equal((await c.watcher!.post(`${path}/follow`, { _csrf: 'forged' })).statusCode, 403);
    assert.equal(await followers(), 0);
    for (const _ of [1, 2]) assert.equal((await c.watcher!.post(`${path}/follow`)).statusCode, 303);
    assert.equal(await followers(), 1);
    assert.match((await c.watcher!.get(path)).body, /You follow this report’s updates/);
    await c.reporter!.post(`${path}/follow`);
    assert.equal(await followers(), 1, 'the reporter follows their own report already');
    await moveByStaff(serviceDeps(t.db), { id: people.official!.id, ip: null }, town, r, 'acknowledge', 'Crew on Monday.');
    assert.equal(await told('watcher'), 1);
    const stop = await c.watcher!.post(`${path}/unfollow`);
    assert.match((await c.watcher!.follow(stop)).body, /You no longer follow this report/);
    assert.match((await c.watcher!.follow(await c.watcher!.post(`${path}/unfollow`))).body, /You were not following this report/);
    await moveByStaff(serviceDeps(t.db), { id: people.official!.id, ip: null }, town, (await findReport(t.db, town.id, r.number))!, 'fix', null);
    assert.equal(await told('watcher'), 1, 'no longer told');
    assert.equal((await c.watcher!.post('/en/zhovkva/reports/999/follow')).statusCode, 404);
  });

  test('merging a duplicate: its followers follow the original, its supporters support it', async () => {
    const original = await file('Lamp out, corner of Lvivska');
    const duplicate = await file('Lamp out on Lvivska again');
    await c.watcher!.post(`/en/zhovkva/reports/${duplicate.number}/follow`);
    assert.equal((await supportReport(serviceDeps(t.db), people.neighbour!.current, town, duplicate)).kind, 'supported');
    const closed = await closeReport(serviceDeps(t.db), { id: people.official!.id, ip: null }, town, (await findReport(t.db, town.id, duplicate.number))!, 'duplicate', original.number, null);
    assert.equal(closed.kind, 'done');
    const after = (await findReport(t.db, town.id, original.number))!;
    assert.equal(after.supporters, 1, 'the supporter, not the follower, counts as having the problem');
    const following = await t.db.selectFrom('report_followers').select('user_id').where('report_id', '=', after.id).execute();
    assert.deepEqual(following.map((f) => f.user_id), [people.watcher!.id]);
  });
});
