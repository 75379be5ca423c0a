import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Municipality } from '../../../db/schema.ts';
import { outboxLink, startTestApp, type TestApp } from '../../../platform/testing/http.ts';
import { forgetExpiredPending } from '../report.guests.repo.ts';
import { reportCategory, reportTown, resident, ZHOVKVA } from '../testing.ts';

let t: TestApp;
let town: Municipality;
const count = async (table: 'reports' | 'report_pending') => Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
const form = (over: Record<string, string> = {}) => ({
  category: 'potholes', title: 'Pothole by the school', description: 'Deep.', lat: String(ZHOVKVA.lat), lng: String(ZHOVKVA.lng), q_depth: '10',
  fullName: 'Olena Guest', email: 'olena@example.org', ...over,
});
const link = (to: string) => outboxLink(t, to, /http\S+\/reports\/confirm\?token=\S+/);

before(async () => {
  t = await startTestApp();
  town = await reportTown(t.db, 'zhovkva', { guests: 'email' });
  await reportCategory(t.db, town, 'potholes', { questions: [{ key: 'depth', kind: 'number', required: true, labels: { uk: 'Глибина, см', en: 'Depth (cm)' } }] });
  await reportCategory(t.db, await reportTown(t.db, 'closed-town', { guests: 'no' }), 'potholes');
  await reportCategory(t.db, await reportTown(t.db, 'strict-town', { guests: 'email', reportLevel: 'identity' }), 'potholes');
  await resident(t.db, 'known@example.org', town, { fullName: 'Known Resident' });
});
after(() => t.close());

describe('reports from guests', () => {
  test('where guests are welcome the form asks who they are; elsewhere they sign in first', async () => {
    const page = await t.client('en').get('/en/zhovkva/reports/new?category=potholes');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /name="fullName"/);
    assert.match(page.body, /name="email"/);
    for (const slug of ['closed-town', 'strict-town']) {
      const c = t.client('en');
      assert.match(String((await c.get(`/en/${slug}/reports/new?category=potholes`)).headers.location), /sign-in/);
      const post = await c.post(`/en/${slug}/reports/new`, form());
      assert.match(String(post.headers.location), /sign-in/);
    }
    assert.equal(await count('report_pending'), 0);
  });

  test('bad input names the field in the reader’s language and neither keeps nor mails anything', async () => {
    const c = t.client('uk');
    const missing = await c.post('/uk/zhovkva/reports/new', form({ fullName: '', email: '' }));
    assert.equal(missing.statusCode, 400);
    assert.match(missing.body, /href="#f-fullName"/);
    assert.match(missing.body, /href="#f-email"/);
    assert.match(missing.body, /Уведіть вашу електронну адресу/);
    const badEmail = await c.post('/uk/zhovkva/reports/new', form({ email: 'not-an-address' }));
    assert.match(badEmail.body, /href="#f-email"/);
    const badAnswer = await c.post('/uk/zhovkva/reports/new', form({ q_depth: 'deep' }));
    assert.match(badAnswer.body, /href="#f-q_depth"/);
    const outside = await c.post('/uk/zhovkva/reports/new', form({ lat: '51.5', lng: '25' }));
    assert.match(outside.body, /href="#f-lat"/);
    assert.equal(await count('report_pending'), 0);
    assert.equal(Number((await t.db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', '=', 'mail.send').executeTakeFirstOrThrow()).n), 0);
  });

  test('the mailed link shows the report; its button files it once, opens the account and signs the guest in', async () => {
    const c = t.client('en');
    const sent = await c.post('/en/zhovkva/reports/new', form());
    assert.equal(sent.statusCode, 303);
    assert.equal(sent.headers.location, '/en/zhovkva/reports');
    assert.match((await c.follow(sent)).body, /we sent a link to olena@example\.org/);
    assert.equal(await count('reports'), 0, 'nothing is filed before the link is followed');
    const path = await link('olena@example.org');
    const reader = t.client('en');
    const shown = await reader.get(path);
    assert.equal(shown.statusCode, 200);
    assert.match(shown.body, /Pothole by the school/);
    assert.equal(await count('reports'), 0, 'opening the link files nothing (mail scanners open links)');
    const token = new URL(path, 'http://x').searchParams.get('token')!;
    const forged = await reader.post('/en/zhovkva/reports/confirm', { token, _csrf: 'forged' });
    assert.equal(forged.statusCode, 403);
    const filed = await reader.post('/en/zhovkva/reports/confirm', { token });
    assert.equal(filed.statusCode, 303);
    assert.match(String(filed.headers.location), /^\/en\/zhovkva\/reports\/\d+$/);
    const again = await reader.post('/en/zhovkva/reports/confirm', { token });
    assert.equal(again.headers.location, filed.headers.location, 'a second click goes to the same report');
    assert.equal((await reader.get(path)).headers.location, filed.headers.location);
    assert.equal(await count('reports'), 1);
    const user = await t.db.selectFrom('users').select(['id', 'full_name', 'email_verified_at', 'password_hash']).where('email', '=', 'olena@example.org').executeTakeFirstOrThrow();
    assert.equal(user.full_name, 'Olena Guest');
    assert.ok(user.email_verified_at);
    assert.equal(user.password_hash, null);
    const report = await t.db.selectFrom('reports').select(['author_id', 'title']).executeTakeFirstOrThrow();
    assert.equal(report.author_id, user.id);
    const page = await reader.follow(filed);
    assert.match(page.body, /Your report No\. \d+ has been sent/);
    assert.match((await reader.get('/en/account')).body, /Olena Guest/, 'the guest is signed in');
  });

  test('an address that already has an account files under it; links that do not work say so', async () => {
    const c = t.client('en');
    await c.post('/en/zhovkva/reports/new', form({ email: 'KNOWN@example.org', fullName: 'Someone Else', lat: String(ZHOVKVA.lat + 0.01) }));
    const path = await link('known@example.org');
    const token = new URL(path, 'http://x').searchParams.get('token')!;
    assert.equal((await c.post('/en/zhovkva/reports/confirm', { token })).statusCode, 303);
    const known = await t.db.selectFrom('users').select(['id', 'full_name']).where('email', '=', 'known@example.org').executeTakeFirstOrThrow();
    assert.equal(known.full_name, 'Known Resident', 'the account keeps its name');
    assert.equal((await t.db.selectFrom('reports').select('author_id').orderBy('id', 'desc').executeTakeFirstOrThrow()).author_id, known.id);
    assert.equal((await c.get('/en/zhovkva/reports/confirm?token=nonsense-nonsense-nonsense')).statusCode, 404);
    assert.equal((await c.post('/en/zhovkva/reports/confirm', { token: 'nonsense-nonsense-nonsense' })).statusCode, 404);
    assert.equal((await c.get(`/en/closed-town/reports/confirm?token=${token}`)).statusCode, 404, 'a link works only in its municipality');
  });

  test('a report whose category was retired before the link is followed is not filed; expired links are forgotten', async () => {
    const c = t.client('en');
    await c.post('/en/zhovkva/reports/new', form({ email: 'late@example.org', lat: String(ZHOVKVA.lat - 0.01) }));
    const token = new URL(await link('late@example.org'), 'http://x').searchParams.get('token')!;
    await t.db.updateTable('report_categories').set({ active: false }).where('municipality_id', '=', town.id).execute();
    const before = await count('reports');
    const refused = await c.post('/en/zhovkva/reports/confirm', { token });
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /report the problem again/);
    assert.equal(await count('reports'), before);
    await t.db.updateTable('report_categories').set({ active: true }).where('municipality_id', '=', town.id).execute();
    await t.db.updateTable('report_pending').set({ expires_at: new Date(Date.now() - 1000) }).execute();
    assert.equal((await c.post('/en/zhovkva/reports/confirm', { token })).statusCode, 404);
    assert.equal(await forgetExpiredPending(t.db), 3);
    assert.equal(await count('report_pending'), 0);
  });
});

describe('report first, confirm by e-mail', () => {
  test('guests are welcome by default, and the form asks who they are before whether to show their name', async () => {
    await reportCategory(t.db, await reportTown(t.db, 'default-town'), 'potholes');
    const page = await t.client('en').get('/en/default-town/reports/new?category=potholes');
    assert.equal(page.statusCode, 200);
    const about = page.body.indexOf('<legend>About you</legend>');
    assert.ok(about > 0 && about < page.body.indexOf('name="showName"'), '"About you" comes before "Show my name"');
  });

  test('the sign-in page says why and for which municipality, and offers the guest route only where guests may report', async () => {
    const c = t.client('en');
    const sent = await c.get('/en/closed-town/reports/new?category=potholes');
    assert.match(String(sent.headers.location), /^\/en\/account\/sign-in\?next=[^&]+&reason=reports\.new$/);
    const closed = await c.get(String(sent.headers.location));
    assert.match(closed.body, /Sign in to report a problem to Closed-town\./);
    assert.doesNotMatch(closed.body, /Report the problem without one/);

    const form = await c.get('/en/zhovkva/reports/new?category=potholes');
    const signIn = /href="(\/en\/account\/sign-in\?next=[^"]+reason=reports\.new)"/.exec(form.body)![1]!.replaceAll('&amp;', '&');
    const open = await c.get(signIn);
    assert.match(open.body, /Sign in to report a problem to Zhovkva\./);
    assert.match(open.body, /<a href="\/en\/zhovkva\/reports\/new\?category=potholes">No account\? Report the problem without one/);
    const failed = await c.post(signIn.replace(/\?next=[^&]+&/, '?'), { email: 'known@example.org', password: 'wrong password', next: '/en/zhovkva/reports/new?category=potholes' });
    assert.match(failed.body, /Sign in to report a problem to Zhovkva\./, 'the reason stays after a failed attempt');
  });
});
