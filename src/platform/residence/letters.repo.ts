import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';

/** The letter a resident has open in a municipality (asked for, perhaps printed, not yet used or void). */
export async function findOpenLetter(db: Database, municipalityId: number, userId: number, lock = false) {
  let q = db.selectFrom('residence_letters')
    .select(['id', 'recipient', 'address', 'code_hash', 'printed_by', 'printed_at', 'expires_at', 'attempts', 'created_at'])
    .where('municipality_id', '=', municipalityId).where('user_id', '=', userId).where('used_at', 'is', null);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** The resident's latest closed letter, to say why it closed (used, or void after wrong codes or expiry). */
export async function findLastClosedLetter(db: Database, municipalityId: number, userId: number) {
  return db.selectFrom('residence_letters').select(['id', 'code_hash', 'used_at', 'attempts'])
    .where('municipality_id', '=', municipalityId).where('user_id', '=', userId).where('used_at', 'is not', null)
    .orderBy('id', 'desc').limit(1).executeTakeFirst();
}

/** Asks for a letter; null when the resident already has one open (the unique index holds it). */
export async function insertLetter(db: Database, municipalityId: number, userId: number, recipient: string, address: string) {
  return db.insertInto('residence_letters').values({ municipality_id: municipalityId, user_id: userId, recipient, address })
    .onConflict((oc) => oc.doNothing()).returning('id').executeTakeFirst();
}

/** Closes a letter without confirming anyone: its code (if any) never works again. */
export async function voidLetter(db: Database, id: number): Promise<void> {
  await db.updateTable('residence_letters').set({ code_hash: null, used_at: sql`now()` }).where('id', '=', id).execute();
}

/** Marks a letter's code as used. */
export async function useLetter(db: Database, id: number): Promise<void> {
  await db.updateTable('residence_letters').set({ used_at: sql`now()` }).where('id', '=', id).execute();
}

/** Counts one wrong code; returns the attempts made so far. */
export async function countWrongCode(db: Database, id: number): Promise<number> {
  const row = await db.updateTable('residence_letters').set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id).returning('attempts').executeTakeFirstOrThrow();
  return row.attempts;
}

/** Open letters of a municipality: waiting to be printed first (oldest first), then printed ones. */
export async function listOpenLetters(db: Database, municipalityId: number, printed: boolean, limit = 500) {
  return db.selectFrom('residence_letters').innerJoin('users', 'users.id', 'residence_letters.user_id')
    .leftJoin('users as printer', 'printer.id', 'residence_letters.printed_by')
    .select(['residence_letters.id', 'residence_letters.recipient', 'residence_letters.address', 'residence_letters.created_at',
      'residence_letters.printed_at', 'residence_letters.expires_at', 'residence_letters.attempts', 'users.email', 'printer.full_name as printed_by_name'])
    .where('residence_letters.municipality_id', '=', municipalityId).where('residence_letters.used_at', 'is', null)
    .where('residence_letters.printed_at', printed ? 'is not' : 'is', null)
    .orderBy(printed ? 'residence_letters.printed_at' : 'residence_letters.id', printed ? 'desc' : 'asc').orderBy('residence_letters.id')
    .limit(limit).execute();
}

/** Letters of the municipality by id, held for update, with their resident's language. */
export async function lettersForPrint(db: Database, municipalityId: number, ids: number[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('residence_letters').innerJoin('users', 'users.id', 'residence_letters.user_id')
    .select(['residence_letters.id', 'residence_letters.user_id', 'residence_letters.recipient', 'residence_letters.address', 'residence_letters.code_hash',
      'residence_letters.printed_at', 'residence_letters.expires_at', 'residence_letters.used_at', 'users.locale'])
    .where('residence_letters.municipality_id', '=', municipalityId).where('residence_letters.id', 'in', ids)
    .orderBy('residence_letters.id').forUpdate('residence_letters').execute();
}

/** The ids of the letters waiting to be printed (at most `limit`, oldest first). */
export async function waitingLetterIds(db: Database, municipalityId: number, limit: number): Promise<number[]> {
  const rows = await db.selectFrom('residence_letters').select('id').where('municipality_id', '=', municipalityId)
    .where('used_at', 'is', null).where('printed_at', 'is', null).orderBy('id').limit(limit).execute();
  return rows.map((r) => r.id);
}

/** Records a printing: the new code's hash (the old code stops working), who printed, until when it holds. */
export async function markPrinted(db: Database, id: number, codeHash: string, by: number, printedAt: Date, expiresAt: Date): Promise<void> {
  await db.updateTable('residence_letters')
    .set({ code_hash: codeHash, printed_by: by, printed_at: printedAt, expires_at: expiresAt, attempts: 0 })
    .where('id', '=', id).where('used_at', 'is', null).execute();
}

