import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestApp, type TestApp, type TestClient } from '../testing/http.ts';
import { resident } from '../testing/people.ts';
import { latestDay } from './age.ts';

let t: TestApp;
let c: TestClient;
let userId: number;
const url = '/en/account/birth-date';
const birth = () => t.db.selectFrom('users').select(['birth_date', 'birth_date_source']).where('id', '=', userId).executeTakeFirstOrThrow();

before(async () => {
  t = await startTestApp();
  userId = (await resident(t.db, 'born@example.org', null)).id;
  c = await t.signedIn('born@example.org', 'en');
});
after(() => t.close());

describe(`a declared birth date (${process.env.TEST_DB ?? 'pglite'})`, () => {
  test('a guest is sent to sign in, and nothing is written', async () => {
    assert.equal((await t.client('en').get(url)).statusCode, 303);
    assert.equal((await t.client('en').post(url, { birthDate: '1990-05-17' })).statusCode, 303);
    assert.deepEqual(await birth(), { birth_date: null, birth_date_source: null });
  });

  test('the account page says none is given and links to the form; a real date is saved as the person’s word', async () => {
    const account = await c.get('/en/account');
    assert.match(account.body, /Birth date<\/dt><dd>Not given <a href="\/en\/account\/birth-date">Give your birth date<\/a>/);
    const form = await c.get(url);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /<input[^>]*name="birthDate"[^>]*type="date"|<input[^>]*type="date"[^>]*name="birthDate"/);
    const saved = await c.post(url, { birthDate: '1990-05-17' });
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, '/en/account');
    assert.deepEqual(await birth(), { birth_date: '1990-05-17', birth_date_source: 'declared' });
    const shown = await c.get('/en/account');
    assert.match(shown.body, /17 May 1990, given by you <a href="\/en\/account\/birth-date">Change your birth date<\/a>/);
    assert.match((await c.get(url)).body, /value="1990-05-17"/, 'the form shows it to change');
    assert.equal((await c.post(url, { birthDate: '1990-05-18' })).statusCode, 303, 'the person may change their own word');
    assert.deepEqual(await birth(), { birth_date: '1990-05-18', birth_date_source: 'declared' });
  });

  test('not a real date, in the future, before 1900, empty or hostile: the field is named, nothing is written', async () => {
    const tomorrow = new Date(Date.parse(`${latestDay(new Date())}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const cases: [string, RegExp][] = [
      ['1990-02-30', /Birth date must be a real date/],
      ['17.05.1990', /Birth date must be a real date/],
      ['<b>1</b>', /Birth date must be a real date/],
      ['<script>alert(1)</script>', /Birth date must be 20 characters or fewer/],
      [tomorrow, /Birth date cannot be in the future/],
      ['1899-12-31', /Birth date cannot be before 1900/],
      ['', /Enter birth date/],
    ];
    for (const [value, message] of cases) {
      const res = await c.post(url, { birthDate: value });
      assert.equal(res.statusCode, 400, value);
      assert.match(res.body, new RegExp(`<a href="#f-birthDate">${message.source}`), value);
      assert.doesNotMatch(res.body, /<script>alert/);
    }
    assert.deepEqual(await birth(), { birth_date: '1990-05-18', birth_date_source: 'declared' });
  });

  test('an identity provider’s date is shown read-only with whose word it is, and never replaced by a declared one', async () => {
    await t.db.updateTable('users').set({ birth_date: '1988-03-02', birth_date_source: 'identity', identity_provider: 'gone-provider' }).where('id', '=', userId).execute();
    const page = await c.get(url);
    assert.match(page.body, /Your birth date is 2 March 1988, as confirmed by an identity provider/);
    assert.doesNotMatch(page.body, /name="birthDate"/, 'no form to change it');
    const refused = await c.post(url, { birthDate: '1990-01-01' });
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /Your birth date was confirmed by an identity provider, so it cannot be changed here/);
    assert.deepEqual(await birth(), { birth_date: '1988-03-02', birth_date_source: 'identity' });
    assert.match((await c.get('/en/account')).body, /2 March 1988, confirmed by an identity provider <a href="\/en\/account\/birth-date">About your birth date<\/a>/);
    const data = JSON.parse((await c.get('/en/account/export.json')).body) as { user: Record<string, unknown> };
    assert.deepEqual([data.user.birth_date, data.user.birth_date_source], ['1988-03-02', 'identity'], 'in "download my data"');
  });

  test('deleting the account clears the birth date and whose word it was', async () => {
    const other = await resident(t.db, 'leaving@example.org', null);
    const leaving = await t.signedIn('leaving@example.org', 'en');
    assert.equal((await leaving.post(url, { birthDate: '1975-11-30' })).statusCode, 303);
    assert.equal((await leaving.post('/en/account/delete', { confirmEmail: 'leaving@example.org' })).statusCode, 303);
    const row = await t.db.selectFrom('users').select(['birth_date', 'birth_date_source', 'deleted_at']).where('id', '=', other.id).executeTakeFirstOrThrow();
    assert.ok(row.deleted_at);
    assert.deepEqual([row.birth_date, row.birth_date_source], [null, null]);
  });
});
