import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { ResidentMethod } from './residence.tables.ts';

/** One entry of a census list: an e-mail address (lower-cased) or a document number's keyed hash with the address on file. */
export interface CensusEntry {
  kind: 'email' | 'document';
  identifier: string;
  address: string | null;
}

/**
 * Confirms a resident; false when nothing was written: they were confirmed already, or (with a document hash)
 * that document confirmed another account of the municipality (the unique index `resident_verifications_document`).
 */
export async function confirmResident(db: Database, v: { municipalityId: number; userId: number; method: ResidentMethod; by: number | null; documentHash: string | null }): Promise<boolean> {
  const r = await db.insertInto('resident_verifications')
    .values({ municipality_id: v.municipalityId, user_id: v.userId, method: v.method, verified_by: v.by, document_hash: v.documentHash })
    .onConflict((oc) => oc.doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Whether the user is a confirmed resident of the municipality (read in the caller's transaction). */
export async function isResident(db: Database, municipalityId: number, userId: number): Promise<boolean> {
  return !!(await db.selectFrom('resident_verifications').select('user_id').where('municipality_id', '=', municipalityId).where('user_id', '=', userId).executeTakeFirst());
}

/**
 * Stores one batch of census entries (a later list's address replaces an earlier one's) and confirms the
 * accounts whose verified e-mail address is on it; returns how many accounts were confirmed.
 */
export async function storeCensusBatch(db: Database, municipalityId: number, entries: CensusEntry[], by: number): Promise<number> {
  if (entries.length === 0) return 0;
  // One statement may not touch a row twice: the last entry of an identifier in the batch wins.
  const unique = [...new Map(entries.map((e) => [e.identifier, e])).values()];
  await db.insertInto('census_entries')
    .values(unique.map((e) => ({ municipality_id: municipalityId, identifier: e.identifier, kind: e.kind, address: e.address, uploaded_by: by })))
    .onConflict((oc) => oc.columns(['municipality_id', 'identifier']).doUpdateSet({ address: sql`excluded.address`, uploaded_by: sql`excluded.uploaded_by` }))
    .execute();
  const emails = unique.filter((e) => e.kind === 'email').map((e) => e.identifier);
  if (emails.length === 0) return 0;
  const confirmed = await db.insertInto('resident_verifications')
    .columns(['municipality_id', 'user_id', 'method', 'verified_by'])
    .expression((eb) => eb.selectFrom('users')
      .select([sql<number>`${municipalityId}::int`.as('municipality_id'), 'users.id', sql<ResidentMethod>`'census'`.as('method'), sql<number>`${by}::int`.as('verified_by')])
      .where('users.email', 'in', emails).where('users.email_verified_at', 'is not', null).where('users.deleted_at', 'is', null))
    .onConflict((oc) => oc.doNothing()).executeTakeFirst();
  return Number(confirmed.numInsertedOrUpdatedRows ?? 0);
}

/** The census entry of a document number's hash, with the address on file. */
export async function findDocumentEntry(db: Database, municipalityId: number, documentHash: string) {
  return db.selectFrom('census_entries').select(['identifier', 'address'])
    .where('municipality_id', '=', municipalityId).where('kind', '=', 'document').where('identifier', '=', documentHash).executeTakeFirst();
}

/** How many entries the municipality's census list holds, by kind. */
export async function countCensus(db: Database, municipalityId: number): Promise<{ email: number; document: number }> {
  const rows = await db.selectFrom('census_entries').select(['kind', (eb) => eb.fn.countAll<number>().as('n')])
    .where('municipality_id', '=', municipalityId).groupBy('kind').execute();
  const of = (k: string) => Number(rows.find((r) => r.kind === k)?.n ?? 0);
  return { email: of('email'), document: of('document') };
}
