import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Municipality } from '../../db/schema.ts';
import { createMunicipality, createUser, startTestApp, type TestApp, type TestClient } from '../testing/http.ts';
import { TEST_PASSWORD } from '../testing/people.ts';
import { createOnce, forgetOldKeys, ONCE_TTL_MS, type OnceKey } from './once.ts';
import { postAtOnce } from './testing.ts';

let t: TestApp;
let town: Municipality;
let admin: TestClient;
let operator: TestClient;
let resident: TestClient;

const rows = async (table: 'departments' | 'petitions' | 'petition_categories' | 'report_categories' | 'report_templates' | 'report_subscriptions' | 'municipalities' | 'open311_keys') =>
  Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

before(async () => {
  t = await startTestApp();
  town = await createMunicipality(t.db, { slug: 'zhovkva', enabledModules: ['petitions', 'reports'] });
  await createUser(t.db, { email: 'admin@example.org', password: TEST_PASSWORD, roles: [{ municipalityId: town.id, role: 'admin' }] });
  await createUser(t.db, { email: 'operator@example.org', password: TEST_PASSWORD, platformRole: 'platform_admin' });
  await createUser(t.db, { email: 'resident@example.org', password: TEST_PASSWORD });
  const signedIn = async (who: string) => {
    const c = t.client('en');
    await c.signIn(`${who}@example.org`, TEST_PASSWORD);
    return c;
  };
  admin = await signedIn('admin');
  operator = await signedIn('operator');
  resident = await signedIn('resident');
});
after(() => t.close());

describe(`createOnce (${process.env.TEST_DB ?? 'pglite'})`, () => {
  const key = (k: string, actor = 'u1'): OnceKey => ({ municipalityId: town.id, actor, key: k });
  const addDepartment = (slug: string) => async (trx: Parameters<Parameters<typeof createOnce>[3]>[0]) => {
    const d = await trx.insertInto('departments').values({ municipality_id: town.id, slug, names: JSON.stringify({ en: slug }) }).returning('id').executeTakeFirstOrThrow();
    return { kind: 'created', id: d.id };
  };

  test('20 calls with one key at once make one record, and all answer with it', async () => {
    const before = await rows('departments');
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => createOnce(t.db, key('k-20'), 'test.department', addDepartment(`d-${i}`))));
    assert.equal(await rows('departments'), before + 1);
    assert.equal(new Set(answers.map((a) => a.id)).size, 1);
  });

  test('the key is scoped: another actor, another kind of create or no key at all make their own', async () => {
    const before = await rows('departments');
    await createOnce(t.db, key('k-scope'), 'test.department', addDepartment('s-1'));
    await createOnce(t.db, key('k-scope', 'u2'), 'test.department', addDepartment('s-2'));
    await createOnce(t.db, key('k-scope'), 'test.other', addDepartment('s-3'));
    await createOnce(t.db, null, 'test.department', addDepartment('s-4'));
    await createOnce(t.db, null, 'test.department', addDepartment('s-5'));
    assert.equal(await rows('departments'), before + 5);
  });

  test('a result that is not kept rolls the claim back with the create; a failure leaves the key free', async () => {
    const before = await rows('departments');
    const refused = await createOnce(t.db, key('k-refused'), 'test.department', async (trx) => ({ ...(await addDepartment('r-1')(trx)), kind: 'refused' }), (r) => r.kind === 'created');
    assert.equal(refused.kind, 'refused');
    await assert.rejects(createOnce(t.db, key('k-refused'), 'test.department', async (trx) => { await addDepartment('r-2')(trx); throw new Error('boom'); }));
    assert.equal(await rows('departments'), before, 'nothing of either kept');
    assert.equal((await createOnce(t.db, key('k-refused'), 'test.department', addDepartment('r-3'))).kind, 'created');
    assert.equal(await rows('departments'), before + 1);
  });

  test('keys are forgotten after a day', async () => {
    await t.db.updateTable('idempotency_keys').set({ created_at: new Date(Date.now() - ONCE_TTL_MS - 1000) } as never).where('key', 'is not', null).execute();
    assert.ok(Number(await forgetOldKeys.run(t.built.deps)) > 0);
    assert.equal((await t.db.selectFrom('idempotency_keys').select('key').execute()).length, 0);
  });
});

describe(`every create form: 20 identical POSTs at once make one record (${process.env.TEST_DB ?? 'pglite'})`, () => {
  const base = '/en/zhovkva';
  const names = (en: string) => ({ nameEn: en, nameUk: en });
  const cases: [string, () => TestClient, string, string, Record<string, string>, Parameters<typeof rows>[0]][] = [
    ['petition draft', () => resident, `${base}/petitions/new`, `${base}/petitions/new`, { title: 'Lights on Shevchenko Street', body: 'Please install street lights along the whole street.' }, 'petitions'],
    ['petition category', () => admin, `${base}/petitions/staff/categories`, `${base}/petitions/staff/categories`, { slug: 'roads', ...names('Roads') }, 'petition_categories'],
    ['report category', () => admin, `${base}/reports/staff/categories`, `${base}/reports/staff/categories`, { slug: 'lamps', ...names('Lamps'), ackHours: '24', fixDays: '7' }, 'report_categories'],
    ['ready answer', () => admin, `${base}/reports/staff/templates`, `${base}/reports/staff/templates`, { title: 'Thanks', body: 'Thank you, we are on it.' }, 'report_templates'],
    ['API key', () => admin, `${base}/reports/staff/keys`, `${base}/reports/staff/keys`, { name: 'City app' }, 'open311_keys'],
    ['followed area', () => resident, `${base}/reports/areas`, `${base}/reports/areas`, { lat: '50.05', lng: '23.97', radius: '500' }, 'report_subscriptions'],
    ['department', () => admin, `${base}/admin/departments`, `${base}/admin/departments`, { slug: 'parks', ...names('Parks') }, 'departments'],
    ['municipality', () => operator, '/en/admin/municipalities/new', '/en/admin/municipalities/new',
      { slug: 'sombor', ...names('Sombor'), officialCode: '80438', population: '77500', centerLat: '45.77', centerLng: '19.11', zoom: '13', defaultLocale: 'sr-Latn', currency: 'RSD', timeZone: 'Europe/Belgrade' }, 'municipalities'],
  ];
  for (const [what, client, page, url, fields, table] of cases) {
    test(what, async () => {
      const before = await rows(table);
      const answers = await postAtOnce(client(), page, url, fields);
      assert.equal(await rows(table), before + 1);
      if (what === 'API key') {
        // The key is shown once, to the first request; the repeats are told it was issued (only its hash is kept).
        assert.deepEqual(answers.map((r) => r.statusCode).sort(), [200, ...Array(19).fill(303)]);
        assert.equal(answers.filter((r) => /<code class="hash">/.test(r.body)).length, 1);
        return;
      }
      const statuses = new Set(answers.map((r) => r.statusCode));
      assert.equal(statuses.size, 1, `one answer to all: ${[...statuses]}`);
      assert.equal(answers[0]!.statusCode, 303, answers[0]!.body.slice(0, 300));
      assert.equal(new Set(answers.map((r) => r.headers.location)).size, 1);
    });
  }
});
