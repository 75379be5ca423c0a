import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from './db.ts';

const municipality = (slug: string) => ({
  slug,
  names: JSON.stringify({ uk: 'Жовква', en: 'Zhovkva' }),
  official_code: 'UA46060170000034822',
  population: 12_500,
  center_lat: 50.056,
  center_lng: 23.972,
  default_locale: 'uk',
  currency: 'UAH',
});

describe(`createTestDatabase (${process.env.TEST_DB ?? 'pglite'})`, () => {
  let a: TestDatabase;
  let b: TestDatabase;

  before(async () => {
    [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  });
  after(async () => {
    await Promise.all([a?.cleanup(), b?.cleanup()]);
  });

  test('starts migrated and empty, and reads back what was written', async () => {
    assert.equal(a.dialect, process.env.TEST_DB ?? 'pglite');
    const before = await a.db.selectFrom('municipalities').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(before.n, 0);

    const { id } = await a.db.insertInto('municipalities').values(municipality('zhovkva')).returning('id').executeTakeFirstOrThrow();
    const row = await a.db
      .selectFrom('municipalities')
      .select(['id', 'slug', 'names', 'population', 'time_zone', 'enabled_modules'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, {
      id,
      slug: 'zhovkva',
      names: { uk: 'Жовква', en: 'Zhovkva' },
      population: 12_500,
      time_zone: 'Europe/Kyiv',
      enabled_modules: [],
    });
  });

  test('two test databases do not see each other', async () => {
    await b.db.insertInto('municipalities').values(municipality('zhovkva')).execute();
    await b.db.insertInto('municipalities').values(municipality('lviv')).execute();

    const inA = await a.db.selectFrom('municipalities').select('slug').orderBy('slug').execute();
    const inB = await b.db.selectFrom('municipalities').select('slug').orderBy('slug').execute();
    assert.deepEqual(inA.map((r) => r.slug), ['zhovkva']);
    assert.deepEqual(inB.map((r) => r.slug), ['lviv', 'zhovkva']);
  });

  test('cleanup is idempotent and leaves the other database usable', async () => {
    const c = await createTestDatabase();
    await c.db.insertInto('municipalities').values(municipality('temporary')).execute();
    await c.cleanup();
    await c.cleanup();
    const left = await a.db.selectFrom('municipalities').select('slug').where('slug', '=', 'temporary').execute();
    assert.deepEqual(left, []);
  });
});
