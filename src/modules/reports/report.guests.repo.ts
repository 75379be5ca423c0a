import type { Database } from '../../db/database.ts';
import { tokenHash } from '../../platform/auth/tokens.ts';
import type { NewReport } from './report.service.ts';

/** Keeps a guest's report until its link is followed; only the token's hash is stored. */
export async function insertPending(db: Database, v: { municipalityId: number; token: string; email: string; fullName: string; locale: string; report: NewReport; ttlMs: number }) {
  await db.insertInto('report_pending').values({
    municipality_id: v.municipalityId, token_hash: tokenHash(v.token), email: v.email.toLowerCase(), full_name: v.fullName, locale: v.locale,
    report: JSON.stringify(v.report), expires_at: new Date(Date.now() + v.ttlMs), confirmed_at: null, report_number: null,
  }).execute();
}

/** A guest's report by its link's token, while the link lives (confirmed or not). */
export async function findPending(db: Database, municipalityId: number, token: string) {
  return db.selectFrom('report_pending').select(['email', 'full_name', 'locale', 'report', 'confirmed_at', 'report_number'])
    .where('municipality_id', '=', municipalityId).where('token_hash', '=', tokenHash(token)).where('expires_at', '>', new Date())
    .executeTakeFirst();
}

/** Marks the report confirmed; false when another request already did, so it is filed once. */
export async function claimPending(db: Database, municipalityId: number, token: string): Promise<boolean> {
  const r = await db.updateTable('report_pending').set({ confirmed_at: new Date() })
    .where('municipality_id', '=', municipalityId).where('token_hash', '=', tokenHash(token)).where('confirmed_at', 'is', null)
    .where('expires_at', '>', new Date()).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function setPendingNumber(db: Database, municipalityId: number, token: string, number: number) {
  await db.updateTable('report_pending').set({ report_number: number }).where('municipality_id', '=', municipalityId).where('token_hash', '=', tokenHash(token)).execute();
}

/** Forgets guests' reports whose links have expired, with the names and addresses they hold. */
export async function forgetExpiredPending(db: Database) {
  const r = await db.deleteFrom('report_pending').where('expires_at', '<=', new Date()).executeTakeFirst();
  return Number(r.numDeletedRows);
}
