import type { Municipality } from '../../../db/schema.ts';
import type { CurrentUser } from '../../../platform/auth/current-user.ts';
import { deleteFileRow } from '../../../platform/files/files.repo.ts';
import { saveUploadOnce, type UploadRefusal } from '../../../platform/files/uploads.ts';
import type { Deps } from '../../../platform/http/deps.ts';
import type { OnceKey } from '../../../platform/idempotency/once.ts';
import { notify, registerNotificationKinds } from '../../../platform/notify/notify.service.ts';
import type { Cycle } from '../pb.tables.ts';
import { addCoauthorRow, addProjectFileRow, countCoauthors, listProjectFiles, removeCoauthorRow, removeProjectFileRow, verifiedAccount } from './people.repo.ts';
import { lockProject, type ProjectRow } from './project.repo.ts';
import { editableNow } from './project.rules.ts';
import { isAuthor } from './project.service.ts';

registerNotificationKinds('pb.coauthor');

/** Co-authors a project may have besides its author. */
export const MAX_COAUTHORS = 5;
/** Photos and PDF documents a proposal may carry. */
export const MAX_FILES = { photo: 10, document: 5 } as const;

const projectLink = (m: Municipality, number: number) => `/${m.slug}/participatory-budget/projects/${number}`;

export type CoauthorOutcome = { kind: 'added' | 'already' | 'unknown' | 'self' | 'forbidden' | 'closed' } | { kind: 'too_many'; max: number };

/**
 * The author names a co-author by the e-mail address of their account (a confirmed one: an address nobody
 * confirmed could be anyone's), while the project may be edited; the co-author is told and may edit it too.
 */
export async function addCoauthor(deps: Deps, user: CurrentUser, m: Municipality, cycle: Cycle, p: ProjectRow, email: string, now: Date): Promise<CoauthorOutcome> {
  if (p.author_id !== user.id) return { kind: 'forbidden' };
  if (!editableNow(p, cycle, now)) return { kind: 'closed' };
  const account = await verifiedAccount(deps.db, email);
  if (!account) return { kind: 'unknown' };
  if (account.id === p.author_id) return { kind: 'self' };
  return deps.db.transaction().execute(async (trx): Promise<CoauthorOutcome> => {
    await lockProject(trx, p.id);
    if ((await countCoauthors(trx, p.id)) >= MAX_COAUTHORS) return { kind: 'too_many', max: MAX_COAUTHORS };
    if (!(await addCoauthorRow(trx, p, account.id))) return { kind: 'already' };
    await notify(trx, { userId: account.id, municipalityId: m.id, kind: 'pb.coauthor', params: { title: p.title, name: user.fullName }, link: projectLink(m, p.number) });
    return { kind: 'added' };
  });
}

/** The author removes a co-author, or a co-author steps down; false when there was no such co-author. */
export async function removeCoauthor(deps: Deps, user: CurrentUser, p: ProjectRow, userId: number): Promise<boolean | 'forbidden'> {
  if (p.author_id !== user.id && user.id !== userId) return 'forbidden';
  return removeCoauthorRow(deps.db, p.id, userId);
}

export type FileOutcome = { kind: 'added' | 'forbidden' | 'closed' } | { kind: 'too_many'; max: number } | { kind: 'refused'; refusal: UploadRefusal };

/**
 * An author adds a photo (an image, stored upright, resized and without metadata) or a PDF (parsed far enough to
 * trust), both checked by content, with a caption. Once per form (`once`); the limit is counted again with the
 * project's row held, and only while the project may be edited.
 */
export async function addProjectFile(deps: Deps, user: CurrentUser, m: Municipality, cycle: Cycle, p: ProjectRow, kind: 'photo' | 'document', caption: string,
  upload: { filename: string; data: Buffer }, once: OnceKey | null, now: Date): Promise<FileOutcome> {
  if (!(await isAuthor(deps.db, user, p))) return { kind: 'forbidden' };
  if (!editableNow(p, cycle, now)) return { kind: 'closed' };
  const max = MAX_FILES[kind];
  const full = async (db: Deps['db']) => (await listProjectFiles(db, p.id)).filter((f) => f.kind === kind).length >= max;
  if (await full(deps.db)) return { kind: 'too_many', max };
  const input = { municipalityId: m.id, ownerId: user.id, filename: upload.filename, data: upload.data, allowed: kind === 'photo' ? 'image' as const : 'document' as const, photo: kind === 'photo' };
  const saved = await saveUploadOnce(deps, once, 'pb.project-file', input, async (trx, file): Promise<FileOutcome> => {
    await lockProject(trx, p.id);
    if (await full(trx)) return { kind: 'too_many', max };
    await addProjectFileRow(trx, p, file.id, kind, caption);
    return { kind: 'added' };
  }, (o) => o.kind === 'added');
  return saved.kind === 'saved' ? saved.result : { kind: 'refused', refusal: saved };
}

/** An author removes a photo or document of the proposal (its bytes too, once the row is gone). */
export async function deleteProjectFile(deps: Deps, user: CurrentUser, cycle: Cycle, p: ProjectRow, rowId: number, now: Date): Promise<'deleted' | 'not_found' | 'forbidden' | 'closed'> {
  if (!(await isAuthor(deps.db, user, p))) return 'forbidden';
  if (!editableNow(p, cycle, now)) return 'closed';
  const key = await deps.db.transaction().execute(async (trx) => {
    const fileId = await removeProjectFileRow(trx, p.id, rowId);
    return fileId ? ((await deleteFileRow(trx, fileId)) ?? null) : undefined;
  });
  if (key === undefined) return 'not_found';
  if (key) await deps.storage.delete(key).catch(() => {});
  return 'deleted';
}
