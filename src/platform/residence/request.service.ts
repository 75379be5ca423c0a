import type { Transaction } from 'kysely';
import type { DB, Municipality } from '../../db/schema.ts';
import type { CurrentUser } from '../auth/current-user.ts';
import { audit } from '../audit/audit.ts';
import { deleteFileRow } from '../files/files.repo.ts';
import { saveUploadOnce, type UploadRefusal } from '../files/uploads.ts';
import type { Deps } from '../http/deps.ts';
import { createOnce, type OnceKey } from '../idempotency/once.ts';
import { notify } from '../notify/notify.service.ts';
import { addWorkingDays } from '../time/working-days.ts';
import { auditWayRefused, type Actor } from './confirm.service.ts';
import { closeRequest, findRequest, hasPendingRequest, insertConfirmation, insertRequest, isConfirmedResident } from './residence.repo.ts';
import { offersWay, REQUEST_WORKING_DAYS } from './residence.ways.ts';
import { checkedDistrict } from './residence.districts.tsx';

export type RequestOutcome =
  | { kind: 'sent'; id: number }
  | { kind: 'not_offered' }
  | { kind: 'email' }
  | { kind: 'already' }
  | { kind: 'pending_exists' }
  | { kind: 'foreign_district' }
  | UploadRefusal;

/** What a resident sends: where they live, optionally a document's scan, and the page to return to (already made safe). */
export interface RequestInput {
  address: string;
  /** The district the resident names, where the municipality has districts. */
  districtId?: number | undefined;
  next: string | null;
  scan: { filename: string; data: Buffer } | null;
}

/**
 * A resident (signed in, e-mail confirmed) asks to be confirmed as a resident: one pending request per person
 * and municipality, due in REQUEST_WORKING_DAYS working days of the municipality's time zone. A scan is checked
 * like every upload and kept only until the decision.
 */
export async function sendRequest(deps: Deps, user: CurrentUser, m: Municipality, v: RequestInput, once: OnceKey | null = null): Promise<RequestOutcome> {
  if (!offersWay(m, 'request')) {
    await auditWayRefused(deps.db, { id: user.id }, m, 'request');
    return { kind: 'not_offered' };
  }
  if (!user.emailVerified) return { kind: 'email' };
  const districtId = await checkedDistrict(deps.db, m.id, v.districtId);
  if (districtId === 'foreign') return { kind: 'foreign_district' };
  const create = async (trx: Transaction<DB>, fileId: string | null): Promise<RequestOutcome> => {
    if (await isConfirmedResident(trx, m.id, user.id)) return { kind: 'already' };
    if (await hasPendingRequest(trx, m.id, user.id)) return { kind: 'pending_exists' };
    const dueAt = addWorkingDays(new Date(), REQUEST_WORKING_DAYS, m.time_zone);
    return { kind: 'sent', id: await insertRequest(trx, { municipalityId: m.id, userId: user.id, address: v.address, districtId, fileId, next: v.next, dueAt }) };
  };
  const keep = (r: RequestOutcome) => r.kind === 'sent';
  if (!v.scan) return createOnce(deps.db, once, 'residence.request', (trx) => create(trx, null), keep);
  const saved = await saveUploadOnce(deps, once, 'residence.request',
    { municipalityId: m.id, ownerId: user.id, filename: v.scan.filename, data: v.scan.data, allowed: 'image-or-document' },
    (trx, file) => create(trx, file.id), keep);
  return saved.kind === 'saved' ? saved.result : saved;
}

/** Removes a request's scan (bytes and row) once it is no longer needed; the bytes go after the row's commit. */
async function dropScan(deps: Deps, fileId: string | null): Promise<void> {
  if (!fileId) return;
  const key = await deleteFileRow(deps.db, fileId);
  if (key) await deps.storage.delete(key).catch(() => {});
}

/** The resident takes back their pending request; its scan is deleted. */
export async function withdrawRequest(deps: Deps, user: CurrentUser, m: Municipality, id: number): Promise<'withdrawn' | 'not_pending'> {
  const closed = await closeRequest(deps.db, m.id, id, 'withdrawn', null, null, user.id);
  if (!closed) return 'not_pending';
  await dropScan(deps, closed.document_file_id);
  return 'withdrawn';
}

/** The page to send the resident back to, as a notification link (no locale: the reader's is added). */
function backLink(m: Municipality, next: string | null): string {
  return next?.replace(/^\/[^/]+(?=\/)/, '') ?? `/${m.slug}/`;
}

/** An approval keeps the district the resident named, unless the registrar gives another (`districtId`; null for none). */
export type Decision = { kind: 'approve'; districtId?: number | null } | { kind: 'refuse'; reason: string };

/**
 * A registrar approves (the resident is confirmed, method `request`, with the district) or refuses with a reason
 * a pending request; a request decided already (by another registrar, or withdrawn) changes nothing, and a
 * district not of the municipality is refused before anything is. Audited; the resident is told, with a link
 * back to what they were doing; the scan is deleted.
 */
export async function decideRequest(deps: Deps, actor: Actor, m: Municipality, id: number, d: Decision): Promise<'decided' | 'not_pending' | 'foreign_district'> {
  const corrected = d.kind === 'approve' && d.districtId !== undefined ? await checkedDistrict(deps.db, m.id, d.districtId) : undefined;
  if (corrected === 'foreign') return 'foreign_district';
  const closed = await deps.db.transaction().execute(async (trx) => {
    const row = await closeRequest(trx, m.id, id, d.kind === 'approve' ? 'approved' : 'refused', actor.id, d.kind === 'refuse' ? d.reason : null);
    if (!row) return undefined;
    const districtId = corrected === undefined ? row.district_id : corrected;
    if (d.kind === 'approve') await insertConfirmation(trx, { municipalityId: m.id, userId: row.user_id, method: 'request', by: actor.id, districtId });
    await audit(trx, { municipalityId: m.id, actorId: actor.id, action: d.kind === 'approve' ? 'residence.approve' : 'residence.refuse',
      subjectType: 'residence_request', subjectId: row.id, after: d.kind === 'refuse' ? { reason: d.reason } : { userId: row.user_id, districtId }, ip: actor.ip ?? null });
    await notify(trx, {
      userId: row.user_id, municipalityId: m.id, kind: d.kind === 'approve' ? 'residence.confirmed' : 'residence.refused',
      params: d.kind === 'refuse' ? { reason: d.reason } : {}, link: backLink(m, row.next_path),
    });
    return row;
  });
  if (!closed) return 'not_pending';
  await dropScan(deps, closed.document_file_id);
  return 'decided';
}

/** A request of the municipality, for registrars. */
export const requestOf = (deps: Deps, m: Municipality, id: number) => findRequest(deps.db, m.id, id);
