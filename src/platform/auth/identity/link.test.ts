import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, type TestDatabase } from '../../testing/db.ts';
import { createUser } from '../../testing/http.ts';
import { serviceDeps } from '../../testing/people.ts';
import type { Deps } from '../../http/deps.ts';
import { signInWithIdentity, type VerifiedIdentity } from './link.ts';

let t: TestDatabase;
let deps: Deps;
const person = (provider: string, subject: string, value: string | null, extra: Partial<VerifiedIdentity> = {}): VerifiedIdentity => ({
  provider, subject, email: null, emailVerified: false, fullName: 'Олена Петренко', residenceCode: null,
  nationalId: value ? { kind: 'rnokpp', value } : null, ...extra,
});
const nationalIds = async () => (await t.db.selectFrom('users').select('national_id_hash').where('national_id_hash', 'is not', null).execute()).map((r) => r.national_id_hash!);

before(async () => {
  t = await createTestDatabase();
  deps = serviceDeps(t.db);
});
after(() => t.cleanup());

describe(`one account per person, one person per account (${process.env.TEST_DB ?? 'pglite'})`, () => {
  test('Diia and BankID naming the same tax number sign in to the same account; the number is kept only as a keyed hash', async () => {
    const diia = await signInWithIdentity(deps, person('diia', 'd-1', '3012345678'), null, 'uk');
    const bank = await signInWithIdentity(deps, person('bankid', 'b-77', '30 1234 5678'), null, 'uk');
    assert.equal(diia.kind, 'signed_in');
    assert.equal(bank.kind === 'signed_in' && diia.kind === 'signed_in' && bank.userId === diia.userId, true);
    const hashes = await nationalIds();
    assert.equal(hashes.length, 1);
    assert.doesNotMatch(hashes[0]!, /3012345678/);
    const row = await t.db.selectFrom('users').selectAll().where('national_id_hash', '=', hashes[0]!).executeTakeFirstOrThrow();
    assert.doesNotMatch(JSON.stringify(row), /3012345678/, 'nowhere in the row');
  });

  test('an identity held by another account is refused to a signed-in user, and nothing is linked', async () => {
    const other = await createUser(t.db, { email: 'other@example.org', password: 'x' });
    const before = await t.db.selectFrom('users').select(['id', 'identity_provider', 'national_id_hash']).orderBy('id').execute();
    assert.deepEqual(await signInWithIdentity(deps, person('diia', 'd-1', '3012345678'), other.id, 'uk'), { kind: 'identity_conflict' });
    assert.deepEqual(await signInWithIdentity(deps, person('bankid', 'b-new', '3012345678'), other.id, 'uk'), { kind: 'identity_conflict' }, 'the same person through another provider');
    assert.deepEqual(await t.db.selectFrom('users').select(['id', 'identity_provider', 'national_id_hash']).orderBy('id').execute(), before);
  });

  test('an account verified as one person is not linked to another person', async () => {
    const first = await signInWithIdentity(deps, person('diia', 'd-2', '2900000001'), null, 'uk');
    assert.equal(first.kind, 'signed_in');
    const userId = (first as { userId: number }).userId;
    assert.deepEqual(await signInWithIdentity(deps, person('bankid', 'b-9', '2900000002'), userId, 'uk'), { kind: 'identity_conflict' });
    const linked = await signInWithIdentity(deps, person('bankid', 'b-10', '2900000001'), userId, 'uk');
    assert.deepEqual(linked, { kind: 'signed_in', userId, via: 'identity' }, 'the same person again, through another provider');
  });
});

describe(`birth dates from identity providers (${process.env.TEST_DB ?? 'pglite'})`, () => {
  const birthOf = (id: number) => t.db.selectFrom('users').select(['birth_date', 'birth_date_source']).where('id', '=', id).executeTakeFirstOrThrow();
  const idOf = (r: Awaited<ReturnType<typeof signInWithIdentity>>) => (r.kind === 'signed_in' ? r.userId : assert.fail(r.kind));

  test('a new account takes the provider’s date as the provider’s word; none leaves it empty', async () => {
    const created = idOf(await signInWithIdentity(deps, person('diia', 'b-1', '3100000001', { birthDate: '1984-02-29' }), null, 'uk'));
    assert.deepEqual(await birthOf(created), { birth_date: '1984-02-29', birth_date_source: 'identity' });
    const without = idOf(await signInWithIdentity(deps, person('diia', 'b-2', '3100000002'), null, 'uk'));
    assert.deepEqual(await birthOf(without), { birth_date: null, birth_date_source: null });
  });

  test('an identity’s date replaces a declared one and an older identity’s; an identity without one keeps what is there', async () => {
    const u = await createUser(t.db, { email: 'declared@example.org', password: 'x' });
    await t.db.updateTable('users').set({ birth_date: '1970-01-01', birth_date_source: 'declared' }).where('id', '=', u.id).execute();
    assert.equal(idOf(await signInWithIdentity(deps, person('diia', 'b-3', '3100000003'), u.id, 'uk')), u.id);
    assert.deepEqual(await birthOf(u.id), { birth_date: '1970-01-01', birth_date_source: 'declared' }, 'no date from the provider: the declared one stays');
    await signInWithIdentity(deps, person('diia', 'b-3', '3100000003', { birthDate: '1971-03-04' }), null, 'uk');
    assert.deepEqual(await birthOf(u.id), { birth_date: '1971-03-04', birth_date_source: 'identity' });
    await signInWithIdentity(deps, person('bankid', 'b-4', '3100000003', { birthDate: '1971-03-05' }), null, 'uk');
    assert.deepEqual(await birthOf(u.id), { birth_date: '1971-03-05', birth_date_source: 'identity' }, 'the latest provider’s word');
    await signInWithIdentity(deps, person('diia', 'b-3', '3100000003'), null, 'uk');
    assert.deepEqual(await birthOf(u.id), { birth_date: '1971-03-05', birth_date_source: 'identity' }, 'a later sign-in without a date keeps it');
  });
});
