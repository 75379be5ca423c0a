import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DEMO_CENSUS } from '../cli/demo-letters.ts';
import { DEMO_PASSWORD, seedDemo } from '../cli/demo.ts';
import { startTestApp, type TestApp } from '../testing/http.ts';

let t: TestApp;
before(async () => {
  t = await startTestApp();
  await seedDemo(t.built.deps);
});
after(() => t.close());

test('the demo offers letters and the census way in Zhovkva: a letter waits to be printed, a demo document confirms a resident', async () => {
  const m = await t.db.selectFrom('municipalities').select(['id', 'resident_ways']).where('slug', '=', 'zhovkva').executeTakeFirstOrThrow();
  assert.ok((m.resident_ways as string[]).includes('letter') && (m.resident_ways as string[]).includes('census'));
  const waiting = await t.db.selectFrom('residence_letters').select('printed_at').where('municipality_id', '=', m.id).execute();
  assert.deepEqual(waiting, [{ printed_at: null }]);
  const c = t.client('uk');
  await c.signIn('resident4@zhovkva.example', DEMO_PASSWORD);
  const [doc, address] = DEMO_CENSUS[0];
  const res = await c.post('/uk/zhovkva/residence/census', { document: doc, address });
  assert.equal(res.statusCode, 303);
  const confirmed = await t.db.selectFrom('resident_verifications').innerJoin('users', 'users.id', 'resident_verifications.user_id')
    .select('method').where('users.email', '=', 'resident4@zhovkva.example').executeTakeFirstOrThrow();
  assert.equal(confirmed.method, 'census');
});
