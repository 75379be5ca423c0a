import type { Transaction } from 'kysely';
import type { DB, Municipality } from '../../../db/schema.ts';
import { audit } from '../../../platform/audit/audit.ts';
import { saveUploadOnce, type UploadRefusal } from '../../../platform/files/uploads.ts';
import type { Deps } from '../../../platform/http/deps.ts';
import { createOnce, type OnceKey } from '../../../platform/idempotency/once.ts';
import { notify, registerNotificationKinds } from '../../../platform/notify/notify.service.ts';
import { addProjectEvent, projectAudience } from '../project-events.repo.ts';
import type { ImplementationStatus, Project } from '../pb.tables.ts';
import {
  countUpdatePhotos, deleteMilestone, findMilestone, findUpdate, insertMilestone, insertUpdate, insertUpdatePhoto, lockFunded, setImplementation, setProgress,
  updateMilestone, type ImplementationValues, type MilestoneValues,
} from './impl.repo.ts';

registerNotificationKinds('pb.implementation');

export const IMPL_STATUSES: ImplementationStatus[] = ['planned', 'procurement', 'in_progress', 'completed', 'cancelled'];
/** Photos one update may have. */
export const MAX_UPDATE_PHOTOS = 5;

/** Who acts, for the audit log. */
export interface Actor { id: number; ip: string | null }

/** What a write came to: done, nothing to do, refused (with the field and the message key), or stale. */
export type ImplOutcome =
  | { kind: 'done' }
  | { kind: 'unchanged' }
  | { kind: 'not_funded' }
  | { kind: 'stale' }
  | { kind: 'gone' }
  | { kind: 'invalid'; field: string; key: string }
  | { kind: 'too_many' }
  | { kind: 'refused'; refusal: UploadRefusal };

type Change = 'status' | 'update' | 'milestone';

/** On the project's public timeline and told to its audience (author, co-authors, followers), in the write's transaction. */
async function publish(trx: Transaction<DB>, m: Municipality, p: Project, actor: Actor, e: { kind: string; change: Change; note?: string | null; data: Record<string, unknown>; status: ImplementationStatus; progress: number }) {
  await addProjectEvent(trx, { municipalityId: m.id, projectId: p.id, kind: e.kind, actorId: actor.id, note: e.note ?? null, data: e.data });
  for (const userId of await projectAudience(trx, p.id)) {
    await notify(trx, {
      userId, municipalityId: m.id, kind: 'pb.implementation', link: `/${m.slug}/participatory-budget/projects/${p.number}`,
      params: { number: p.number, title: p.title, change: e.change, status: e.status, progress: e.progress },
    });
  }
}

const recorded = (trx: Transaction<DB>, m: Municipality, p: Project, actor: Actor, action: string, before: unknown, after: unknown) =>
  audit(trx, { municipalityId: m.id, actorId: actor.id, action: `pb.implementation.${action}`, subjectType: 'pb_project', subjectId: p.number, before, after, ip: actor.ip });

/**
 * Runs `write` with the project's row locked, if it is funded; otherwise changes nothing. With a form's key (`once`),
 * a repeat of the form gets the first answer and writes nothing; whatever is not done is rolled back.
 */
async function onFunded(deps: Deps, p: Project, write: (trx: Transaction<DB>, locked: Project) => Promise<ImplOutcome>, once: OnceKey | null = null, what = 'pb.implementation'): Promise<ImplOutcome> {
  if (!p.funded) return { kind: 'not_funded' };
  return createOnce(deps.db, once, what, async (trx) => {
    const locked = await lockFunded(trx, p.id);
    return locked ? write(trx, locked) : { kind: 'not_funded' as const };
  }, (o) => o.kind === 'done');
}

/** A completed project is done: its progress must say so. */
const completeness = (status: ImplementationStatus, progress: number): ImplOutcome | null =>
  status === 'completed' && progress < 100 ? { kind: 'invalid', field: 'progress', key: 'pb.impl.error.completedProgress' } : null;

/**
 * Sets status, progress, due date and money of a funded project, if nobody changed them since the form was shown
 * (`version`). Audited (before and after), on the timeline and told to the project's audience; a form sent with
 * nothing changed writes nothing.
 */
export async function setProjectImplementation(deps: Deps, actor: Actor, m: Municipality, p: Project, version: string, v: ImplementationValues): Promise<ImplOutcome> {
  const invalid = completeness(v.impl_status, v.progress);
  if (invalid) return invalid;
  return onFunded(deps, p, async (trx, cur) => {
    const before: ImplementationValues = { impl_status: cur.impl_status ?? 'planned', progress: cur.progress, due_on: cur.due_on, contracted: cur.contracted, spent: cur.spent };
    // Keys in one order, so the two compare as text; a status never set (null) is a change even to "planned".
    if (cur.impl_status !== null && JSON.stringify(before) === JSON.stringify(pick(v))) return { kind: 'unchanged' };
    if (!(await setImplementation(trx, p.id, version, pick(v)))) return { kind: 'stale' };
    await recorded(trx, m, p, actor, 'status', before, pick(v));
    await publish(trx, m, p, actor, {
      kind: 'implementation_status', change: 'status', status: v.impl_status, progress: v.progress,
      data: { status: v.impl_status, progress: v.progress, dueOn: v.due_on, contracted: v.contracted, spent: v.spent, from: before.impl_status },
    });
    return { kind: 'done' };
  });
}

const pick = (v: ImplementationValues): ImplementationValues => ({ impl_status: v.impl_status, progress: v.progress, due_on: v.due_on, contracted: v.contracted, spent: v.spent });

/** Adds a milestone (title, due date, and the date it was reached if it already was), once per form (`once`). */
export async function addMilestone(deps: Deps, actor: Actor, m: Municipality, p: Project, v: MilestoneValues, once: OnceKey | null = null): Promise<ImplOutcome> {
  return onFunded(deps, p, async (trx, cur) => {
    const id = await insertMilestone(trx, m.id, p.id, v);
    await recorded(trx, m, p, actor, 'milestone.add', null, { id, ...v });
    await milestoneEvent(trx, m, cur, actor, v.done_on ? 'done' : 'added', v.title);
    return { kind: 'done' };
  }, once, 'pb.implementation.milestone');
}

/** Changes a milestone of the project; reaching it (a done date set) is news, the rest is planning. */
export async function editMilestone(deps: Deps, actor: Actor, m: Municipality, p: Project, id: number, v: MilestoneValues): Promise<ImplOutcome> {
  return onFunded(deps, p, async (trx, cur) => {
    const before = await findMilestone(trx, p.id, id);
    if (!before) return { kind: 'gone' };
    if (before.title === v.title && before.due_on === v.due_on && before.done_on === v.done_on) return { kind: 'unchanged' };
    if (!(await updateMilestone(trx, p.id, id, v))) return { kind: 'gone' };
    await recorded(trx, m, p, actor, 'milestone.edit', before, { id, ...v });
    await milestoneEvent(trx, m, cur, actor, v.done_on && !before.done_on ? 'done' : 'changed', v.title);
    return { kind: 'done' };
  });
}

/** Removes a milestone of the project (a second removal finds nothing and changes nothing). */
export async function removeMilestone(deps: Deps, actor: Actor, m: Municipality, p: Project, id: number): Promise<ImplOutcome> {
  return onFunded(deps, p, async (trx, cur) => {
    const before = await findMilestone(trx, p.id, id);
    if (!before || !(await deleteMilestone(trx, p.id, id))) return { kind: 'gone' };
    await recorded(trx, m, p, actor, 'milestone.delete', before, null);
    await milestoneEvent(trx, m, cur, actor, 'removed', before.title);
    return { kind: 'done' };
  });
}

/** Milestones are on the public timeline; only a milestone reached is told to the project's audience. */
async function milestoneEvent(trx: Transaction<DB>, m: Municipality, p: Project, actor: Actor, action: 'added' | 'changed' | 'done' | 'removed', title: string) {
  const data = { action, title };
  if (action === 'done') {
    await publish(trx, m, p, actor, { kind: 'implementation_milestone', change: 'milestone', data, note: title, status: p.impl_status ?? 'planned', progress: p.progress });
  } else {
    await addProjectEvent(trx, { municipalityId: m.id, projectId: p.id, kind: 'implementation_milestone', actorId: actor.id, note: title, data });
  }
}

export interface NewUpdate { body: string; progress: number | null }
export interface Photo { filename: string; data: Buffer; caption: string }

/**
 * Posts an implementation update (text, optionally the progress reached, optionally a photo), once per form
 * (`once`): a double click or a resent form posts one update. The progress it reports becomes the project's.
 */
export async function postUpdate(deps: Deps, actor: Actor, m: Municipality, p: Project, v: NewUpdate, photo: Photo | null, once: OnceKey | null): Promise<ImplOutcome> {
  if (!p.funded) return { kind: 'not_funded' };
  const write = async (trx: Transaction<DB>, fileId: string | null): Promise<ImplOutcome> => {
    const cur = await lockFunded(trx, p.id);
    if (!cur) return { kind: 'not_funded' };
    const status = cur.impl_status ?? 'planned';
    if (v.progress !== null) {
      const invalid = completeness(status, v.progress);
      if (invalid) return invalid;
      await setProgress(trx, p.id, v.progress);
    }
    const id = await insertUpdate(trx, m.id, p.id, { ...v, authorId: actor.id });
    if (fileId && photo) await insertUpdatePhoto(trx, m.id, p.id, id, fileId, photo.caption);
    await recorded(trx, m, p, actor, 'update', null, { id, progress: v.progress, photo: fileId });
    await publish(trx, m, p, actor, { kind: 'implementation_update', change: 'update', note: v.body, data: { update: id, progress: v.progress }, status, progress: v.progress ?? cur.progress });
    return { kind: 'done' };
  };
  const keep = (o: ImplOutcome) => o.kind === 'done';
  if (!photo) return createOnce(deps.db, once, 'pb.implementation.update', (trx) => write(trx, null), keep);
  const saved = await saveUploadOnce(deps, once, 'pb.implementation.update', { municipalityId: m.id, ownerId: actor.id, filename: photo.filename, data: photo.data, allowed: 'image', photo: true },
    (trx, file) => write(trx, file.id), keep);
  return saved.kind === 'saved' ? saved.result : { kind: 'refused', refusal: saved };
}

/** Adds a photo to an update already posted (at most MAX_UPDATE_PHOTOS, counted again with the project locked). */
export async function addUpdatePhoto(deps: Deps, actor: Actor, m: Municipality, p: Project, updateId: number, photo: Photo, once: OnceKey | null): Promise<ImplOutcome> {
  if (!p.funded) return { kind: 'not_funded' };
  if (!(await findUpdate(deps.db, p.id, updateId))) return { kind: 'gone' };
  if ((await countUpdatePhotos(deps.db, updateId)) >= MAX_UPDATE_PHOTOS) return { kind: 'too_many' };
  const saved = await saveUploadOnce(deps, once, 'pb.implementation.photo', { municipalityId: m.id, ownerId: actor.id, filename: photo.filename, data: photo.data, allowed: 'image', photo: true },
    async (trx, file): Promise<ImplOutcome> => {
      if (!(await lockFunded(trx, p.id))) return { kind: 'not_funded' };
      if ((await countUpdatePhotos(trx, updateId)) >= MAX_UPDATE_PHOTOS) return { kind: 'too_many' };
      await insertUpdatePhoto(trx, m.id, p.id, updateId, file.id, photo.caption);
      await recorded(trx, m, p, actor, 'photo', null, { update: updateId, file: file.id });
      return { kind: 'done' };
    }, (o) => o.kind === 'done');
  return saved.kind === 'saved' ? saved.result : { kind: 'refused', refusal: saved };
}
