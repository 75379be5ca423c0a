import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { audit } from '../audit/audit.ts';
import { enqueue } from '../jobs/queue.ts';
import { createMunicipality, createUser, startTestApp, type TestApp, type TestClient } from '../testing/http.ts';
import { linkify } from './operator.web.tsx';

const PASSWORD = 'correct horse battery';

async function deadJob(t: TestApp, kind: string): Promise<number> {
  await enqueue(t.db, kind, {}, { maxAttempts: 1 });
  await t.built.worker.tick(); // no handler for the kind: it fails once and, with one attempt allowed, dies
  const row = await t.db.selectFrom('jobs').select(['id', 'state']).where('kind', '=', kind).executeTakeFirstOrThrow();
  assert.equal(row.state, 'dead');
  return row.id;
}

const jobState = (t: TestApp, id: number) =>
  t.db.selectFrom('jobs').select(['state', 'attempts']).where('id', '=', id).executeTakeFirstOrThrow();

/** Marks a test as known to fail on PGlite (see the test), and as a plain test on PostgreSQL. */
describe('operator pages', () => {
  let t: TestApp;
  let operator: TestClient;
  let resident: TestClient;
  let operatorId: number;

  before(async () => {
    t = await startTestApp();
    const m = await createMunicipality(t.db, { slug: 'zhovkva' });
    ({ id: operatorId } = await createUser(t.db, { email: 'ops@example.org', password: PASSWORD, fullName: 'Operator', platformRole: 'platform_admin' }));
    await createUser(t.db, { email: 'resident@example.org', password: PASSWORD, fullName: 'Resident' });
    await createUser(t.db, { email: 'mayor@example.org', password: PASSWORD, fullName: 'Mayor', roles: [{ municipalityId: m.id, role: 'admin' }] });
    operator = t.client('en');
    await operator.signIn('ops@example.org', PASSWORD);
    resident = t.client('en');
    await resident.signIn('resident@example.org', PASSWORD);
  });
  after(() => t?.close());

  test('anonymous visitors are sent to sign in', async () => {
    for (const url of ['/en/admin/jobs', '/en/admin/audit']) {
      const res = await t.client().get(url);
      assert.equal(res.statusCode, 303, url);
      assert.match(String(res.headers.location), /^\/en\/account\/sign-in\?next=/);
    }
  });

  test('a resident and a municipal admin get 403 on the jobs and audit pages', async () => {
    const mayor = t.client('en');
    await mayor.signIn('mayor@example.org', PASSWORD);
    for (const c of [resident, mayor]) {
      for (const url of ['/en/admin/jobs', '/en/admin/jobs?state=queued', '/en/admin/audit']) {
        const res = await c.get(url);
        assert.equal(res.statusCode, 403, url);
        assert.doesNotMatch(res.body, /Background jobs|Audit log entries/);
      }
    }
  });

  test('a resident cannot retry a dead job, even with a valid CSRF token', async () => {
    const id = await deadJob(t, 'test.resident-retry');
    const res = await resident.post(`/en/admin/jobs/${id}/retry`);
    assert.equal(res.statusCode, 403);
    assert.deepEqual(await jobState(t, id), { state: 'dead', attempts: 1 });
    const audited = await t.db.selectFrom('audit_log').select('id').where('action', '=', 'job.retry').execute();
    assert.equal(audited.length, 0);
  });

  test('an operator sees dead jobs with their error and retries one', async () => {
    const id = await deadJob(t, 'test.operator-retry');
    const page = await operator.get('/en/admin/jobs');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<code>test\.operator-retry<\/code>/);
    assert.match(page.body, /1 of 1/);
    assert.match(page.body, /<span class="job__error">No handler for job kind test\.operator-retry<\/span>/);
    assert.match(page.body, /<details><summary>Full error<\/summary><pre class="job__trace">No handler for job kind test\.operator-retry\n/);
    assert.match(page.body, new RegExp(`action="/en/admin/jobs/${id}/retry"`));
    assert.match(page.body, /href="\/en\/admin\/jobs\?state=queued"/);

    const res = await operator.post(`/en/admin/jobs/${id}/retry`);
    assert.equal(res.statusCode, 303);
    assert.equal(res.headers.location, '/en/admin/jobs?state=dead');
    assert.deepEqual(await jobState(t, id), { state: 'queued', attempts: 0 });

    const queued = await operator.get('/en/admin/jobs?state=queued');
    assert.match(queued.body, /<code>test\.operator-retry<\/code>/);
    assert.doesNotMatch(queued.body, /\/retry"/);

    // A job that is no longer dead, or does not exist, cannot be retried.
    const again = await operator.post(`/en/admin/jobs/${id}/retry`);
    assert.equal(again.statusCode, 303);
    assert.match((await operator.follow(again)).body, /cannot be retried/);
    assert.deepEqual(await jobState(t, id), { state: 'queued', attempts: 0 });
    // A path that names no job at all is refused by the route's schema: 404, as for any path that names nothing.
    const missing = await operator.post('/en/admin/jobs/not-a-number/retry');
    assert.equal(missing.statusCode, 404);
  });

  // Needs retryJob's "was it dead?" answer, i.e. UPDATE row counts, which PGlite does not report through
  // kysely-pglite (numUpdatedRows is always 0) until src/db/database.ts maps PGlite's affectedRows.
  test('a retry is confirmed and audited', async () => {
    const id = await deadJob(t, 'test.audited-retry');
    const res = await operator.post(`/en/admin/jobs/${id}/retry`);
    assert.equal(res.statusCode, 303);
    assert.match((await operator.follow(res)).body, new RegExp(`Job ${id} is queued again\\.`));
    const entry = await t.db.selectFrom('audit_log').select(['actor_id', 'subject_id'])
      .where('action', '=', 'job.retry').where('subject_id', '=', String(id)).executeTakeFirst();
    assert.deepEqual(entry, { actor_id: operatorId, subject_id: String(id) });
  });

  test('the retry form without a CSRF token is refused', async () => {
    const id = await deadJob(t, 'test.csrf');
    const res = await operator.post(`/en/admin/jobs/${id}/retry`, {}, { noCsrf: true });
    assert.equal(res.statusCode, 403);
    assert.deepEqual(await jobState(t, id), { state: 'dead', attempts: 1 });
  });

  test('the audit log shows every municipality, newest first, with before and after', async () => {
    const m = await createMunicipality(t.db, { slug: 'lviv' });
    await audit(t.db, { municipalityId: m.id, actorId: operatorId, action: 'municipality.update', subjectType: 'municipality', subjectId: m.id,
      before: { population: 10000 }, after: { population: 12500, names: { uk: 'Львів <b>' } } });
    await audit(t.db, { municipalityId: null, actorId: null, action: 'platform.cleanup', subjectType: 'platform', subjectId: null });
    const page = await operator.get('/en/admin/audit');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Changed the municipality's settings/);
    assert.match(page.body, /municipality #\d+ “Lviv”/);
    assert.match(page.body, /<td>(<span lang="uk">)?Operator(<\/span>)?<\/td>/);
    assert.match(page.body, /The platform \(automatic\)/);
    assert.match(page.body, /<code>\{&quot;population&quot;:10000\}<\/code>/);
    assert.match(page.body, /Львів &lt;b>/);
    assert.ok(page.body.indexOf('platform.cleanup') < page.body.indexOf('Changed the municipality'), 'newest first');
  });

  test('the development outbox shows an operator a queued mail after the worker ran, with a link to follow', async () => {
    const visitor = t.client('en');
    await visitor.get('/en/account/register');
    const reg = await visitor.post('/en/account/register', { fullName: 'New Person', email: 'new@example.org', password: PASSWORD });
    assert.equal(reg.statusCode, 303);

    const before = await operator.get('/en/dev/outbox?to=new@example.org');
    assert.doesNotMatch(before.body, /new@example\.org<\/dd>/);
    await t.built.worker.tick();

    const page = await operator.get('/en/dev/outbox?to=new@example.org');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /class="banner banner--warning"/);
    assert.match(page.body, /<dd>new@example\.org<\/dd>/);
    const link = /<pre class="outbox__body">[\s\S]*?<a href="([^"]+)">/.exec(page.body)?.[1];
    assert.ok(link, 'the verification link is a link');
    const url = new URL(link.replace(/&amp;/g, '&'));
    assert.equal(url.pathname, '/en/account/verify');
    const verified = await visitor.get(url.pathname + url.search);
    assert.equal(verified.statusCode, 303);
    const user = await t.db.selectFrom('users').select('email_verified_at').where('email', '=', 'new@example.org').executeTakeFirstOrThrow();
    assert.ok(user.email_verified_at);
  });

  test('linkify turns URLs into links and leaves trailing punctuation outside', () => {
    const parts = linkify('Open https://example.org/a?b=1. Then (http://x.test/y).');
    assert.equal(parts.length, 5);
    assert.equal(parts[0], 'Open ');
    assert.equal((parts[1] as { props: { href: string } }).props.href, 'https://example.org/a?b=1');
    assert.equal(parts[2], '. Then (');
    assert.equal((parts[3] as { props: { href: string } }).props.href, 'http://x.test/y');
    assert.equal(parts[4], ').');
  });
});

describe('the outbox is never public', () => {
  test('a plain start (development, no SMTP) shows it only to platform administrators: no reset link for strangers', async () => {
    const t = await startTestApp({ NODE_ENV: 'development', LOG_LEVEL: 'silent' });
    try {
      const m = await createMunicipality(t.db, { slug: 'zhovkva' });
      await createUser(t.db, { email: 'ops@example.org', password: PASSWORD, platformRole: 'platform_admin' });
      await createUser(t.db, { email: 'resident@example.org', password: PASSWORD });
      await createUser(t.db, { email: 'mayor@example.org', password: PASSWORD, roles: [{ municipalityId: m.id, role: 'admin' }] });
      // What the audit did: ask for the administrator's reset link, then read the outbox.
      const stranger = t.client('en');
      assert.equal((await stranger.post('/en/account/reset', { email: 'ops@example.org' })).statusCode, 303);
      await t.built.worker.tick();
      for (const url of ['/en/dev/outbox', '/en/dev/outbox?to=ops@example.org', '/uk/dev/outbox']) {
        const res = await stranger.get(url);
        assert.equal(res.statusCode, 303, url);
        assert.match(String(res.headers.location), /\/account\/sign-in\?next=/);
        assert.doesNotMatch(res.body, /reset/);
      }
      for (const email of ['resident@example.org', 'mayor@example.org']) {
        const c = t.client('en');
        await c.signIn(email, PASSWORD);
        const res = await c.get('/en/dev/outbox');
        assert.equal(res.statusCode, 403, email);
        assert.doesNotMatch(res.body, /account\/reset\//);
      }
      const operator = t.client('en');
      await operator.signIn('ops@example.org', PASSWORD);
      const page = await operator.get('/en/dev/outbox');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /visible only to platform operators/);
      assert.match(page.body, /\/en\/account\/reset\/[\w-]+/, 'the administrator reads the mail');
    } finally {
      await t.close();
    }
  });

  test('with SMTP configured it lists nothing and says mail goes by SMTP', async () => {
    const t = await startTestApp({ SMTP_URL: 'smtp://127.0.0.1:2525' });
    try {
      await createUser(t.db, { email: 'ops@example.org', password: PASSWORD, platformRole: 'platform_admin' });
      await t.db.insertInto('outbox').values({ to_address: 'old@example.org', subject: 'Left over', text_body: 'x' }).execute();
      assert.equal((await t.client('en').get('/en/dev/outbox')).statusCode, 303);
      const operator = t.client('en');
      await operator.signIn('ops@example.org', PASSWORD);
      const page = await operator.get('/en/dev/outbox');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /sends email by SMTP/);
      assert.doesNotMatch(page.body, /Left over/);
    } finally {
      await t.close();
    }
  });
});
