import type { Municipality } from '../../db/schema.ts';
import { meetsLevel, type CurrentUser, type VerificationLevel } from '../../platform/auth/current-user.ts';
import type { Deps } from '../../platform/http/deps.ts';
import { createOnce, type OnceKey } from '../../platform/idempotency/once.ts';
import { nextNumber } from '../../platform/tenancy/numbering.ts';
import { distanceMeters, type LatLng } from '../../platform/geo/geo.ts';
import type { Database } from '../../db/database.ts';
import { checkAnswers, type AnswerProblem, type Answers } from './report.questions.ts';
import { addFollower } from './report.followers.repo.ts';
import { addSupporter, findCategory, hasSupported, type ReportCategory, insertReport, insertReportEvent, nearbyOpen, OPEN_STATUSES, type ReportRow } from './report.repo.ts';
import { reportSettings } from './report.settings.ts';
import { tellAreas } from './report.subscriptions.ts';

/** The longest description a report takes: GeoReport v2's limit, so every report can be published through Open311 whole. */
export const DESCRIPTION_MAX = 4000;

export interface NewReport {
  category: string;
  title: string;
  description: string;
  /** Where the problem is; null when the resident gave only an address. */
  at: LatLng | null;
  address: string | null;
  showName: boolean;
  answers: Record<string, unknown>;
}

export type CreateOutcome =
  | { kind: 'created'; number: number; /** An Open311 client's token, as the first of repeated requests was given it. */ token?: string }
  | { kind: 'level'; required: VerificationLevel }
  | { kind: 'unknown_category' }
  | { kind: 'no_place' }
  | { kind: 'outside'; radiusKm: number }
  | { kind: 'answers'; problems: Record<string, AnswerProblem> };

/** Whether a place lies within the municipality's reporting radius of its centre. */
export function insideMunicipality(m: Municipality, at: LatLng): boolean {
  return distanceMeters({ lat: m.center_lat, lng: m.center_lng }, at) <= reportSettings(m).radiusKm * 1000;
}

/** Who files a report: a signed-in resident, a guest who just confirmed by e-mail, or an Open311 client on someone's behalf. */
export type Filer =
  | { kind: 'resident'; user: CurrentUser }
  | { kind: 'guest'; userId: number }
  | { kind: 'open311'; apiKeyId: number; contact: Record<string, string> | null; token: string };

export type CheckOutcome = Exclude<CreateOutcome, { kind: 'created' } | { kind: 'level' }>;
export interface Checked { kind: 'ok'; category: ReportCategory; answers: Answers }

/** Every check of a new report except who files it: category, place and the category's questions (`db`: the filing's transaction). */
export async function checkReport(db: Database, m: Municipality, input: NewReport): Promise<Checked | CheckOutcome> {
  const category = await findCategory(db, m.id, input.category);
  if (!category || !category.active) return { kind: 'unknown_category' };
  if (!input.at && !input.address) return { kind: 'no_place' };
  if (input.at && !insideMunicipality(m, input.at)) return { kind: 'outside', radiusKm: reportSettings(m).radiusKm };
  const checked = checkAnswers(category.questions, input.answers);
  if (!checked.ok) return { kind: 'answers', problems: checked.problems };
  return { kind: 'ok', category, answers: checked.answers };
}

/** Writes a checked report: routed to its category's department, numbered, on its timeline, areas told; in the caller's transaction. */
export async function writeReport(trx: Database, filer: Filer, m: Municipality, input: NewReport, { category, answers }: Checked): Promise<number> {
  const authorId = filer.kind === 'resident' ? filer.user.id : filer.kind === 'guest' ? filer.userId : null;
  const number = await nextNumber(trx, 'reports', m.id);
  const row = await insertReport(trx, {
    municipality_id: m.id, number, category_id: category.id, department_id: category.department_id, title: input.title,
    description: input.description, at: input.at ?? { lat: m.center_lat, lng: m.center_lng }, located: input.at !== null, address: input.address,
    author_id: authorId, show_name: input.showName, answers,
    ...(filer.kind === 'open311' ? { source: 'open311' as const, api_key_id: filer.apiKeyId, contact: filer.contact, open311_token: filer.token } : {}),
  });
  await insertReportEvent(trx, { municipality_id: m.id, report_id: row.id, kind: 'created', actor_id: authorId, to_status: 'new' });
  if (input.at) await tellAreas(trx, m, { number, title: input.title, categoryId: category.id, at: input.at, authorId });
  return number;
}

/** Open reports of the same problem near the new one's place, offered before it is filed. */
export type NearbyOutcome = { kind: 'nearby'; nearby: Awaited<ReturnType<typeof nearbyOpen>> };

/**
 * Files a report after the checks: the filer's level, then (in the filing's transaction, after its
 * idempotency key is claimed) category, place, answers and, when `askNearby`, open reports of the same
 * problem nearby. So a repeat of the key is answered with the report the first request filed, never
 * judged afresh (a double click would otherwise be shown the first click's report as a duplicate).
 */
export async function fileReport(deps: Deps, filer: Filer, m: Municipality, input: NewReport, once?: OnceKey | null, askNearby?: false): Promise<CreateOutcome>;
export async function fileReport(deps: Deps, filer: Filer, m: Municipality, input: NewReport, once: OnceKey | null, askNearby: boolean): Promise<CreateOutcome | NearbyOutcome>;
export async function fileReport(deps: Deps, filer: Filer, m: Municipality, input: NewReport, once: OnceKey | null = null, askNearby = false): Promise<CreateOutcome | NearbyOutcome> {
  const required = reportSettings(m).reportLevel;
  if (filer.kind === 'resident' && !meetsLevel(filer.user, m, required)) return { kind: 'level', required };
  return createOnce(deps.db, once, 'reports.file', async (trx): Promise<CreateOutcome | NearbyOutcome> => {
    const checked = await checkReport(trx, m, input);
    if (checked.kind !== 'ok') return checked;
    const nearby = askNearby && input.at ? await nearbyOpen(trx, m.id, checked.category.id, input.at, reportSettings(m).duplicateMeters) : [];
    if (nearby.length > 0) return { kind: 'nearby', nearby };
    const number = await writeReport(trx, filer, m, input, checked);
    return filer.kind === 'open311' ? { kind: 'created', number, token: filer.token } : { kind: 'created', number };
  }, (r) => r.kind === 'created');
}

/** Files a report for a signed-in resident (see fileReport). */
export const createReport = (deps: Deps, user: CurrentUser, m: Municipality, input: NewReport, once: OnceKey | null = null, askNearby = false) =>
  fileReport(deps, { kind: 'resident', user }, m, input, once, askNearby);

/** Open reports of the same category near a place, offered before a duplicate is filed. */
export async function nearbyDuplicates(deps: Deps, m: Municipality, categorySlug: string, at: LatLng) {
  const category = await findCategory(deps.db, m.id, categorySlug);
  if (!category) return [];
  return nearbyOpen(deps.db, m.id, category.id, at, reportSettings(m).duplicateMeters);
}

export type SupportOutcome = { kind: 'supported' | 'already' | 'own' | 'closed' } | { kind: 'level'; required: VerificationLevel };

/** "Me too": the resident has the same problem and follows this report instead of filing another. */
export async function supportReport(deps: Deps, user: CurrentUser, m: Municipality, r: ReportRow): Promise<SupportOutcome> {
  const required = reportSettings(m).reportLevel;
  if (!meetsLevel(user, m, required)) return { kind: 'level', required };
  if (r.author_id === user.id) return { kind: 'own' };
  if (!OPEN_STATUSES.includes(r.status)) return { kind: 'closed' };
  return deps.db.transaction().execute(async (trx) => {
    if (!(await addSupporter(trx, r, user.id))) return { kind: 'already' as const };
    await insertReportEvent(trx, { municipality_id: m.id, report_id: r.id, kind: 'supported', actor_id: user.id, public: false });
    return { kind: 'supported' as const };
  });
}

export type FollowOutcome = { kind: 'followed' | 'already' | 'own' | 'supporter' };

/** Follows a report's updates: in-app and by e-mail, as the resident's settings say. Its reporter and supporters follow it already. */
export async function followReport(db: Database, user: CurrentUser, r: ReportRow): Promise<FollowOutcome> {
  if (r.author_id === user.id) return { kind: 'own' };
  if (await hasSupported(db, r, user.id)) return { kind: 'supporter' };
  return { kind: (await addFollower(db, r, user.id)) ? 'followed' : 'already' };
}
