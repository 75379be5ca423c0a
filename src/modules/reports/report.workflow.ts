import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { Municipality } from '../../db/schema.ts';
import type { ReportCloseReason, ReportStatus } from '../../db/schema.reports.ts';
import { audit } from '../../platform/audit/audit.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import type { Deps } from '../../platform/http/deps.ts';
import { notify, registerNotificationKinds } from '../../platform/notify/notify.service.ts';
import type { LatLng } from '../../platform/geo/geo.ts';
import { insideMunicipality } from './report.service.ts';
import { addFollower, plainFollowers } from './report.followers.repo.ts';
import { addSupporter, findReport, hasSupported, followers, insertReportEvent, moveReport, OPEN_STATUSES, type ReportRow } from './report.repo.ts';

registerNotificationKinds('reports.update');

/** Who acts, for the audit log. */
export interface Actor { id: number; ip: string | null }

/** Status moves staff make, each allowed only from the listed statuses. */
export const MOVES = {
  acknowledge: { from: ['new'], to: 'acknowledged' },
  start: { from: ['new', 'acknowledged', 'scheduled'], to: 'in_progress' },
  schedule: { from: ['new', 'acknowledged', 'in_progress'], to: 'scheduled' },
  fix: { from: OPEN_STATUSES, to: 'fixed' },
} as const satisfies Record<string, { from: readonly ReportStatus[]; to: ReportStatus }>;
export type Move = keyof typeof MOVES;

export type StaffOutcome = { kind: 'done' } | { kind: 'stale' } | { kind: 'unknown_duplicate' } | { kind: 'unknown_department' } | { kind: 'same_department' } | { kind: 'outside' };

/**
 * Tells the reporter and the supporters of a public change, in the caller's transaction. The message names
 * the new status and what it means (`change`: a status move or an update only; `reason` of a closing), rendered
 * in each recipient's language when shown or mailed.
 */
async function tellFollowers(trx: Database, m: Municipality, r: ReportRow, status: ReportStatus, note: string | null, change: 'status' | 'update' = 'status', reason = '') {
  for (const userId of await followers(trx, r)) {
    await notify(trx, {
      userId, municipalityId: m.id, kind: 'reports.update', link: `/${m.slug}/reports/${r.number}`,
      params: { number: r.number, title: r.title, status, change, reason, noted: note ? 'yes' : 'no', note: note ?? '' },
    });
  }
}

const stamp = (to: ReportStatus, r: ReportRow) => ({
  ...(to !== 'new' && !r.acknowledged_at ? { acknowledged_at: new Date() } : {}),
  ...(to === 'fixed' ? { fixed_at: new Date() } : {}),
  ...(to === 'closed' ? { closed_at: new Date() } : {}),
});

/** A status move by staff, with an optional public message; audited, on the timeline, followers told. */
export async function moveByStaff(deps: Deps, actor: Actor, m: Municipality, r: ReportRow, move: Move, note: string | null): Promise<StaffOutcome> {
  const { from, to } = MOVES[move];
  return deps.db.transaction().execute(async (trx) => {
    if (!(await moveReport(trx, r.id, [...from], { status: to, ...stamp(to, r) }))) return { kind: 'stale' as const };
    await insertReportEvent(trx, { municipality_id: m.id, report_id: r.id, kind: move, actor_id: actor.id, from_status: r.status, to_status: to, note });
    await audit(trx, { municipalityId: m.id, actorId: actor.id, action: `reports.${move}`, subjectType: 'report', subjectId: r.number, before: { status: r.status }, after: { status: to, note }, ip: actor.ip });
    await tellFollowers(trx, m, r, to, note);
    return { kind: 'done' as const };
  });
}

/** Closes an open report with an honest reason: not the municipality's responsibility, a duplicate of another, or no further action. */
export async function closeReport(deps: Deps, actor: Actor, m: Municipality, r: ReportRow, reason: ReportCloseReason, duplicateOf: number | null, note: string | null): Promise<StaffOutcome> {
  const original = reason === 'duplicate' && duplicateOf && duplicateOf !== r.number ? await findReport(deps.db, m.id, duplicateOf) : undefined;
  if (reason === 'duplicate' && !original) return { kind: 'unknown_duplicate' };
  return deps.db.transaction().execute(async (trx) => {
    const set = { status: 'closed' as const, close_reason: reason, duplicate_of: reason === 'duplicate' ? duplicateOf : null, ...stamp('closed', r) };
    if (!(await moveReport(trx, r.id, OPEN_STATUSES, set))) return { kind: 'stale' as const };
    // Merging: the duplicate's reporter and supporters have the original's problem; its followers follow the original.
    if (original) {
      const watching = new Set(await plainFollowers(trx, r));
      for (const userId of await followers(trx, r)) {
        if (userId === original.author_id) continue;
        if (watching.has(userId) && userId !== r.author_id && !(await hasSupported(trx, r, userId))) await addFollower(trx, original, userId);
        else await addSupporter(trx, original, userId);
      }
    }
    await insertReportEvent(trx, { municipality_id: m.id, report_id: r.id, kind: `close.${reason}`, actor_id: actor.id, from_status: r.status, to_status: 'closed', note });
    await audit(trx, { municipalityId: m.id, actorId: actor.id, action: 'reports.close', subjectType: 'report', subjectId: r.number, before: { status: r.status }, after: { reason, duplicateOf: set.duplicate_of, note }, ip: actor.ip });
    await tellFollowers(trx, m, r, 'closed', note, 'status', reason);
    return { kind: 'done' as const };
  });
}

/** Sends an open report to another department of the municipality. */
export async function reassignReport(deps: Deps, actor: Actor, m: Municipality, r: ReportRow, departmentId: number): Promise<StaffOutcome> {
  if (departmentId === r.department_id) return { kind: 'same_department' };
  const dept = await deps.db.selectFrom('departments').select(['id', 'names']).where('municipality_id', '=', m.id).where('id', '=', departmentId).executeTakeFirst();
  if (!dept) return { kind: 'unknown_department' };
  return deps.db.transaction().execute(async (trx) => {
    if (!(await moveReport(trx, r.id, OPEN_STATUSES, { department_id: departmentId }))) return { kind: 'stale' as const };
    await insertReportEvent(trx, { municipality_id: m.id, report_id: r.id, kind: 'reassigned', actor_id: actor.id, public: true });
    await audit(trx, { municipalityId: m.id, actorId: actor.id, action: 'reports.reassign', subjectType: 'report', subjectId: r.number, before: { department: r.department_id }, after: { department: departmentId }, ip: actor.ip });
    return { kind: 'done' as const };
  });
}

/** A message on the report's timeline: public (followers are told) or an internal note only staff see. */
export async function addStaffNote(deps: Deps, actor: Actor, m: Municipality, r: ReportRow, note: string, isPublic: boolean): Promise<StaffOutcome> {
  return deps.db.transaction().execute(async (trx) => {
    await insertReportEvent(trx, { municipality_id: m.id, report_id: r.id, kind: isPublic ? 'update' : 'note', actor_id: actor.id, note, public: isPublic });
    await audit(trx, { municipalityId: m.id, actorId: actor.id, action: isPublic ? 'reports.update' : 'reports.note', subjectType: 'report', subjectId: r.number, after: { note }, ip: actor.ip });
    if (isPublic) await tellFollowers(trx, m, r, r.status, note, 'update');
    return { kind: 'done' as const };
  });
}

export type ReporterOutcome = { kind: 'done' } | { kind: 'not_yours' } | { kind: 'not_fixed' };

/**
 * The reporter's answer once a report is marked fixed: really fixed (recorded on the timeline) or not
 * (reopened, back to the department as acknowledged, with the reporter's reason).
 */
export async function answerFix(deps: Deps, user: CurrentUser, m: Municipality, r: ReportRow, fixed: boolean, note: string | null): Promise<ReporterOutcome> {
  if (r.author_id !== user.id) return { kind: 'not_yours' };
  if (r.status !== 'fixed') return { kind: 'not_fixed' };
  return deps.db.transaction().execute(async (trx) => {
    if (fixed) {
      await insertReportEvent(trx, { municipality_id: m.id, report_id: r.id, kind: 'confirmed', actor_id: user.id, note });
      return { kind: 'done' as const };
    }
    if (!(await moveReport(trx, r.id, ['fixed'], { status: 'acknowledged', fixed_at: null }))) return { kind: 'not_fixed' as const };
    await insertReportEvent(trx, { municipality_id: m.id, report_id: r.id, kind: 'reopened', actor_id: user.id, from_status: 'fixed', to_status: 'acknowledged', note });
    return { kind: 'done' as const };
  });
}

/** Puts a report on the map where staff found it (a report given by address, or a place to correct). */
export async function placeReport(deps: Deps, actor: Actor, m: Municipality, r: ReportRow, at: LatLng): Promise<StaffOutcome> {
  if (!insideMunicipality(m, at)) return { kind: 'outside' };
  return deps.db.transaction().execute(async (trx) => {
    if (!(await moveReport(trx, r.id, [r.status], { lat: at.lat, lng: at.lng, location: sql`point(${at.lng}::float8, ${at.lat}::float8)`, located: true }))) return { kind: 'stale' as const };
    await insertReportEvent(trx, { municipality_id: m.id, report_id: r.id, kind: 'placed', actor_id: actor.id });
    await audit(trx, { municipalityId: m.id, actorId: actor.id, action: 'reports.place', subjectType: 'report', subjectId: r.number, before: { lat: r.lat, lng: r.lng, located: r.located }, after: at, ip: actor.ip });
    return { kind: 'done' as const };
  });
}
