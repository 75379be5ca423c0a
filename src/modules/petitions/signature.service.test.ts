import assert from 'node:assert/strict';
import { checkReceipt } from '../../platform/ledger/receipt.ts';
import { ledgerTime } from '../../platform/ledger/ledger.ts';
import { filterCommitment } from './signature.service.ts';
import { publishedKeys } from '../../platform/ledger/log.ts';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../../db/database.ts';
import type { Municipality } from '../../db/schema.ts';
import { ledgerEntries, verifyChain } from '../../platform/ledger/ledger.ts';
import { createTestDatabase, type TestDatabase } from '../../platform/testing/db.ts';
import { findPetition, type PetitionRow } from './petition.repo.ts';
import { importSignatures, sealedSeq, setDomainBlocked } from './signature.repo.ts';
import {
  chainName, countSignatures, invalidateSignatures, ipPrefix, sealPending, sealPetition, signatureReceipt, signPetition, tallyFromEntries,
} from './signature.service.ts';
import { openPetition, petitionTown, resident, serviceDeps } from './testing.ts';

let database: TestDatabase;
let db: Database;
let town: Municipality;
let other: Municipality;
let moderatorId: number;
let author: Awaited<ReturnType<typeof resident>>;
const deps = () => serviceDeps(db);
const signatureRows = async (petitionId: number) => Number((await db.selectFrom('petition_signatures').select((eb) => eb.fn.countAll<number>().as('n')).where('petition_id', '=', petitionId).executeTakeFirstOrThrow()).n);
const chain = (p: PetitionRow) => ledgerEntries(db, p.municipality_id, chainName(p.number), { limit: 10_000 });

before(async () => {
  database = await createTestDatabase();
  db = database.db;
  town = await petitionTown(db, 'zhovkva', { threshold: 1000 });
  other = await petitionTown(db, 'sombor');
  author = await resident(db, 'author@example.org', town);
  moderatorId = (await resident(db, 'moderator@example.org', town, { role: 'moderator' })).id;
});
after(() => database.cleanup());

test('networks are coarse: IPv4 /24, IPv6 /48, IPv4-mapped as IPv4', () => {
  assert.equal(ipPrefix('203.0.113.77'), '203.0.113.0/24');
  assert.equal(ipPrefix('::ffff:198.51.100.3'), '198.51.100.0/24');
  assert.equal(ipPrefix('2001:db8:abcd:12::1'), '2001:db8:abcd::/48');
  assert.equal(ipPrefix('2001:db8::1'), '2001:db8:0::/48');
  assert.equal(ipPrefix(null), null);
});

describe('who may sign', () => {
  test('each verification level, residence elsewhere and blocked domains are refused with nothing written', async () => {
    const p = await openPetition(db, town, author.current, moderatorId);
    const unverified = await resident(db, 'nobody@example.org', null, { emailVerified: false });
    const emailOnly = await resident(db, 'email@example.org', null);
    const outsider = await resident(db, 'outsider@example.org', other);
    const identityElsewhere = { ...emailOnly.current, identityVerified: true, residenceMunicipalityId: other.id };
    for (const u of [unverified.current, emailOnly.current, outsider.current, identityElsewhere]) {
      assert.deepEqual(await signPetition(deps(), u, town, p, null), { kind: 'level', required: 'resident' });
    }
    const identityHere = { ...emailOnly.current, identityVerified: true, residenceMunicipalityId: town.id };
    assert.equal((await signPetition(deps(), identityHere, town, p, null)).kind, 'signed');
    const blocked = await resident(db, 'someone@spam.example', town);
    await setDomainBlocked(db, town.id, 'spam.example', true);
    assert.deepEqual(await signPetition(deps(), blocked.current, town, p, null), { kind: 'blocked' });
    assert.equal(await signatureRows(p.id), 1);
  });

  test('signing twice, even at the same moment, is one signature', async () => {
    const p = await openPetition(db, town, author.current, moderatorId);
    const s = await resident(db, 'double@example.org', town);
    const results = await Promise.all([1, 2, 3, 4].map(() => signPetition(deps(), s.current, town, p, '192.0.2.1')));
    assert.deepEqual(results.map((r) => r.kind).sort(), ['already', 'already', 'already', 'signed']);
    assert.equal(new Set(results.map((r) => ('id' in r ? r.id : 0))).size, 1);
    assert.equal(await signatureRows(p.id), 1);
    assert.equal(await countSignatures(db, p.id), 1);
  });

  test('drafts, petitions in moderation, rejected and answered ones cannot be signed', async () => {
    const p = await openPetition(db, town, author.current, moderatorId);
    const s = await resident(db, 'late@example.org', town);
    for (const status of ['draft', 'moderation', 'rejected', 'answered', 'closed'] as const) {
      await db.updateTable('petitions').set({ status }).where('id', '=', p.id).execute();
      assert.deepEqual(await signPetition(deps(), s.current, town, (await findPetition(db, town.id, p.number))!, null), { kind: 'closed' }, status);
    }
    assert.equal(await signatureRows(p.id), 0);
  });

  test('a petition closed after the signer loaded it is refused by the write itself', async () => {
    const p = await openPetition(db, town, author.current, moderatorId);
    const s = await resident(db, 'stale@example.org', town);
    const stale = (await findPetition(db, town.id, p.number))!;
    await db.updateTable('petitions').set({ status: 'closed' }).where('id', '=', p.id).execute();
    assert.deepEqual(await signPetition(deps(), s.current, town, stale, null), { kind: 'closed' });
    await db.updateTable('petitions').set({ status: 'open', closes_at: new Date(Date.now() - 1000) }).where('id', '=', p.id).execute();
    assert.deepEqual(await signPetition(deps(), s.current, town, { ...stale, closes_at: new Date(Date.now() + 86_400_000) }, null), { kind: 'closed' });
    assert.equal(await signatureRows(p.id), 0);
  });
});

describe('counting and sealing', () => {
  test('the count is exact before, during and after sealing; concurrent sealers never seal twice', async () => {
    const p = await openPetition(db, town, author.current, moderatorId);
    const signers = await Promise.all(Array.from({ length: 40 }, (_, i) => resident(db, `rush${i}@example.org`, town)));
    await Promise.all(signers.slice(0, 20).map((s) => signPetition(deps(), s.current, town, p, '198.51.100.1')));
    assert.equal(await countSignatures(db, p.id), 20);
    await Promise.all([
      sealPetition(db, p.id), sealPetition(db, p.id),
      ...signers.slice(20).map((s) => signPetition(deps(), s.current, town, p, '198.51.100.2')),
    ]);
    assert.equal(await countSignatures(db, p.id), 40);
    await Promise.all([sealPending(deps()), sealPetition(db, p.id)]);
    assert.equal(await countSignatures(db, p.id), 40);
    const entries = await chain(p);
    assert.deepEqual(entries.map((e) => e.seq), Array.from({ length: 40 }, (_, i) => i + 1));
    assert.equal(verifyChain(entries).ok, true);
    assert.equal(tallyFromEntries(entries), 40);
    const ids = await db.selectFrom('petition_signatures').select('id').where('petition_id', '=', p.id).execute();
    const seqs = await Promise.all(ids.map((r) => sealedSeq(db, { municipalityId: town.id, petitionId: p.id }, Number(r.id))));
    assert.deepEqual(seqs.map(Number).sort((a, b) => a - b), Array.from({ length: 40 }, (_, i) => i + 1), 'every signature has its own place in the chain');
    assert.equal(Number((await db.selectFrom('petition_unsealed').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n), 0);
    const tally = await db.selectFrom('petition_tallies').select('sealed_valid').where('petition_id', '=', p.id).executeTakeFirstOrThrow();
    assert.equal(Number(tally.sealed_valid), 40);
  });

  test('a receipt shows the pseudonym at once and the ledger entry once sealed', async () => {
    const p = await openPetition(db, town, author.current, moderatorId);
    const s = await resident(db, 'receipt@example.org', town);
    await signPetition(deps(), s.current, town, p, null);
    const before = await signatureReceipt(db, p, s.id, 3600);
    assert.equal(before?.entry, null);
    assert.match(before!.signer, /^[0-9a-f]{64}$/);
    const keys = (await publishedKeys(db)).keys;
    const promised = checkReceipt(before!.receipt, keys);
    assert.deepEqual([promised.ok, promised.sealed], [true, false]);
    assert.equal(promised.promise!.deadline.getTime(), new Date(before!.signedAt).getTime() - new Date(before!.signedAt).getMilliseconds() + 3600_000);
    await sealPending(deps());
    const afterSeal = await signatureReceipt(db, p, s.id, 3600);
    const [entry] = await chain(p);
    assert.deepEqual(afterSeal?.entry && { seq: afterSeal.entry.seq, hash: afterSeal.entry.hash }, { seq: 1, hash: entry!.hash });
    assert.equal(entry!.payload.signer, before!.signer);
    // The promise made at signing is the one kept: the sealed entry is exactly what it promised.
    assert.equal(afterSeal!.receipt.promise, before!.receipt.promise);
    const sealed = checkReceipt(afterSeal!.receipt, keys);
    assert.deepEqual([sealed.ok, sealed.sealed], [true, true], JSON.stringify(sealed.steps));
    assert.equal(await signatureReceipt(db, p, author.id, 3600), null);
  });
});

describe('invalidation', () => {
  test('seals what is pending, keeps the rows, lowers the count, appends invalidation entries, audits and records the event', async () => {
    const p = await openPetition(db, town, author.current, moderatorId);
    const bots = await Promise.all([1, 2, 3].map((i) => resident(db, `bot${i}@bots.example`, town)));
    const people = await Promise.all([1, 2].map((i) => resident(db, `person${i}@example.org`, town)));
    for (const u of [...bots, ...people]) await signPetition(deps(), u.current, town, p, '203.0.113.50');
    const actor = { id: moderatorId, ip: null };
    assert.deepEqual(await invalidateSignatures(deps(), actor, town, p, {}, 'Причина'), { kind: 'empty_filter' });
    assert.deepEqual(await invalidateSignatures(deps(), actor, town, p, { emailDomain: 'nowhere.example' }, 'Причина'), { kind: 'none' });
    assert.deepEqual(await invalidateSignatures(deps(), actor, town, p, { emailDomain: 'bots.example' }, 'Масові реєстрації'), { kind: 'invalidated', count: 3 });
    assert.equal(await countSignatures(db, p.id), 2);
    assert.equal(await signatureRows(p.id), 5);
    const entries = await chain(p);
    assert.deepEqual(entries.map((e) => e.kind), ['signature', 'signature', 'signature', 'signature', 'signature', 'invalidation', 'invalidation', 'invalidation']);
    assert.equal(entries[5]!.payload.reason, 'Масові реєстрації');
    // Each entry binds the invalidation's id, date and a commitment to its (unpublished) filter, which the salt opens.
    const inv = await db.selectFrom('petition_invalidations').select(['id', 'filter', 'filter_salt', 'created_at']).where('petition_id', '=', p.id).executeTakeFirstOrThrow();
    assert.deepEqual(new Set(entries.slice(5).map((e) => JSON.stringify([e.payload.invalidation, e.payload.at, e.payload.filter]))).size, 1);
    assert.equal(entries[5]!.payload.invalidation, inv.id);
    assert.equal(entries[5]!.payload.at, ledgerTime(inv.created_at));
    assert.equal(entries[5]!.payload.filter, filterCommitment(inv.filter as Record<string, unknown>, inv.filter_salt!));
    assert.notEqual(entries[5]!.payload.filter, filterCommitment({ ...(inv.filter as Record<string, unknown>), emailDomain: 'other.example' }, inv.filter_salt!));
    assert.equal(tallyFromEntries(entries), 2);
    assert.equal(verifyChain(entries).ok, true);
    const audit = await db.selectFrom('audit_log').select(['actor_id', 'after']).where('action', '=', 'petitions.invalidate').executeTakeFirstOrThrow();
    assert.equal(audit.actor_id, moderatorId);
    assert.equal((audit.after as { count: number }).count, 3);
    assert.deepEqual(await invalidateSignatures(deps(), actor, town, p, { emailDomain: 'bots.example' }, 'Ще раз'), { kind: 'none' }, 'nothing is invalidated twice');
    const later = await resident(db, 'later@example.org', town);
    await signPetition(deps(), later.current, town, p, null);
    await sealPending(deps());
    assert.equal(await countSignatures(db, p.id), 3);
    assert.equal(tallyFromEntries(await chain(p)), 3);
  });
});

describe('what the foreign keys guarded (migration 0011)', () => {
  test('deleting a petition deletes its signatures and queue; a signer cannot be deleted; imports must name real rows', async () => {
    const p = await openPetition(db, town, author.current, moderatorId);
    const s = await resident(db, 'keys@example.org', town);
    await signPetition(deps(), s.current, town, p, null);
    await assert.rejects(db.deleteFrom('users').where('id', '=', s.id).execute(), /cannot be deleted/);
    const row = { municipality_id: town.id, petition_id: p.id, user_id: author.id, ip_prefix: null, email_domain: null, signed_at: new Date() };
    for (const bad of [{ municipality_id: other.id }, { petition_id: p.id + 1000 }, { user_id: 999_999 }]) {
      await assert.rejects(importSignatures(db, [{ ...row, ...bad }]), /must name existing/);
    }
    assert.equal(await signatureRows(p.id), 1, 'nothing imported');
    await db.deleteFrom('petition_events').where('petition_id', '=', p.id).execute();
    await db.deleteFrom('petitions').where('id', '=', p.id).execute();
    assert.equal(await signatureRows(p.id), 0);
    const queued = await db.selectFrom('petition_unsealed').select('signature_id').where('petition_id', '=', p.id).execute();
    assert.deepEqual(queued, []);
    await db.deleteFrom('sessions').where('user_id', '=', s.id).execute();
    await db.deleteFrom('resident_verifications').where('user_id', '=', s.id).execute();
    await db.deleteFrom('users').where('id', '=', s.id).execute();
  });
});
