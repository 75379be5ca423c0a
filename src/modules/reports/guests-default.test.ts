import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import type { Municipality } from '../../db/schema.ts';
import { openPglite } from '../../db/database.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { createMunicipality } from '../../platform/tenancy/admin.service.ts';
import { serviceDeps } from '../../platform/testing/people.ts';
import { guestsWelcome } from './report.guests.ts';
import { findMunicipalityBySlug } from '../../platform/tenancy/municipality.repo.ts';

test('guest reports: on for municipalities created from now on (the demo’s too), kept off where they were off before', async () => {
  const { db, close } = await openPglite(null);
  try {
    await migrateToLatest(db, '2026_12_02_0011_signature_keys');
    await sql`INSERT INTO municipalities (slug, names, official_code, center_lat, center_lng, default_locale, currency) VALUES ('old-town', '{"en":"Old Town"}', 'X1', 50, 24, 'uk', 'UAH')`.execute(db);
    await sql`INSERT INTO municipalities (slug, names, official_code, center_lat, center_lng, default_locale, currency, settings) VALUES ('open-town', '{"en":"Open Town"}', 'X2', 50, 24, 'uk', 'UAH', '{"reports": {"guests": "email", "radiusKm": 9}}')`.execute(db);
    await migrateToLatest(db);
    const bySlug = async (slug: string) => (await db.selectFrom('municipalities').selectAll().where('slug', '=', slug).executeTakeFirstOrThrow()) as Municipality;
    assert.equal(guestsWelcome(await bySlug('old-town')), false, 'an existing municipality keeps the old default');
    assert.deepEqual((await bySlug('open-town')).settings.reports, { guests: 'email', radiusKm: 9 }, 'a chosen setting is left alone');
    // The admin form and the demo create municipalities through this service.
    const admin = await sql<{ id: number }>`INSERT INTO users (email, full_name, locale) VALUES ('admin@example.org', 'Admin', 'en') RETURNING id`.execute(db);
    const created = await createMunicipality(serviceDeps(db), { id: admin.rows[0]!.id, ip: null }, {
      nameEn: 'New Town', slug: 'new-town', officialCode: 'X3', population: 100, centerLat: 50, centerLng: 24, zoom: 13, defaultLocale: 'uk', currency: 'UAH', timeZone: 'Europe/Kyiv',
    });
    assert.equal(created.kind, 'created');
    assert.equal(guestsWelcome((await findMunicipalityBySlug(db, 'new-town')) as Municipality), true);
  } finally {
    await close();
  }
});
