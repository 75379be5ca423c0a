import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MunicipalRole, PlatformRole } from '../../db/schema.ts';
import { can } from '../tenancy/policy.ts';
import { meetsLevel, VERIFICATION_LEVELS, verificationLevel, type CurrentUser, type VerificationLevel } from './current-user.ts';

const A = 1;
const B = 2;

let nextId = 100;
function user(over: Partial<CurrentUser> = {}): CurrentUser {
  const id = nextId++;
  return {
    id, email: `u${id}@example.org`, fullName: `User ${id}`, locale: 'uk', platformRole: null,
    emailVerified: true, identityVerified: false, residenceMunicipalityId: null, roles: {}, residentOf: [], sessionId: `s${id}`,
    ...over,
  };
}
const withRole = (role: MunicipalRole, municipalityId = A) => user({ roles: { [municipalityId]: [role] } });
const platform = (platformRole: PlatformRole) => user({ platformRole });

describe('verification levels', () => {
  const cases: { who: string; u: CurrentUser | null; inA: VerificationLevel | null; inB: VerificationLevel | null }[] = [
    { who: 'nobody signed in', u: null, inA: null, inB: null },
    { who: 'an unconfirmed e-mail', u: user({ emailVerified: false }), inA: 'unverified', inB: 'unverified' },
    { who: 'a confirmed e-mail', u: user(), inA: 'email', inB: 'email' },
    { who: 'an identity without residence', u: user({ identityVerified: true }), inA: 'identity', inB: 'identity' },
    { who: 'an identity living in A', u: user({ identityVerified: true, residenceMunicipalityId: A }), inA: 'resident', inB: 'identity' },
    { who: 'an identity with an unconfirmed e-mail, living in A', u: user({ emailVerified: false, identityVerified: true, residenceMunicipalityId: A }), inA: 'resident', inB: 'identity' },
    { who: 'a resident of A confirmed by an official', u: user({ residentOf: [A] }), inA: 'resident', inB: 'email' },
    { who: 'a resident of A confirmed without even an e-mail', u: user({ emailVerified: false, residentOf: [A] }), inA: 'resident', inB: 'unverified' },
    { who: 'a residence in A without an identity check', u: user({ residenceMunicipalityId: A }), inA: 'email', inB: 'email' },
    { who: 'an administrator of A (roles do not verify)', u: withRole('admin'), inA: 'email', inB: 'email' },
    { who: 'a platform administrator (roles do not verify)', u: platform('platform_admin'), inA: 'email', inB: 'email' },
  ];

  for (const { who, u, inA, inB } of cases) {
    test(`${who}: ${inA ?? 'none'} in A, ${inB ?? 'none'} in B`, () => {
      assert.equal(verificationLevel(u, { id: A }), inA);
      assert.equal(verificationLevel(u, { id: B }), inB);
      for (const [m, level] of [[{ id: A }, inA], [{ id: B }, inB]] as const) {
        const reached = level ? VERIFICATION_LEVELS.indexOf(level) : -1;
        for (const required of VERIFICATION_LEVELS) {
          assert.equal(meetsLevel(u, m, required), reached >= VERIFICATION_LEVELS.indexOf(required), `meetsLevel(${required}) in ${m.id === A ? 'A' : 'B'}`);
        }
      }
    });
  }

  test('the levels are ordered from weakest to strongest', () => {
    assert.deepEqual([...VERIFICATION_LEVELS], ['unverified', 'email', 'identity', 'resident']);
    const resident = user({ residentOf: [A] });
    assert.ok(meetsLevel(resident, { id: A }, 'identity'), 'a resident confirmed by an official counts above an identity');
    assert.ok(!meetsLevel(user({ identityVerified: true }), { id: A }, 'resident'));
    assert.ok(!meetsLevel(null, { id: A }, 'unverified'), 'signing in is the least that is needed');
  });

  test('an identity\'s residence confirms a resident only where the municipality offers that way', () => {
    const living = user({ identityVerified: true, residenceMunicipalityId: A });
    assert.equal(verificationLevel(living, { id: A, resident_ways: ['identity', 'in_person'] }), 'resident');
    assert.equal(verificationLevel(living, { id: A, resident_ways: ['in_person', 'request'] }), 'identity');
    assert.equal(verificationLevel(user({ residentOf: [A] }), { id: A, resident_ways: [] }), 'resident', 'a registrar\'s confirmation stands whatever the ways');
  });
});

describe('can(): the platform\u2019s permissions', () => {
  const actors = {
    resident: user({ residentOf: [A], identityVerified: true, residenceMunicipalityId: A }),
    moderator: withRole('moderator'),
    official: withRole('official'),
    admin: withRole('admin'),
    associationAdmin: platform('association_admin'),
    platformAdmin: platform('platform_admin'),
  };
  type Actor = keyof typeof actors;
  const all: Actor[] = ['resident', 'moderator', 'official', 'admin', 'associationAdmin', 'platformAdmin'];

  // Who may do each action in municipality A and in B; the role-holders above hold their role in A only.
  const expected: Record<string, { A: Actor[]; B: Actor[] }> = {
    'municipality.create': { A: ['associationAdmin', 'platformAdmin'], B: ['associationAdmin', 'platformAdmin'] },
    'municipality.manage': { A: ['admin', 'platformAdmin'], B: ['platformAdmin'] },
    'staff.manage': { A: ['admin', 'platformAdmin'], B: ['platformAdmin'] },
    'department.manage': { A: ['admin', 'platformAdmin'], B: ['platformAdmin'] },
    'audit.view': { A: ['admin', 'platformAdmin'], B: ['platformAdmin'] },
    'residents.verify': { A: ['official', 'admin', 'platformAdmin'], B: ['platformAdmin'] },
    'moderation.act': { A: ['moderator', 'admin', 'platformAdmin'], B: ['platformAdmin'] },
    'platform.operate': { A: ['platformAdmin'], B: ['platformAdmin'] },
    'association.manage': { A: ['associationAdmin', 'platformAdmin'], B: ['associationAdmin', 'platformAdmin'] },
  };

  for (const [action, allowed] of Object.entries(expected)) {
    test(action, () => {
      for (const [where, municipalityId] of [['A', A], ['B', B]] as const) {
        const granted = all.filter((a) => can(actors[a], action, { municipalityId }));
        assert.deepEqual(granted, allowed[where], `${action} in ${where}`);
      }
      assert.equal(can(null, action, { municipalityId: A }), false, 'nobody signed in may do nothing');
    });
  }

  test('a role in one municipality gives nothing in another, nor without a municipality', () => {
    const both = user({ roles: { [A]: ['moderator'], [B]: ['official'] } });
    assert.ok(can(both, 'moderation.act', { municipalityId: A }));
    assert.ok(!can(both, 'moderation.act', { municipalityId: B }));
    assert.ok(can(both, 'residents.verify', { municipalityId: B }));
    assert.ok(!can(both, 'residents.verify', { municipalityId: A }));
    for (const action of ['municipality.manage', 'moderation.act', 'residents.verify']) {
      assert.ok(!can(actors.admin, action, { municipalityId: null }), `${action} without a municipality`);
      assert.ok(can(actors.platformAdmin, action, { municipalityId: null }), `${action}: a platform administrator everywhere`);
    }
  });

  test('an unknown action throws rather than answering', () => {
    assert.throws(() => can(actors.platformAdmin, 'petitions.doesNotExist', { municipalityId: A }), /Unknown permission petitions\.doesNotExist/);
    assert.throws(() => can(actors.resident, 'municipality.delete', { municipalityId: A }), /Unknown permission/);
    assert.throws(() => can(null, 'municipality.delete', { municipalityId: A }), /Unknown permission/, 'also for anonymous visitors');
  });
});
