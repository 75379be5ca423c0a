import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase } from '../platform/testing/db.ts';
import { prepared } from './prepared.ts';

const statements = sql<{ name: string; statement: string }>`SELECT name, statement FROM pg_prepared_statements ORDER BY name`;

test('a statement marked prepared gives the same answers, and on a server is prepared once per connection', async () => {
  const t = await createTestDatabase();
  try {
    // One connection, so every call below meets the same server session.
    await t.db.connection().execute(async (db) => {
      const answers = [];
      for (const n of [1, 2, 3]) {
        answers.push((await sql<{ n: number }>`SELECT ${n}::int * 2 AS n ${prepared}`.execute(db)).rows);
        await sql`SELECT ${n}::int AS unmarked`.execute(db);
      }
      assert.deepEqual(answers, [[{ n: 2 }], [{ n: 4 }], [{ n: 6 }]]);
      // A builder query opts in with modifyEnd; a failing one fails the same way prepared or not.
      const row = await db.selectFrom('municipalities').select('slug').where('slug', '=', 'nowhere').modifyEnd(prepared).executeTakeFirst();
      assert.equal(row, undefined);
      await assert.rejects(sql`SELECT 1 / ${0}::int ${prepared}`.execute(db), /division by zero/);

      const held = (await statements.execute(db)).rows;
      if (t.dialect === 'postgres') {
        assert.equal(held.length, 3, 'each marked text once, the unmarked ones not at all');
        assert.ok(held.every((s) => s.name.startsWith('hromada_') && s.statement.endsWith('/* prepared */')));
      } else {
        assert.equal(held.length, 0, 'PGlite plans every statement, as before');
      }
    });
  } finally {
    await t.cleanup();
  }
});
