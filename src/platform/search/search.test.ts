import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import * as searchMigration from '../../db/migrations/2026_11_23_0002_search.ts';
import { createTestDatabase, type TestDatabase } from '../testing/db.ts';
import { matchesQuery, normalizeQuery, rankExpression, searchVector, MAX_QUERY_LENGTH } from './search.ts';

interface DocTable { id: number; title: string; body: string | null }
type TestDB = Kysely<{ docs: DocTable }>;

const DOCS: DocTable[] = [
  { id: 1, title: 'Ремонт системи водопостачання', body: 'На вулиці Шевченка потрібен ремонт труб. Їжак живе у сквері, ґанок бібліотеки зламаний, Єдність громади.' },
  { id: 2, title: 'Дитячий майданчик у парку', body: 'Будівництво дитячого майданчика біля школи.' },
  { id: 3, title: 'Обнова железничке станице', body: 'Ћуприја, Ђурђево и Џеп: станица треба нови кров.' },
  { id: 4, title: 'Izgradnja dečjeg igrališta', body: 'U Đurđevu, pored škole, treba novo igralište za decu.' },
  { id: 5, title: 'Naprawa oświetlenia ulicznego', body: 'W Łodzi na ulicy Żółkiewskiego nie świecą latarnie. Źródło problemu: kable.' },
  { id: 6, title: 'Remont chodnika', body: null },
];

describe(`search helpers (${process.env.TEST_DB ?? 'pglite'})`, () => {
  let t: TestDatabase;
  let db: TestDB;

  before(async () => {
    t = await createTestDatabase();
    db = t.db as unknown as TestDB;
    // Until the migration is in migrate.ts's list; it is written to be re-run safely.
    await searchMigration.up(t.db as unknown as Kysely<unknown>);
    await sql`CREATE TABLE docs (id integer PRIMARY KEY, title text NOT NULL, body text)`.execute(db);
    await sql`CREATE INDEX docs_search ON docs USING gin (to_tsvector('simple', hromada_unaccent(coalesce(title, '') || ' ' || coalesce(body, ''))))`.execute(db);
    await sql`CREATE INDEX docs_body_trgm ON docs USING gin (hromada_unaccent(body) gin_trgm_ops)`.execute(db);
    await db.insertInto('docs').values(DOCS).execute();
  });
  after(() => t?.cleanup());

  const find = async (q: string, fuzzy = true) => {
    const vector = searchVector('title', 'body');
    const rows = await db.selectFrom('docs').select('id')
      .where(matchesQuery(vector, q, fuzzy ? 'body' : undefined))
      .orderBy(rankExpression(vector, q, fuzzy ? 'body' : undefined), 'desc').orderBy('id')
      .execute();
    return rows.map((r) => r.id);
  };

  test('finds Ukrainian text by its words, whatever the case, including і ї є ґ', async () => {
    assert.deepEqual(await find('водопостачання', false), [1]);
    assert.deepEqual(await find('ЇЖАК', false), [1]);
    assert.deepEqual(await find('ґанок єдність', false), [1]);
    assert.deepEqual(await find('майданчик', false), [2]);
    // The fold is script-blind: Cyrillic "ремонт" and Polish "remont" are one word to it.
    assert.deepEqual(await find('ремонт', false), [1, 6]);
  });

  test('finds Serbian in either script, typed in either script, with or without diacritics', async () => {
    assert.deepEqual(await find('железничке', false), [3]);
    assert.deepEqual(await find('zeleznicke', false), [3]);
    assert.deepEqual(await find('Ћуприја', false), [3]);
    assert.deepEqual(await find('cuprija džep', false), [3]);
    assert.deepEqual(await find('igrališta', false), [4]);
    assert.deepEqual(await find('игралишта', false), [4]);
    assert.deepEqual(await find('Đurđevu', false), [4]);
    assert.deepEqual(await find('ђурђево', false), [3]);
  });

  test('finds Polish with or without its diacritics', async () => {
    assert.deepEqual(await find('oświetlenia', false), [5]);
    assert.deepEqual(await find('oswietlenia uliczneGO', false), [5]);
    assert.deepEqual(await find('Łodzi źródło', false), [5]);
    assert.deepEqual(await find('zolkiewskiego', false), [5]);
  });

  test('a typo or another ending is forgiven through trigram similarity on the body', async () => {
    assert.deepEqual(await find('водопостачаня', false), []);
    assert.deepEqual(await find('дитячого майданчка'), [2]);
    assert.deepEqual(await find('Шевченко'), [1]);
    assert.deepEqual(await find('станицa'), [3]); // Latin a at the end of a Cyrillic word
    assert.deepEqual(await find('igraliste'), [4]);
    assert.deepEqual(await find('swiecom latarne'), [5]);
    assert.deepEqual(await find('квантовий комп’ютер'), []);
  });

  test('ranks the closer match first', async () => {
    const ids = await find('ремонт труб');
    assert.equal(ids[0], 1);
  });

  test('hostile or empty input never throws and never matches by accident', async () => {
    const hostile = [
      '', '   ', "'", '"', ':', '&|!', 'a:* & !b', '!!!', '(((', '<->', '\\', '%', '_', '*',
      "'; DROP TABLE docs; --", '" OR 1=1 --', 'ремонт:*', 'ремонт & | !', '\u0000ремонт\u0000', 'x'.repeat(10_000),
      '-ремонт', 'ремонт or', '""""', '\ud800', '😀',
    ];
    for (const q of hostile) {
      const ids = await find(q);
      assert.ok(Array.isArray(ids), q);
    }
    assert.deepEqual(await find(''), []);
    assert.deepEqual(await find("'; DROP TABLE docs; --"), []);
    assert.deepEqual(await find('\u0000водопостачання\u0000', false), [1]);
    assert.deepEqual(await find('водопостачання:*', false), [1]);
    const count = await db.selectFrom('docs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(count.n), DOCS.length);
  });

  test('normalizeQuery strips control characters and caps the length', () => {
    assert.equal(normalizeQuery('  a\u0000b\n '), 'a b');
    assert.equal(normalizeQuery(null), '');
    assert.equal(Array.from(normalizeQuery('ї'.repeat(1000))).length, MAX_QUERY_LENGTH);
  });

  test('the expressions are the ones an index can serve', async () => {
    const plan = await db.transaction().execute(async (trx) => {
      await sql`SET LOCAL enable_seqscan = off`.execute(trx);
      const vector = searchVector('title', 'body');
      const rows = await trx.selectFrom('docs').select('id').where(matchesQuery(vector, 'ремонт', 'body')).explain();
      return rows.map((r) => Object.values(r).join(' ')).join('\n');
    });
    assert.match(plan, /docs_search/);
    assert.match(plan, /docs_body_trgm/);
  });
});
