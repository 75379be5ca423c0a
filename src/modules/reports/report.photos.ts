import type { Municipality } from '../../db/schema.ts';
import { audit } from '../../platform/audit/audit.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import { saveUpload, type UploadRefusal } from '../../platform/files/uploads.ts';
import type { Deps } from '../../platform/http/deps.ts';
import { can } from '../../platform/tenancy/policy.ts';
import { addPhoto, insertReportEvent, listPhotos, OPEN_STATUSES, type ReportRow } from './report.repo.ts';

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

/** Adds a photo, checked by content and stored upright, resized and without metadata; on the timeline. */
export async function addReportPhoto(deps: Deps, user: CurrentUser, m: Municipality, r: ReportRow, upload: { filename: string; data: Buffer }, ip: string | null): Promise<PhotoOutcome> {
  const kind = photoKind(user, r);
  if (!kind) return { kind: 'forbidden' };
  if ((await listPhotos(deps.db, r)).filter((p) => p.kind === kind).length >= MAX_PHOTOS) return { kind: 'too_many' };
  const saved = await saveUpload(deps, { municipalityId: m.id, ownerId: user.id, filename: upload.filename, data: upload.data, allowed: 'image', photo: true });
  if (saved.kind !== 'saved') return { kind: 'refused', refusal: saved };
  await deps.db.transaction().execute(async (trx) => {
    await addPhoto(trx, r, saved.file.id, kind, user.id);
    await insertReportEvent(trx, { municipality_id: m.id, report_id: r.id, kind: kind === 'fix' ? 'photo.fix' : 'photo.report', actor_id: user.id });
    if (kind === 'fix') await audit(trx, { municipalityId: m.id, actorId: user.id, action: 'reports.photo', subjectType: 'report', subjectId: r.number, after: { file: saved.file.id }, ip });
  });
  return { kind: 'added' };
}
