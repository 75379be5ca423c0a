import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { openPglite } from './database.ts';
import { migrateToLatest } from './migrate.ts';
import { countSignatures, sealedSeq } from '../modules/petitions/signature.repo.ts';

test('0006 carries signatures over: sealed ones keep their ledger places, unsealed ones wait in the queue', async () => {
  const { db, close } = await openPglite(null);
  try {
    await migrateToLatest(db, '2026_12_01_0005_user_lookups');
    await sql`INSERT INTO municipalities (slug, names, official_code, center_lat, center_lng, default_locale, currency) VALUES ('old-town', '{"en":"Old Town"}', 'X1', 50, 24, 'uk', 'UAH')`.execute(db);
    await sql`INSERT INTO users (email, full_name, locale) SELECT 'u' || g || '@example.org', 'U ' || g, 'uk' FROM generate_series(1, 5) g`.execute(db);
    await sql`INSERT INTO petitions (municipality_id, number, author_id, title, body, status) VALUES (1, 1, 1, 'Old petition', 'Text of the old petition.', 'open')`.execute(db);
    await sql`INSERT INTO petition_tallies (petition_id, municipality_id, sealed_valid) VALUES (1, 1, 3)`.execute(db);
    // Three sealed before the upgrade (seq 2 is some other entry, e.g. an invalidation), two still waiting.
    await sql`INSERT INTO petition_signatures (municipality_id, petition_id, user_id, ledger_seq) VALUES (1, 1, 1, 1), (1, 1, 2, 3), (1, 1, 3, 4), (1, 1, 4, NULL), (1, 1, 5, NULL)`.execute(db);
    await migrateToLatest(db);
    const ids = (await db.selectFrom('petition_signatures').select('id').orderBy('id').execute()).map((r) => Number(r.id));
    const key = { municipalityId: 1, petitionId: 1 };
    assert.deepEqual(await Promise.all(ids.map((id) => sealedSeq(db, key, id))), [1, 3, 4, null, null]);
    const queued = await db.selectFrom('petition_unsealed').select(['signature_id', 'user_id']).orderBy('signature_id').execute();
    assert.deepEqual(queued.map((r) => [Number(r.signature_id), r.user_id]), [[ids[3], 4], [ids[4], 5]]);
    assert.equal(await countSignatures(db, 1), 5);
  } finally {
    await close();
  }
});
