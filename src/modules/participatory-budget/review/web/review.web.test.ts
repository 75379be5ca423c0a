import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Municipality } from '../../../../db/schema.ts';
import { startTestApp, type FormFields, type TestApp, type TestClient } from '../../../../platform/testing/http.ts';
import { localDateTimeInput } from '../../../../platform/time/working-days.ts';
import type { Category, Cycle, Project } from '../../pb.tables.ts';
import { pbTown, resident, seedCycle, seedProject } from '../../testing.ts';
import { reviewDueAt } from '../review.deadline.ts';
import { findProject } from '../review.repo.ts';

const DAY = 86_400_000;
let t: TestApp;
let town: Municipality;
let other: Municipality;
let authorId: number;
let cycle: Cycle;
let small: Category;
const c: Record<string, TestClient> = {};
const STAFF = '/en/zhovkva/participatory-budget/staff';
const count = async (table: 'audit_log' | 'notifications' | 'pb_project_events') =>
  Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

/** A submitted project, due for review `dueInDays` from now. */
async function submitted(title: string, dueInDays = 5, m = town, category = small): Promise<Project> {
  const p = await seedProject(t.db, m, category, authorId, { status: 'submitted', title });
  const at = new Date(Date.now() - DAY);
  await t.db.updateTable('pb_projects').set({ submitted_at: at, review_due_at: new Date(Date.now() + dueInDays * DAY) }).where('id', '=', p.id).execute();
  return (await findProject(t.db, m.id, p.number))!;
}
const path = (p: Project) => `${STAFF}/projects/${p.number}/review`;
const version = (p: Project) => p.submitted_at!.getTime();
const status = async (p: Project) => (await findProject(t.db, town.id, p.number))!.status;

before(async () => {
  t = await startTestApp();
  town = await pbTown(t.db, 'zhovkva');
  other = await pbTown(t.db, 'sombor');
  for (const role of ['admin', 'official', 'moderator'] as const) await resident(t.db, `${role}@example.org`, town, { role });
  authorId = (await resident(t.db, 'author@example.org', town)).id;
  await resident(t.db, 'other-official@example.org', other, { role: 'official' });
  for (const who of ['admin', 'official', 'moderator', 'author', 'other-official']) c[who] = await t.signedIn(`${who}@example.org`, 'en');
  c.guest = t.client('en');
  ({ cycle, categories: [small] } = await seedCycle(t.db, town, { phase: 'review', revision: true }) as { cycle: Cycle; categories: [Category] });
});
after(() => t.close());

describe('the queue', () => {
  test('submitted projects by nearest deadline, overdue marked, filtered by cycle and department; officials only', async () => {
    const late = await submitted('Лавки в парку біля ставу', -1);
    const later = await submitted('Велодоріжка до школи', 7);
    const res = await c.official!.get(`${STAFF}/review`);
    assert.equal(res.statusCode, 200);
    assert.ok(res.body.indexOf(path(late)) > 0 && res.body.indexOf(path(late)) < res.body.indexOf(path(later)));
    assert.match(res.body, /Overdue/);
    assert.equal((await c.official!.get(`${STAFF}/review?cycle=${cycle.number}`)).statusCode, 200);
    const roads = await t.db.insertInto('departments').values({ municipality_id: town.id, slug: 'roads', names: JSON.stringify({ uk: 'Дороги', en: 'Roads' }) }).returning('id').executeTakeFirstOrThrow();
    await t.db.updateTable('pb_projects').set({ department_id: roads.id }).where('id', '=', later.id).execute();
    const filtered = (await c.official!.get(`${STAFF}/review?cycle=${cycle.number}&department=${roads.id}`)).body;
    assert.doesNotMatch(filtered, /Лавки в парку/);
    assert.match(filtered, /Велодоріжка до школи/);
    assert.equal((await c.official!.get(`${STAFF}/review?cycle=abc`)).statusCode, 400);
    assert.match((await c.official!.get(STAFF)).body, /2 projects are waiting for technical review/);
    for (const who of ['moderator', 'author', 'other-official']) assert.equal((await c[who]!.get(`${STAFF}/review`)).statusCode, 403, who);
    assert.match(String((await c.guest!.get(`${STAFF}/review`)).headers.location), /sign-in/);
  });
});

describe('deciding', () => {
  test('the page shows the project, its costs and the form; admitting is told, audited and on the timeline', async () => {
    const p = await submitted('Дитячий майданчик на Вокзальній');
    const page = await c.official!.get(path(p));
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Дитячий майданчик на Вокзальній/);
    assert.match(page.body, /Author’s total/);
    assert.match(page.body, /UAH\s10,000\.00/);
    assert.match(page.body, new RegExp(`name="version" value="${version(p)}"`));
    // The resubmission deadline starts at the cycle's end of revision.
    assert.match(page.body, new RegExp(`name="resubmitBy"[^>]*value="${localDateTimeInput(cycle.revision_closes!, town.time_zone)}"`));
    const before = [await count('audit_log'), await count('notifications'), await count('pb_project_events')];
    const res = await c.official!.post(path(p), { version: version(p), departmentCost: '12 000,50', decision: 'admitted' });
    assert.equal(res.statusCode, 303);
    assert.match((await c.official!.follow(res)).body, /is admitted to voting/);
    const after = (await findProject(t.db, town.id, p.number))!;
    assert.deepEqual([after.status, after.department_cost], ['admitted', 1_200_050]);
    assert.deepEqual([await count('audit_log'), await count('notifications'), await count('pb_project_events')], [before[0]! + 2, before[1]! + 1, before[2]! + 2]);
    const notice = await c.author!.get('/en/account/notifications');
    assert.match(notice.body, /is admitted to voting/);
    // The same form again: nothing changes, and the official is told why.
    const again = await c.official!.post(path(p), { version: version(p), decision: 'rejected', note: 'Не відповідає правилам.' });
    assert.match((await c.official!.follow(again)).body, /nothing was changed/);
    assert.equal(await status(p), 'admitted');
    assert.match((await c.official!.get(path(p))).body, /This project is not waiting for review \(its status: Admitted to voting\)/);
  });

  test('returning needs comments and a deadline in the future before voting; not admitting needs a reason', async () => {
    const p = await submitted('Освітлення на вулиці Садовій');
    const before = await count('audit_log');
    const cases: [FormFields, RegExp][] = [
      [{ decision: 'returned', resubmitBy: localDateTimeInput(new Date(Date.now() + DAY), town.time_zone) }, /Enter “Comments or reason”: say what the authors should revise/],
      [{ decision: 'rejected' }, /Enter “Comments or reason”: the reason is published with the decision/],
      [{ decision: 'returned', note: 'Уточніть кошторис.' }, /Enter “Resubmit by”: a returned project needs a deadline/],
      [{ decision: 'returned', note: 'Уточніть кошторис.', resubmitBy: localDateTimeInput(new Date(Date.now() - DAY), town.time_zone) }, /“Resubmit by” must be in the future/],
      [{ decision: 'returned', note: 'Уточніть кошторис.', resubmitBy: localDateTimeInput(new Date(cycle.voting_opens.getTime() + DAY), town.time_zone) }, /“Resubmit by” cannot be later than the opening of voting/],
      [{ departmentCost: 'дорого' }, /Enter “Department’s cost estimate” as an amount of money/],
      [{ departmentCost: '5 000 000', decision: 'admitted' }, /The cost that counts, UAH\s5,000,000\.00, is outside the category’s limits/],
      [{ departmentId: 999 }, /Choose one of the municipality’s departments for “Responsible department”/],
      [{ decision: 'maybe' }, /Choose one of the options for decision/],
    ];
    for (const [fields, message] of cases) {
      const res = await c.official!.post(path(p), { version: version(p), ...fields });
      assert.equal(res.statusCode, 400, String(message));
      assert.match(res.body, message);
    }
    assert.equal(await count('audit_log'), before);
    assert.equal(await status(p), 'submitted');
    const deadline = localDateTimeInput(new Date(Date.now() + 3 * DAY), town.time_zone);
    assert.equal((await c.official!.post(path(p), { version: version(p), decision: 'returned', note: 'Уточніть кошторис робіт.', resubmitBy: deadline })).statusCode, 303);
    const returned = (await findProject(t.db, town.id, p.number))!;
    assert.deepEqual([returned.status, localDateTimeInput(returned.resubmit_by!, town.time_zone)], ['returned', deadline]);
    const q = await submitted('Сміттєві баки біля ринку');
    assert.equal((await c.official!.post(path(q), { version: version(q), decision: 'rejected', note: 'Ділянка не належить громаді.' })).statusCode, 303);
    assert.deepEqual([await status(q), (await findProject(t.db, town.id, q.number))!.decision_note], ['rejected', 'Ділянка не належить громаді.']);
  });

  test('only officials and administrators review; another municipality’s project is not found', async () => {
    const p = await submitted('Зупинка громадського транспорту');
    const before = await count('audit_log');
    for (const who of ['moderator', 'author', 'other-official']) {
      assert.equal((await c[who]!.post(path(p), { version: version(p), decision: 'admitted' })).statusCode, 403, who);
      assert.equal((await c[who]!.get(path(p))).statusCode, 403, who);
    }
    assert.match(String((await c.guest!.post(path(p), { version: version(p), decision: 'admitted' })).headers.location ?? ''), /sign-in/);
    assert.equal(await count('audit_log'), before);
    assert.equal(await status(p), 'submitted');
    const { categories } = await seedCycle(t.db, other, { phase: 'review' });
    const theirs = await submitted('Їхній проєкт у Сомборі', 3, other, categories[0]!);
    const mine = (await t.db.selectFrom('pb_projects').select((eb) => eb.fn.max('number').as('n')).where('municipality_id', '=', town.id).executeTakeFirstOrThrow()).n;
    assert.equal((await c.official!.get(`${STAFF}/projects/${Number(mine) + theirs.number + 10}/review`)).statusCode, 404);
    assert.equal((await c.admin!.post(`${STAFF}/projects/${Number(mine) + 10}/review`, { version: 1, decision: 'admitted' })).statusCode, 404);
    assert.equal((await c.admin!.post(path(p), { version: version(p), decision: 'admitted' })).statusCode, 303, 'administrators review too');
  });

  test('a decision after the first ballot is refused with its reason', async () => {
    const { cycle: voting, categories } = await seedCycle(t.db, town, { phase: 'review' });
    const p = await submitted('Пандус біля бібліотеки', 3, town, categories[0]!);
    await t.db.insertInto('pb_ballots').values({ municipality_id: town.id, cycle_id: voting.id, channel: 'online', voter: '0'.repeat(64), choices: [1] }).execute();
    const res = await c.official!.post(path(p), { version: version(p), decision: 'admitted' });
    assert.equal(res.statusCode, 303);
    assert.match((await c.official!.follow(res)).body, /Ballots have been cast since .*: the cycle’s projects and their costs can no longer change/);
    assert.equal(await status(p), 'submitted');
  });

  test('the deadline the projects part sets counts working days in the municipality’s time zone', () => {
    // Submitted on Friday 2027-03-05 at 17:00 in Kyiv: ten working days later is the end of Friday 2027-03-19.
    assert.equal(reviewDueAt(cycle, new Date('2027-03-05T15:00:00Z'), town.time_zone).toISOString(), '2027-03-19T21:59:59.999Z');
  });

  test('pages render in all five languages', async () => {
    const p = await submitted('Сквер на площі');
    for (const locale of ['uk', 'sr-Cyrl', 'sr-Latn', 'pl', 'en']) {
      for (const url of [`/${locale}/zhovkva/participatory-budget/staff/review`, `/${locale}/zhovkva/participatory-budget/staff/projects/${p.number}/review`]) {
        assert.equal((await c.official!.get(url)).statusCode, 200, url);
      }
    }
  });
});
