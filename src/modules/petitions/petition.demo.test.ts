import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ledgerEntries, verifyChain } from '../../platform/ledger/ledger.ts';
import { createTestDatabase } from '../../platform/testing/db.ts';
import { petitionDemo } from './petition.demo.ts';
import { chainName, countSignatures, tallyFromEntries } from './signature.service.ts';
import { petitionTown, resident, serviceDeps } from './testing.ts';

test('the demo fills a municipality with petitions in every state, each chain re-counting to its count', async () => {
  const database = await createTestDatabase();
  try {
    const db = database.db;
    const m = await petitionTown(db, 'sombor');
    await db.updateTable('municipalities').set({ default_locale: 'sr-Latn' }).where('id', '=', m.id).execute();
    const town = { ...m, default_locale: 'sr-Latn' };
    const people = {
      residents: [(await resident(db, 'r1@example.org', town)).id, (await resident(db, 'r2@example.org', town)).id],
      officials: [(await resident(db, 'o@example.org', town, { role: 'official' })).id],
      moderators: [(await resident(db, 'm@example.org', town, { role: 'moderator' })).id],
      admin: (await resident(db, 'a@example.org', town, { role: 'admin' })).id,
    };
    await petitionDemo(serviceDeps(db), town, people);
    const petitions = await db.selectFrom('petitions').select(['id', 'number', 'status', 'title']).where('municipality_id', '=', m.id).execute();
    assert.deepEqual([...new Set(petitions.map((p) => p.status))].sort(), ['answered', 'awaiting_response', 'closed', 'draft', 'moderation', 'open', 'rejected']);
    assert.ok(petitions.every((p) => !/[\u0400-\u04FF]/.test(p.title)), 'Serbian Latin municipalities get Latin text');
    for (const p of petitions) {
      const entries = await ledgerEntries(db, m.id, chainName(p.number), { limit: 10_000 });
      assert.equal(verifyChain(entries).ok, true);
      assert.equal(tallyFromEntries(entries), await countSignatures(db, p.id), `petition ${p.number}`);
      // docs/LEDGER.md: in seq order, signing times never go back (the demo signs in time order, as residents would).
      const times = entries.filter((e) => e.kind === 'signature').map((e) => String(e.payload.at));
      assert.deepEqual(times, [...times].sort(), `petition ${p.number}: signatures in the order of their times`);
    }
  } finally {
    await database.cleanup();
  }
});
