import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB, Municipality } from '../../db/schema.ts';
import { notify, registerNotificationKinds } from '../../platform/notify/notify.service.ts';
import type { LatLng } from '../../platform/geo/geo.ts';
import { distanceTo } from './report.repo.ts';
import { createOnce, type OnceKey } from '../../platform/idempotency/once.ts';

registerNotificationKinds('reports.nearby');

type Trx = Database | Transaction<DB>;

/** The most areas one resident may follow in a municipality. */
export const MAX_AREAS = 10;

export async function listSubscriptions(db: Trx, municipalityId: number, userId: number) {
  return db.selectFrom('report_subscriptions as s').leftJoin('report_categories as c', 'c.id', 's.category_id').leftJoin('districts as d', 'd.id', 's.district_id')
    .select(['s.id', 's.lat', 's.lng', 's.radius_m', 's.created_at', 'c.names as category_names', 'd.names as district_names', 'd.slug as district_slug'])
    .where('s.municipality_id', '=', municipalityId).where('s.user_id', '=', userId).orderBy('s.id').execute();
}

export type SubscribeOutcome = { kind: 'added' } | { kind: 'too_many' } | { kind: 'unknown_category' } | { kind: 'unknown_district' };

/** An area to follow: a circle around a place, or one of the municipality's districts. */
export type Area = { at: LatLng; radiusM: number } | { districtId: number };

/** Follows new reports in an area, of one category or of all. */
export async function subscribe(db: Database, m: Municipality, userId: number, v: Area & { categoryId: number | null }, once: OnceKey | null = null): Promise<SubscribeOutcome> {
  // Counted and checked after the idempotency claim, so a resend is answered "added" (not "too many").
  return createOnce(db, once, 'reports.area', async (trx) => {
    // Counted under a per-user lock, so two tabs cannot pass the limit together.
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`report-areas:${m.id}:${userId}`}))`.execute(trx);
    if ((await listSubscriptions(trx, m.id, userId)).length >= MAX_AREAS) return { kind: 'too_many' as const };
    if (v.categoryId !== null && !(await trx.selectFrom('report_categories').select('id').where('municipality_id', '=', m.id).where('id', '=', v.categoryId).executeTakeFirst())) {
      return { kind: 'unknown_category' as const };
    }
    if ('districtId' in v && !(await trx.selectFrom('districts').select('id').where('municipality_id', '=', m.id).where('id', '=', v.districtId).executeTakeFirst())) {
      return { kind: 'unknown_district' as const };
    }
    const where = 'districtId' in v ? { district_id: v.districtId } : { lat: v.at.lat, lng: v.at.lng, radius_m: v.radiusM };
    await trx.insertInto('report_subscriptions').values({ municipality_id: m.id, user_id: userId, category_id: v.categoryId, ...where }).execute();
    return { kind: 'added' as const };
  }, (r) => r.kind === 'added');
}

/** Stops following an area; only its owner can. Returns whether one was removed. */
export async function unsubscribe(db: Database, municipalityId: number, userId: number, id: number): Promise<boolean> {
  const r = await db.deleteFrom('report_subscriptions').where('municipality_id', '=', municipalityId).where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/**
 * Tells everyone whose area holds a new report (except its reporter), in the filing transaction. A
 * municipality's subscriptions are few enough to measure each: no index on the circles is needed; the
 * districts holding the place are found once, through the index on their shapes.
 */
export async function tellAreas(trx: Database, m: Municipality, r: { number: number; title: string; categoryId: number; at: LatLng; authorId: number | null }) {
  const { rows } = await sql<{ user_id: number }>`
    SELECT DISTINCT user_id FROM report_subscriptions s
    WHERE s.municipality_id = ${m.id} AND (s.category_id IS NULL OR s.category_id = ${r.categoryId})
      AND (${distanceTo(r.at, 's')} <= s.radius_m
        OR s.district_id IN (SELECT district_id FROM district_parts p WHERE p.municipality_id = ${m.id} AND p.shape @> point(${r.at.lng}::float8, ${r.at.lat}::float8)))`.execute(trx);
  for (const { user_id } of rows) {
    if (user_id === r.authorId) continue;
    await notify(trx, { userId: user_id, municipalityId: m.id, kind: 'reports.nearby', link: `/${m.slug}/reports/${r.number}`, params: { number: r.number, title: r.title } });
  }
}
