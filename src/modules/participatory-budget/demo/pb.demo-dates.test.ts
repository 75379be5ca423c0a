import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../../platform/testing/db.ts';
import { serviceDeps } from '../../../platform/testing/people.ts';
import { localDate } from '../../../platform/time/working-days.ts';
import type { Cycle } from '../pb.tables.ts';
import { reviewDueAt } from '../review/review.deadline.ts';
import { demoTowns, type DemoTown } from './demo.testing.ts';
import { pbDemo } from './pb.demo.ts';

let database: TestDatabase;
let towns: DemoTown[];
let now: number;
const ms = (d: Date | string | null) => (d === null ? null : new Date(d).getTime());

before(async () => {
  database = await createTestDatabase();
  towns = await demoTowns(database.db);
  for (const { m, people } of towns) await pbDemo(serviceDeps(database.db), m, people);
  now = Date.now();
});
after(() => database.cleanup());

const cyclesOf = (municipalityId: number) =>
  database.db.selectFrom('pb_cycles').selectAll().where('municipality_id', '=', municipalityId).orderBy('number').execute() as Promise<Cycle[]>;

/**
 * The demo keeps the rules each page states: a cycle is announced before submission opens, projects are written and
 * submitted while it is open and decided within their review deadline and before voting, ballots are cast while
 * voting is open, results come after it closed, and the winners are built after implementation opened.
 */
test('demo cycles keep their own calendar: publication, submission, review, voting, results', async () => {
  const db = database.db;
  for (const { m } of towns) {
    for (const c of await cyclesOf(m.id)) {
      const at = `${m.slug} cycle ${c.number}`;
      assert.ok(ms(c.created_at)! < ms(c.published_at)! && ms(c.published_at)! < ms(c.submission_opens)!, `${at}: made, then announced before submission`);
      const projects = await db.selectFrom('pb_projects').selectAll().where('cycle_id', '=', c.id).execute();
      for (const p of projects) {
        const where = `${at}, project ${p.number} (${p.status})`;
        assert.ok(ms(p.created_at)! >= ms(c.submission_opens)! && ms(p.created_at)! < Math.min(ms(c.submission_closes)!, now), `${where}: written while submission was open`);
        if (p.status === 'draft') continue;
        assert.ok(ms(p.submitted_at)! > ms(p.created_at)! && ms(p.submitted_at)! < ms(c.submission_closes)!, `${where}: submitted in time`);
        if (p.status === 'submitted') {
          assert.ok(ms(p.review_due_at)! > now, `${where}: still waiting, but not overdue`);
          assert.equal(ms(p.review_due_at), ms(reviewDueAt(c, p.submitted_at!, m.time_zone)), `${where}: review due by the cycle's working days`);
          continue;
        }
        assert.ok(ms(p.decided_at)! >= ms(c.submission_closes)! && ms(p.decided_at)! < ms(c.voting_opens)! && ms(p.decided_at)! < now, `${where}: decided in review`);
        assert.ok(ms(p.decided_at)! <= ms(p.review_due_at)!, `${where}: decided within the review deadline`);
        if (p.status === 'returned') assert.ok(ms(p.resubmit_by)! > now && ms(p.resubmit_by)! <= ms(c.voting_opens)!, `${where}: may still be resubmitted`);
      }
      const ballots = await db.selectFrom('pb_ballots').select('cast_at').where('cycle_id', '=', c.id).execute();
      assert.ok(ballots.every((b) => ms(b.cast_at)! >= ms(c.voting_opens)! && ms(b.cast_at)! < Math.min(ms(c.voting_closes)!, now)), `${at}: ballots while voting was open`);
      if (c.results_published_at) assert.ok(ms(c.results_published_at)! > ms(c.voting_closes)! && ms(c.results_published_at)! < now, `${at}: results after voting`);
    }
  }
});

test('implementation happens after it opened and before now, and milestones are reached on days past', async () => {
  const db = database.db;
  for (const { m } of towns) {
    const today = localDate(new Date(now), m.time_zone);
    for (const c of await cyclesOf(m.id)) {
      const events = await db.selectFrom('pb_project_events as e').innerJoin('pb_projects as p', 'p.id', 'e.project_id')
        .select(['e.kind', 'e.created_at']).where('p.cycle_id', '=', c.id).execute();
      for (const e of events) {
        if (e.kind.startsWith('implementation')) assert.ok(ms(e.created_at)! >= ms(c.implementation_opens)!, `${m.slug} ${c.number}: ${e.kind} after implementation opened`);
        if (e.kind === 'funded' || e.kind === 'not_funded') assert.equal(ms(e.created_at), ms(c.results_published_at), `${m.slug} ${c.number}: ${e.kind} when results were published`);
      }
      const updates = await db.selectFrom('pb_updates as u').innerJoin('pb_projects as p', 'p.id', 'u.project_id').select('u.created_at').where('p.cycle_id', '=', c.id).execute();
      assert.ok(updates.every((u) => ms(u.created_at)! >= ms(c.implementation_opens)! && ms(u.created_at)! < now));
      const milestones = await db.selectFrom('pb_milestones as x').innerJoin('pb_projects as p', 'p.id', 'x.project_id').select(['x.done_on']).where('p.cycle_id', '=', c.id).execute();
      assert.ok(milestones.every((x) => x.done_on === null || x.done_on <= today), `${m.slug} ${c.number}: milestones reached by today`);
    }
  }
});

test('every timeline reads in time order, and nothing happens in the future', async () => {
  const events = await database.db.selectFrom('pb_project_events').select(['project_id', 'kind', 'created_at']).orderBy('project_id').orderBy('id').execute();
  assert.ok(events.length > 0);
  const last = new Map<number, number>();
  for (const e of events) {
    const at = ms(e.created_at)!;
    assert.ok(at < now, `${e.kind} of project ${e.project_id} in the past`);
    assert.ok(at >= (last.get(e.project_id) ?? 0), `${e.kind} of project ${e.project_id} after the event before it`);
    last.set(e.project_id, at);
  }
});
