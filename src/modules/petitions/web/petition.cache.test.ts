import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Municipality } from '../../../db/schema.ts';
import { TEST_PASSWORD } from '../../../platform/testing/people.ts';
import { startTestApp, type TestApp } from '../../../platform/testing/http.ts';
import { openPetition, petitionTown, resident } from '../testing.ts';

// A popular petition's page and count come from the shared cache of anonymous answers (page-cache.ts):
// a signature shows within 2 s, a change by the staff of this process at once.
let t: TestApp;
let town: Municipality;
let author: Awaited<ReturnType<typeof resident>>;
let admin: Awaited<ReturnType<typeof resident>>;
before(async () => {
  t = await startTestApp({ PAGE_CACHE_MS: '1000' });
  town = await petitionTown(t.db, 'zhovkva', { threshold: 100 });
  author = await resident(t.db, 'author@example.org', town);
  admin = await resident(t.db, 'admin@example.org', town, { role: 'admin' });
  await resident(t.db, 'signer@example.org', town, { fullName: 'Підписант Перший' });
});
after(() => t.close());

const anonymous = (url: string) => t.app.inject({ method: 'GET', url });
const cached = (res: { headers: Record<string, unknown> }) => res.headers.age !== undefined;
const signatures = async (number: number) => (await anonymous(`/api/v1/zhovkva/petitions/${number}/count`)).json().signatures as number;

describe('cached petition pages and counts', () => {
  test('a signature shows on the anonymous page and in the count API within 2 s', async () => {
    const p = await openPetition(t.db, town, author.current, admin.id, 'Кешована петиція');
    const page = `/en/zhovkva/petitions/${p.number}`;
    await anonymous(page);
    const warm = await anonymous(page);
    assert.ok(cached(warm), 'the page is served from the cache');
    assert.match(warm.body, /0 of 100 signatures/);
    assert.equal(await signatures(p.number), 0);
    assert.ok(cached(await anonymous(`/api/v1/zhovkva/petitions/${p.number}/count`)), 'so is the count');

    const signer = t.client('en');
    await signer.signIn('signer@example.org', TEST_PASSWORD);
    const signed = await signer.post(`${page}/sign`);
    assert.match(String(signed.headers.location), /receipt\?signed=new$/);
    const at = Date.now();
    // The signer's own view is never a cached one: the page says at once that they signed.
    assert.match((await signer.get(page)).body, /1 of 100 signatures/);

    let seen = { page: false, api: false };
    while (!(seen.page && seen.api) && Date.now() - at < 2000) {
      seen = { page: seen.page || /1 of 100 signatures/.test((await anonymous(page)).body), api: seen.api || (await signatures(p.number)) === 1 };
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.deepEqual(seen, { page: true, api: true }, `the count is exact ${Date.now() - at} ms after the signature`);
    assert.ok(Date.now() - at <= 2000);
  });

  test('closing a petition shows at once on the cached page and in the cached list, in the process that made it', async () => {
    const p = await openPetition(t.db, town, author.current, admin.id, 'Петиція, яку закриють');
    const page = `/en/zhovkva/petitions/${p.number}`;
    for (const url of [page, page, '/en/zhovkva/petitions', '/en/zhovkva/petitions']) await anonymous(url);
    const before = await anonymous(page);
    assert.ok(cached(before));
    assert.match(before.body, /Collecting signatures/);

    const staff = t.client('en');
    await staff.signIn('admin@example.org', TEST_PASSWORD);
    const closed = await staff.post(`${page}/close`, { reason: 'Питання вирішено рішенням ради.' });
    assert.equal(closed.statusCode, 303);

    const after = await anonymous(page);
    assert.doesNotMatch(after.body, /Collecting signatures/);
    assert.match(after.body, /Питання вирішено рішенням ради/);
    const list = await anonymous('/en/zhovkva/petitions?status=closed');
    assert.match(list.body, /Петиція, яку закриють/);
    assert.ok(!cached(await anonymous('/en/zhovkva/petitions')), 'the list was rendered again too');
  });

  test('a refused form post (wrong CSRF token) empties nothing', async () => {
    const p = await openPetition(t.db, town, author.current, admin.id, 'Петиція без змін');
    const page = `/en/zhovkva/petitions/${p.number}`;
    const staff = t.client('en');
    await staff.signIn('admin@example.org', TEST_PASSWORD);
    await staff.get(`${page}/close`);
    await anonymous(page);
    const refused = await staff.post(`${page}/close`, { _csrf: 'forged', reason: 'Підробка' });
    assert.equal(refused.statusCode, 403);
    assert.ok(cached(await anonymous(page)), 'an attacker cannot flush the cache with bogus posts');
  });
});
