import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Database } from '../../db/database.ts';
import type { Municipality } from '../../db/schema.ts';
import { createTestDatabase, type TestDatabase } from '../../platform/testing/db.ts';
import { findPetition } from './petition.repo.ts';
import { closePetition, createDraft, notifySignersJob, publishPetition, rejectPetition, respondToPetition, submitDraft, updateDraft } from './petition.service.ts';
import { closeExpired, sealPending, signPetition } from './signature.service.ts';
import { openPetition, petitionTown, resident, serviceDeps } from './testing.ts';

let database: TestDatabase;
let db: Database;
let town: Municipality;
let other: Municipality;
let author: Awaited<ReturnType<typeof resident>>;
let moderator: Awaited<ReturnType<typeof resident>>;
const deps = () => serviceDeps(db);
const mod = () => ({ id: moderator.id, ip: '203.0.113.5' });
const reload = async (number: number, m = town) => (await findPetition(db, m.id, number))!;
const notices = async (userId: number, kind: string) => Number((await db.selectFrom('notifications').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', userId).where('kind', '=', kind).executeTakeFirstOrThrow()).n);
const audits = async (action: string) => Number((await db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', action).executeTakeFirstOrThrow()).n);

before(async () => {
  database = await createTestDatabase();
  db = database.db;
  town = await petitionTown(db, 'zhovkva', { threshold: 2, supportersNeeded: 0 });
  other = await petitionTown(db, 'sombor', { supportersNeeded: 2, createLevel: 'identity' });
  author = await resident(db, 'author@example.org', town, { fullName: 'Олена Петренко' });
  moderator = await resident(db, 'moderator@example.org', town, { role: 'moderator' });
  await db.insertInto('petition_categories').values([
    { municipality_id: town.id, slug: 'roads', names: JSON.stringify({ en: 'Roads' }) },
    { municipality_id: other.id, slug: 'parks', names: JSON.stringify({ en: 'Parks' }) },
  ]).execute();
});
after(() => database.cleanup());

const draft = { title: 'Освітлення на вулиці Шевченка', body: 'Просимо встановити ліхтарі вздовж усієї вулиці.' };

describe('drafts', () => {
  test('refuses a level too low and a category of another municipality, writing nothing', async () => {
    assert.deepEqual(await createDraft(deps(), author.current, other, draft), { kind: 'level', required: 'identity' });
    const foreign = (await db.selectFrom('petition_categories').select('id').where('municipality_id', '=', other.id).executeTakeFirstOrThrow()).id;
    assert.deepEqual(await createDraft(deps(), author.current, town, { ...draft, categoryId: foreign }), { kind: 'unknown_category' });
    assert.equal((await db.selectFrom('petitions').select('id').execute()).length, 0);
  });

  test('numbers petitions per municipality, even when created at once', async () => {
    const results = await Promise.all([1, 2, 3].map(() => createDraft(deps(), author.current, town, draft)));
    assert.deepEqual(results.map((r) => (r.kind === 'created' ? r.number : 0)).sort(), [1, 2, 3]);
  });

  test('petitions read at the same moment (one grouped query) each come back as their own', async () => {
    const otherAuthor = await resident(db, 'other-author@example.org', other);
    const created = await createDraft(deps(), otherAuthor.current, other, { ...draft, title: 'Парк у Сомборі' });
    assert.equal(created.kind, 'created');
    const found = await Promise.all([[town, 1], [other, 1], [town, 2], [town, 999], [other, 1]].map(([m, n]) => findPetition(db, (m as Municipality).id, n as number)));
    assert.deepEqual(found.map((p) => p && [p.municipality_id, p.number, p.title]), [
      [town.id, 1, draft.title], [other.id, 1, 'Парк у Сомборі'], [town.id, 2, draft.title], undefined, [other.id, 1, 'Парк у Сомборі'],
    ]);
  });

  test('only the author edits, and only a draft', async () => {
    const p = await reload(1);
    assert.equal(await updateDraft(deps(), moderator.current, town, p, draft), 'forbidden');
    assert.equal(await updateDraft(deps(), author.current, town, p, { ...draft, title: 'Нова назва петиції' }), 'updated');
    assert.equal((await reload(1)).title, 'Нова назва петиції');
    assert.equal(await submitDraft(deps(), author.current, town, await reload(1)), 'submitted');
    assert.equal(await updateDraft(deps(), author.current, town, await reload(1), draft), 'wrong_status');
    assert.ok((await reload(1)).moderation_due_at, 'the moderation deadline is set');
  });

  test('co-signers first where the municipality asks for them; enough of them send it to moderation', async () => {
    const a = await resident(db, 'sombor-author@example.org', other);
    const r = await createDraft(deps(), { ...a.current, identityVerified: true }, other, draft);
    assert.equal(r.kind, 'created');
    const number = r.kind === 'created' ? r.number : 0;
    assert.equal(await submitDraft(deps(), a.current, other, await reload(number, other)), 'supporters');
    for (const email of ['c1@example.org', 'c2@example.org']) {
      const c = await resident(db, email, other);
      assert.equal((await signPetition(deps(), c.current, other, await reload(number, other), null)).kind, 'signed');
    }
    assert.equal((await reload(number, other)).status, 'moderation');
  });
});

describe('moderation and response', () => {
  test('publish once, notify the author, audit it; the goalposts are copied onto the petition', async () => {
    const p = await reload(1);
    assert.equal(await publishPetition(deps(), mod(), town, p), 'published');
    assert.equal(await publishPetition(deps(), mod(), town, p), 'wrong_status');
    const now = await reload(1);
    assert.equal(now.status, 'open');
    assert.equal(now.threshold, 2);
    assert.ok(now.closes_at && new Date(now.closes_at) > new Date(Date.now() + 59 * 86_400_000));
    assert.equal(await notices(author.id, 'petitions.published'), 1);
    assert.equal(await audits('petitions.publish'), 1);
  });

  test('reject only from moderation or co-signing, with the reason sent', async () => {
    assert.equal(await rejectPetition(deps(), mod(), town, await reload(1), 'Причина відмови'), 'wrong_status');
    await submitDraft(deps(), author.current, town, await reload(2));
    assert.equal(await rejectPetition(deps(), mod(), town, await reload(2), 'Не належить до повноважень ради'), 'rejected');
    assert.equal((await reload(2)).rejection_reason, 'Не належить до повноважень ради');
    assert.equal(await notices(author.id, 'petitions.rejected'), 1);
  });

  test('threshold reached by sealing, then a response; signers are told in batches; then closed', async () => {
    assert.equal(await respondToPetition(deps(), mod(), town, await reload(1), { outcome: 'supported', text: 'Так' }), 'wrong_status');
    const signers = [];
    for (const email of ['s1@example.org', 's2@example.org', 's3@example.org']) signers.push(await resident(db, email, town));
    for (const s of signers) await signPetition(deps(), s.current, town, await reload(1), '198.51.100.20');
    await sealPending(deps());
    const reached = await reload(1);
    assert.equal(reached.status, 'awaiting_response');
    assert.ok(reached.response_due_at && reached.threshold_reached_at);
    assert.equal(await notices(author.id, 'petitions.threshold'), 1);
    assert.equal(await respondToPetition(deps(), mod(), town, reached, { outcome: 'partly_supported', text: 'Частково підтримано.' }), 'answered');
    assert.equal(await notices(author.id, 'petitions.response'), 1);
    const job = await db.selectFrom('jobs').select('payload').where('kind', '=', 'petitions.notify-signers').executeTakeFirstOrThrow();
    await notifySignersJob(job.payload as Record<string, unknown>, deps());
    for (const s of signers) assert.equal(await notices(s.id, 'petitions.signedResponse'), 1);
    assert.equal(await closePetition(deps(), mod(), town, await reload(1), 'Виконано.'), 'closed');
    assert.equal(await closePetition(deps(), mod(), town, await reload(1), 'Виконано.'), 'wrong_status');
    const kinds = (await db.selectFrom('petition_events').select('kind').where('petition_id', '=', reached.id).orderBy('id').execute()).map((e) => e.kind);
    assert.deepEqual(kinds, ['created', 'submitted', 'published', 'threshold', 'answered', 'closed']);
  });

  test('an open petition past its period closes by itself, and its author learns the count', async () => {
    const p = await openPetition(db, town, author.current, moderator.id, 'Петиція, що не набрала підписів');
    const s = await resident(db, 'lonely@example.org', town);
    await signPetition(deps(), s.current, town, p, null);
    await db.updateTable('petitions').set({ closes_at: new Date(Date.now() - 1000) }).where('id', '=', p.id).execute();
    assert.equal((await signPetition(deps(), s.current, town, await reload(p.number), null)).kind, 'closed');
    await closeExpired(deps());
    assert.equal((await reload(p.number)).status, 'closed');
    const note = await db.selectFrom('notifications').select('params').where('user_id', '=', author.id).where('kind', '=', 'petitions.expired').executeTakeFirstOrThrow();
    assert.deepEqual({ ...(note.params as object) }, { title: 'Петиція, що не набрала підписів', count: 1, threshold: 2 });
  });
});
