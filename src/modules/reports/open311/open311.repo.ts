import type { Transaction } from 'kysely';
import type { Database } from '../../../db/database.ts';
import type { DB } from '../../../db/schema.ts';
import type { ReportStatus } from '../../../db/schema.reports.ts';

type Trx = Database | Transaction<DB>;

export async function insertKey(trx: Trx, municipalityId: number, name: string, keyHash: string, createdBy: number) {
  return trx.insertInto('open311_keys').values({ municipality_id: municipalityId, name, key_hash: keyHash, created_by: createdBy }).returning('id').executeTakeFirstOrThrow();
}

export async function listKeys(db: Trx, municipalityId: number) {
  return db.selectFrom('open311_keys').select(['id', 'name', 'created_at', 'revoked_at']).where('municipality_id', '=', municipalityId).orderBy('id').execute();
}

/** Revokes a live key; returns whether one was revoked. */
export async function revokeKey(trx: Trx, municipalityId: number, id: number): Promise<boolean> {
  const r = await trx.updateTable('open311_keys').set({ revoked_at: new Date() }).where('municipality_id', '=', municipalityId).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** The live key of a municipality with this hash, or undefined. */
export async function findLiveKey(db: Trx, municipalityId: number, keyHash: string) {
  return db.selectFrom('open311_keys').select(['id', 'name']).where('municipality_id', '=', municipalityId).where('key_hash', '=', keyHash).where('revoked_at', 'is', null).executeTakeFirst();
}

export interface RequestQuery {
  numbers?: number[] | undefined;
  serviceCode?: string | undefined;
  start?: Date | undefined;
  end?: Date | undefined;
  statuses?: ReportStatus[] | undefined;
  limit: number;
}

/** Reports as GeoReport v2 shows them, newest first, with the latest public note and the department. */
export async function open311Requests(db: Trx, municipalityId: number, q: RequestQuery) {
  let sel = db.selectFrom('reports as r').innerJoin('report_categories as c', 'c.id', 'r.category_id')
    .leftJoin('departments as d', 'd.id', 'r.department_id')
    .select((eb) => [
      'r.number', 'r.status', 'r.description', 'r.title', 'r.address', 'r.lat', 'r.lng', 'r.located', 'r.created_at', 'r.updated_at', 'r.fixed_at', 'r.closed_at',
      'c.slug as service_code', 'c.names as service_names', 'c.fix_days', 'd.names as department_names',
      eb.selectFrom('report_events as e').select('e.note').whereRef('e.report_id', '=', 'r.id').where('e.public', '=', true).where('e.note', 'is not', null)
        .orderBy('e.id', 'desc').limit(1).as('status_notes'),
    ])
    .where('r.municipality_id', '=', municipalityId);
  if (q.numbers?.length) sel = sel.where('r.number', 'in', q.numbers);
  if (q.serviceCode) sel = sel.where('c.slug', '=', q.serviceCode);
  if (q.start) sel = sel.where('r.created_at', '>=', q.start);
  if (q.end) sel = sel.where('r.created_at', '<=', q.end);
  if (q.statuses?.length) sel = sel.where('r.status', 'in', q.statuses);
  return sel.orderBy('r.created_at', 'desc').orderBy('r.id', 'desc').limit(q.limit).execute();
}

export async function numberForToken(db: Trx, municipalityId: number, token: string) {
  return db.selectFrom('reports').select('number').where('municipality_id', '=', municipalityId).where('open311_token', '=', token).executeTakeFirst();
}
