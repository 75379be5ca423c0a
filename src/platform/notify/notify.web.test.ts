import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createUser, startTestApp, type TestApp } from '../testing/http.ts';
import { insertNotification, preferencesOf, unreadCount } from './notify.repo.ts';
import { notify } from './notify.service.ts';

describe('notification pages', () => {
  let t: TestApp;
  let userId: number;

  before(async () => {
    t = await startTestApp();
    ({ id: userId } = await createUser(t.db, { email: 'olena@example.org', password: 'correct horse battery', fullName: 'Олена Коваль' }));
  });
  after(() => t?.close());

  test('sends a visitor who is not signed in to sign in', async () => {
    const res = await t.client().get('/uk/account/notifications');
    assert.equal(res.statusCode, 303);
    assert.match(String(res.headers.location), /^\/uk\/account\/sign-in\?next=%2Fuk%2Faccount%2Fnotifications/);
  });

  test('shows an empty state when there is nothing', async () => {
    const c = t.client('en');
    await c.signIn('olena@example.org', 'correct horse battery');
    const res = await c.get('/en/account/notifications');
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /You have no notifications yet/);
    assert.doesNotMatch(res.body, /Mark all as read/);
  });

  test('lists a notification, linked and marked unread, then marks everything read', async () => {
    await insertNotification(t.db, { userId, municipalityId: null, kind: 'account.security', params: {}, link: '/account' });
    const c = t.client('en');
    await c.signIn('olena@example.org', 'correct horse battery');

    const list = await c.get('/en/account/notifications');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /<a href="\/en\/account">Security notice about your account<\/a>/);
    assert.match(list.body, /class="tag tag--info">New</);
    assert.match(list.body, /1 unread notification/);
    assert.equal(await unreadCount(t.db, userId), 1);

    const read = await c.post('/en/account/notifications/read');
    assert.equal(read.statusCode, 303);
    assert.equal(read.headers.location, '/en/account/notifications');
    assert.equal(await unreadCount(t.db, userId), 0);

    const after = await c.follow(read);
    assert.match(after.body, /All notifications are marked as read\./);
    assert.match(after.body, /Security notice about your account/);
    assert.doesNotMatch(after.body, /class="tag tag--info">New</);
  });

  test('pages the list 20 at a time, newest first', async () => {
    const { id } = await createUser(t.db, { email: 'many@example.org', password: 'correct horse battery' });
    for (let i = 0; i < 25; i++) {
      await insertNotification(t.db, { userId: id, municipalityId: null, kind: 'account.security', params: {}, link: `/n/${i}` });
    }
    const c = t.client('uk');
    await c.signIn('many@example.org', 'correct horse battery');
    const first = await c.get('/uk/account/notifications');
    assert.equal((first.body.match(/<li class="notification/g) ?? []).length, 20);
    assert.match(first.body, /href="\/uk\/n\/24"/);
    assert.doesNotMatch(first.body, /href="\/uk\/n\/4"/);
    assert.match(first.body, /href="\/uk\/account\/notifications\?page=2" rel="next"/);
    assert.match(first.body, /25 непрочитаних сповіщень/);
    const second = await c.get('/uk/account/notifications?page=2');
    assert.equal((second.body.match(/<li class="notification/g) ?? []).length, 5);
    assert.match(second.body, /href="\/uk\/n\/0"/);
    // A page past the end shows the last page rather than nothing.
    const beyond = await c.get('/uk/account/notifications?page=99');
    assert.match(beyond.body, /href="\/uk\/n\/0"/);
  });

  test('settings: every kind has two boxes, on by default; saving turns them off and on', async () => {
    const c = t.client('en');
    await c.signIn('olena@example.org', 'correct horse battery');
    const page = await c.get('/en/account/notifications/settings');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<legend class="field__label">Security of your account/);
    assert.match(page.body, /<input type="checkbox" id="f-account-security-inApp" name="inApp" value="account.security" checked/);
    assert.match(page.body, /<input type="checkbox" id="f-account-security-email" name="email" value="account.security" checked/);

    const saved = await c.post('/en/account/notifications/settings', { inApp: ['account.security', 'no.such.kind'] });
    assert.equal(saved.statusCode, 303);
    assert.deepEqual((await preferencesOf(t.db, userId)).filter((p) => p.kind === 'account.security'), [{ kind: 'account.security', email: false, in_app: true }]);
    const again = await c.follow(saved);
    assert.match(again.body, /Your notification settings are saved\./);
    assert.match(again.body, /name="inApp" value="account.security" checked/);
    assert.doesNotMatch(again.body, /name="email" value="account.security" checked/);

    // The saved choice is what notify() obeys: no e-mail job is queued any more.
    const jobsBefore = await t.db.selectFrom('jobs').select('id').where('kind', '=', 'notify.email').execute();
    await notify(t.db, { userId, municipalityId: null, kind: 'account.security', params: {}, link: null });
    const jobsAfter = await t.db.selectFrom('jobs').select('id').where('kind', '=', 'notify.email').execute();
    assert.equal(jobsAfter.length, jobsBefore.length);

    await c.post('/en/account/notifications/settings', { inApp: 'account.security', email: 'account.security' });
    assert.deepEqual((await preferencesOf(t.db, userId)).filter((p) => p.kind === 'account.security'), [{ kind: 'account.security', email: true, in_app: true }]);
  });

  test('a form post without the CSRF token is refused and changes nothing', async () => {
    const c = t.client('en');
    await c.signIn('olena@example.org', 'correct horse battery');
    await insertNotification(t.db, { userId, municipalityId: null, kind: 'account.security', params: {}, link: null });
    const unread = await unreadCount(t.db, userId);
    assert.ok(unread > 0);
    const res = await c.post('/en/account/notifications/read', {}, { noCsrf: true });
    assert.equal(res.statusCode, 403);
    assert.equal(await unreadCount(t.db, userId), unread);
    const forged = await c.post('/en/account/notifications/settings', { _csrf: 'forged-token' });
    assert.equal(forged.statusCode, 403);
    assert.deepEqual((await preferencesOf(t.db, userId)).filter((p) => p.kind === 'account.security'), [{ kind: 'account.security', email: true, in_app: true }]);
  });
});
