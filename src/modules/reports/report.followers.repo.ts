import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';

type Trx = Database | Transaction<DB>;
type ReportRef = { municipality_id: number; id: number };

/** Follows a report's updates; false when the user followed it already. */
export async function addFollower(db: Trx, r: ReportRef, userId: number): Promise<boolean> {
  const added = await db.insertInto('report_followers').values({ municipality_id: r.municipality_id, report_id: r.id, user_id: userId })
    .onConflict((oc) => oc.columns(['municipality_id', 'report_id', 'user_id']).doNothing()).returning('user_id').executeTakeFirst();
  return added !== undefined;
}

export async function removeFollower(db: Trx, r: ReportRef, userId: number): Promise<boolean> {
  const r_ = await db.deleteFrom('report_followers').where('municipality_id', '=', r.municipality_id).where('report_id', '=', r.id).where('user_id', '=', userId).executeTakeFirst();
  return Number(r_.numDeletedRows) > 0;
}

export async function isFollowing(db: Trx, r: ReportRef, userId: number): Promise<boolean> {
  return (await db.selectFrom('report_followers').select('user_id').where('municipality_id', '=', r.municipality_id).where('report_id', '=', r.id).where('user_id', '=', userId).executeTakeFirst()) !== undefined;
}

/** Those who follow the report without having the problem (merging moves them as followers, not supporters). */
export async function plainFollowers(db: Trx, r: ReportRef): Promise<number[]> {
  return (await db.selectFrom('report_followers').select('user_id').where('municipality_id', '=', r.municipality_id).where('report_id', '=', r.id).execute()).map((x) => x.user_id);
}
