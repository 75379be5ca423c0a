import type { Municipality } from '../../db/schema.ts';
import { audit } from '../../platform/audit/audit.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { saveUploadOnce, type UploadRefusal } from '../../platform/files/uploads.ts';
import type { Deps } from '../../platform/http/deps.ts';
import type { OnceKey } from '../../platform/idempotency/once.ts';
import { can } from '../../platform/tenancy/policy.ts';
import { addPhoto, insertReportEvent, listPhotos, lockReport, OPEN_STATUSES, type ReportRow } from './report.repo.ts';

/** Photos of each kind a report may have. */
export const MAX_PHOTOS = 5;

/** Which photos the user may add to the report now: of the problem (its reporter, while open) or of the fix (staff). */
export function photoKind(user: CurrentUser | null, r: ReportRow): 'report' | 'fix' | null {
  if (!user) return null;
  if (can(user, 'reports.handle', { municipalityId: r.municipality_id }) && r.status !== 'closed') return 'fix';
  if (user.id === r.author_id && OPEN_STATUSES.includes(r.status)) return 'report';
  return null;
}

export type PhotoOutcome = { kind: 'added' } | { kind: 'forbidden' } | { kind: 'too_many' } | { kind: 'refused'; refusal: UploadRefusal };

/**
 * Adds a photo, checked by content and stored upright, resized and without metadata; on the timeline. Once per
 * form (`once`): a double click or a resent upload adds one photo. The count is checked again in the transaction.
 */
export async function addReportPhoto(deps: Deps, user: CurrentUser, m: Municipality, r: ReportRow, upload: { filename: string; data: Buffer }, ip: string | null, once: OnceKey | null): Promise<PhotoOutcome> {
  const kind = photoKind(user, r);
  if (!kind) return { kind: 'forbidden' };
  const full = async (db: Deps['db']) => (await listPhotos(db, r)).filter((p) => p.kind === kind).length >= MAX_PHOTOS;
  if (await full(deps.db)) return { kind: 'too_many' };
  const saved = await saveUploadOnce(deps, once, 'reports.photo', { municipalityId: m.id, ownerId: user.id, filename: upload.filename, data: upload.data, allowed: 'image', photo: true },
    async (trx, file): Promise<PhotoOutcome> => {
      await lockReport(trx, r.id);
      if (await full(trx)) return { kind: 'too_many' };
      await addPhoto(trx, r, file.id, kind, user.id);
      await insertReportEvent(trx, { municipality_id: m.id, report_id: r.id, kind: kind === 'fix' ? 'photo.fix' : 'photo.report', actor_id: user.id });
      if (kind === 'fix') await audit(trx, { municipalityId: m.id, actorId: user.id, action: 'reports.photo', subjectType: 'report', subjectId: r.number, after: { file: file.id }, ip });
      return { kind: 'added' };
    }, (o) => o.kind === 'added');
  return saved.kind === 'saved' ? saved.result : { kind: 'refused', refusal: saved };
}
