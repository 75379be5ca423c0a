import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Municipality } from '../../../db/schema.ts';
import { postAtOnce } from '../../../platform/idempotency/testing.ts';
import { startTestApp, type TestApp, type TestClient } from '../../../platform/testing/http.ts';
import { TEST_PASSWORD } from '../../../platform/testing/people.ts';
import { reportCategory, reportTown, resident, ZHOVKVA } from '../testing.ts';

let t: TestApp;
let town: Municipality;
let reporter: TestClient;
const count = async (table: 'reports' | 'report_pending' | 'outbox' | 'jobs') => Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
const form = (over: Record<string, string> = {}) => ({ category: 'potholes', title: 'Вибоїна біля школи', description: 'Глибока.', lat: String(ZHOVKVA.lat), lng: String(ZHOVKVA.lng), ...over });
const page = '/uk/zhovkva/reports/new?category=potholes';
const url = '/uk/zhovkva/reports/new';

before(async () => {
  t = await startTestApp();
  town = await reportTown(t.db, 'zhovkva', { guests: 'email' });
  await reportCategory(t.db, town, 'potholes');
  await resident(t.db, 'reporter@example.org', town);
  reporter = t.client('uk');
  await reporter.signIn('reporter@example.org', TEST_PASSWORD);
});
after(() => t.close());

describe(`one report however often the form is sent (${process.env.TEST_DB ?? 'pglite'})`, () => {
  test('20 identical POSTs at once make one report, and every one is sent to it', async () => {
    const before = await count('reports');
    const answers = await postAtOnce(reporter, page, url, form());
    assert.deepEqual(answers.map((r) => r.statusCode), Array(20).fill(303));
    assert.equal(await count('reports'), before + 1);
    const to = new Set(answers.map((r) => r.headers.location));
    assert.equal(to.size, 1, 'the same answer to each');
    assert.match([...to][0] as string, /^\/uk\/zhovkva\/reports\/\d+$/);
    // A new rendering of the form is a new key: a second, deliberate report is filed.
    await postAtOnce(reporter, page, url, form({ title: 'Ще одна вибоїна', confirmNew: 'yes' }), 1);
    assert.equal(await count('reports'), before + 2);
  });

  test('after "file it anyway" next to a report nearby, 20 POSTs at once still make one', async () => {
    const before = await count('reports');
    const nearby = await postAtOnce(reporter, page, url, form({ title: 'Та сама вибоїна' }), 1);
    assert.equal(nearby[0]!.statusCode, 200);
    assert.match(nearby[0]!.body, /name="confirmNew"/);
    assert.equal(await count('reports'), before, 'nothing filed yet');
    const key = /name="_once" value="([^"]+)"/.exec(nearby[0]!.body)?.[1];
    assert.ok(key, 'the nearby page sends the form’s key back');
    const payload = new URLSearchParams({ _csrf: reporter.csrfToken!, _once: key, ...form({ title: 'Та сама вибоїна' }), confirmNew: 'yes' }).toString();
    const answers = await Promise.all(Array.from({ length: 20 }, () =>
      reporter.request('POST', url, { payload, headers: { 'content-type': 'application/x-www-form-urlencoded' } })));
    assert.deepEqual(answers.map((r) => r.statusCode), Array(20).fill(303));
    assert.equal(new Set(answers.map((r) => r.headers.location)).size, 1);
    assert.equal(await count('reports'), before + 1);
  });

  test('a corrected form with the same key files its report: a refusal claims nothing', async () => {
    const before = await count('reports');
    const html = (await reporter.get(page)).body;
    const key = /name="_once" value="([^"]+)"/.exec(html)![1]!;
    const send = (over: Record<string, string>) => reporter.post(url, { _once: key, ...form(over), confirmNew: 'yes' });
    assert.equal((await send({ lat: '50.9', lng: '25.9' })).statusCode, 400, 'outside the municipality');
    const ok = await send({ title: 'Виправлена вибоїна' });
    assert.equal(ok.statusCode, 303);
    assert.equal((await send({ title: 'Виправлена вибоїна' })).headers.location, ok.headers.location, 'a retry gets the same answer');
    assert.equal(await count('reports'), before + 1);
  });

  test('a guest sending the form 20 times at once is mailed one link', async () => {
    const guest = t.client('uk');
    const [pending, jobs] = [await count('report_pending'), await count('jobs')];
    const answers = await postAtOnce(guest, page, url, form({ title: 'Вибоїна від гостя', fullName: 'Олена Гостя', email: 'olena@example.org', confirmNew: 'yes' }));
    assert.deepEqual(answers.map((r) => r.statusCode), Array(20).fill(303));
    assert.equal(await count('report_pending'), pending + 1);
    assert.equal(await count('jobs'), jobs + 1, 'one confirmation mail queued');
  });
});
