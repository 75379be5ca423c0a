import type { Database } from '../../db/database.ts';
import type { DocumentType, ResidenceRequestStatus, ResidentMethod, ResidentWay } from './residence.tables.ts';

/** Sets which ways the municipality offers. */
export async function setResidentWays(db: Database, municipalityId: number, ways: ResidentWay[]) {
  return db.updateTable('municipalities').set({ resident_ways: JSON.stringify(ways) }).where('id', '=', municipalityId)
    .returningAll().executeTakeFirstOrThrow();
}

/** Whether the person is already a confirmed resident of the municipality (by any method). */
export async function isConfirmedResident(db: Database, municipalityId: number, userId: number): Promise<boolean> {
  const row = await db.selectFrom('resident_verifications').select('user_id')
    .where('municipality_id', '=', municipalityId).where('user_id', '=', userId).executeTakeFirst();
  return !!row;
}

/** Who a document (by its keyed hash) already confirmed in the municipality, if anyone. */
export async function documentHolder(db: Database, municipalityId: number, documentHash: string): Promise<number | undefined> {
  const row = await db.selectFrom('resident_verifications').select('user_id')
    .where('municipality_id', '=', municipalityId).where('document_hash', '=', documentHash).executeTakeFirst();
  return row?.user_id;
}

/** Records a confirmation; false where the person or the document is confirmed already (nothing written). */
export async function insertConfirmation(db: Database, v: {
  municipalityId: number; userId: number; method: ResidentMethod; by: number | null; documentType?: DocumentType | null; documentHash?: string | null;
  districtId?: number | null;
}): Promise<boolean> {
  const r = await db.insertInto('resident_verifications').values({
    municipality_id: v.municipalityId, user_id: v.userId, method: v.method, verified_by: v.by,
    document_type: v.documentType ?? null, document_hash: v.documentHash ?? null, district_id: v.districtId ?? null,
  }).onConflict((oc) => oc.doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

/**
 * The district of a person's confirmed residence in the municipality, where the registrar or the residence
 * request recorded one; null otherwise (not confirmed, confirmed another way, or the district since removed).
 */
export async function residenceDistrict(db: Database, municipalityId: number, userId: number): Promise<number | null> {
  const row = await db.selectFrom('resident_verifications').select('district_id')
    .where('municipality_id', '=', municipalityId).where('user_id', '=', userId).executeTakeFirst();
  return row?.district_id ?? null;
}

const REQUEST_COLUMNS = ['residence_requests.id', 'residence_requests.user_id', 'residence_requests.address', 'residence_requests.document_file_id',
  'residence_requests.next_path', 'residence_requests.district_id', 'residence_requests.status', 'residence_requests.reason', 'residence_requests.due_at',
  'residence_requests.decided_at', 'residence_requests.created_at'] as const;

/** Whether the person has a request still waiting for a decision in the municipality. */
export async function hasPendingRequest(db: Database, municipalityId: number, userId: number): Promise<boolean> {
  const row = await db.selectFrom('residence_requests').select('id').where('municipality_id', '=', municipalityId)
    .where('user_id', '=', userId).where('status', '=', 'pending').executeTakeFirst();
  return !!row;
}

export async function insertRequest(db: Database, v: {
  municipalityId: number; userId: number; address: string; districtId: number | null; fileId: string | null; next: string | null; dueAt: Date;
}): Promise<number> {
  const row = await db.insertInto('residence_requests').values({
    municipality_id: v.municipalityId, user_id: v.userId, address: v.address, district_id: v.districtId, document_file_id: v.fileId, next_path: v.next, due_at: v.dueAt,
  }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** The person's newest request in the municipality, whatever its state. */
export async function latestRequestOf(db: Database, municipalityId: number, userId: number) {
  return db.selectFrom('residence_requests').select(REQUEST_COLUMNS).where('municipality_id', '=', municipalityId)
    .where('user_id', '=', userId).orderBy('id', 'desc').executeTakeFirst();
}

/** One request of the municipality with its applicant, for registrars. */
export async function findRequest(db: Database, municipalityId: number, id: number) {
  return db.selectFrom('residence_requests').innerJoin('users', 'users.id', 'residence_requests.user_id')
    .select([...REQUEST_COLUMNS, 'users.full_name', 'users.email'])
    .where('residence_requests.municipality_id', '=', municipalityId).where('residence_requests.id', '=', id).executeTakeFirst();
}

/** The requests waiting for a decision, the one due first at the top. */
export async function listPendingRequests(db: Database, municipalityId: number, limit = 200) {
  return db.selectFrom('residence_requests').innerJoin('users', 'users.id', 'residence_requests.user_id')
    .select([...REQUEST_COLUMNS, 'users.full_name', 'users.email'])
    .where('residence_requests.municipality_id', '=', municipalityId).where('residence_requests.status', '=', 'pending')
    .orderBy('residence_requests.due_at').orderBy('residence_requests.id').limit(limit).execute();
}

/** Moves a pending request to `status` (only a pending one: a second decision changes nothing); its row, or undefined. */
export async function closeRequest(db: Database, municipalityId: number, id: number, status: Exclude<ResidenceRequestStatus, 'pending'>,
  by: number | null, reason: string | null, onlyOf?: number) {
  let q = db.updateTable('residence_requests').set({ status, decided_by: by, decided_at: new Date(), reason })
    .where('municipality_id', '=', municipalityId).where('id', '=', id).where('status', '=', 'pending');
  if (onlyOf !== undefined) q = q.where('user_id', '=', onlyOf);
  return q.returning(['id', 'user_id', 'document_file_id', 'next_path', 'district_id']).executeTakeFirst();
}
