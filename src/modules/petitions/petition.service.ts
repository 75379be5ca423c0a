import type { Database } from '../../db/database.ts';
import type { Municipality, PetitionOutcome, PetitionStatus } from '../../db/schema.ts';
import { audit } from '../../platform/audit/audit.ts';
import { meetsLevel, type CurrentUser } from '../../platform/auth/current-user.ts';
import { saveUploadOnce, type UploadRefusal } from '../../platform/files/uploads.ts';
import type { Deps } from '../../platform/http/deps.ts';
import { enqueue } from '../../platform/jobs/queue.ts';
import { notify, registerNotificationKinds } from '../../platform/notify/notify.service.ts';
import { nextNumber } from '../../platform/tenancy/numbering.ts';
import { addCalendarDays, addWorkingDays } from '../../platform/time/working-days.ts';
import { attachFiles, findPetition, insertEvent, insertPetition, listCategories, listFiles, transition, type PetitionRow } from './petition.repo.ts';
import { petitionSettings } from './petition.settings.ts';
import { countSignatures, signerBatch } from './signature.repo.ts';
import './petition.policy.ts';
import { createOnce, type OnceKey } from '../../platform/idempotency/once.ts';

registerNotificationKinds('petitions.published', 'petitions.rejected', 'petitions.threshold', 'petitions.closed', 'petitions.response', 'petitions.signedResponse');

/** Who acts, for the audit log and the timeline. */
export interface Actor {
  id: number;
  ip: string | null;
}

export interface PetitionInput {
  title: string;
  body: string;
  categoryId?: number | undefined;
  fileIds?: string[] | undefined;
}

/** Statuses the public sees; drafts are the author's alone, the moderation queue is staff's. */
export const PUBLIC_STATUSES: PetitionStatus[] = ['open', 'awaiting_response', 'answered', 'closed', 'rejected'];
/** The public statuses of this municipality: refused petitions only where it publishes them. */
export const publicStatuses = (m: Municipality): PetitionStatus[] =>
  PUBLIC_STATUSES.filter((s) => s !== 'rejected' || petitionSettings(m).rejectedVisibility === 'public');

const link = (m: Municipality, number: number) => `/${m.slug}/petitions/${number}`;

async function checkCategory(db: Database, m: Municipality, categoryId: number | undefined): Promise<boolean> {
  if (!categoryId) return true;
  return (await listCategories(db, m.id)).some((c) => c.id === categoryId);
}

/** A resident starts a draft; only they see it until they submit it. */
export async function createDraft(deps: Deps, user: CurrentUser, m: Municipality, input: PetitionInput, once: OnceKey | null = null) {
  const settings = petitionSettings(m);
  if (!meetsLevel(user, m, settings.createLevel)) return { kind: 'level' as const, required: settings.createLevel };
  if (!(await checkCategory(deps.db, m, input.categoryId))) return { kind: 'unknown_category' as const };
  // A double click or a resend of the form is the same draft (platform/idempotency).
  return createOnce(deps.db, once, 'petitions.draft', async (trx) => {
    const number = await nextNumber(trx, 'petitions', m.id);
    const row = await insertPetition(trx, {
      municipality_id: m.id, number, author_id: user.id, category_id: input.categoryId ?? null,
      title: input.title, body: input.body, supporters_needed: settings.supportersNeeded,
    });
    await attachFiles(trx, m.id, row.id, input.fileIds ?? []);
    await insertEvent(trx, { municipality_id: m.id, petition_id: row.id, kind: 'created', actor_id: user.id });
    return { kind: 'created' as const, number: row.number };
  });
}

/** The author changes their draft (and only a draft). */
export async function updateDraft(deps: Deps, user: CurrentUser, m: Municipality, p: PetitionRow, input: PetitionInput) {
  if (p.author_id !== user.id) return 'forbidden' as const;
  if (!(await checkCategory(deps.db, m, input.categoryId))) return 'unknown_category' as const;
  return deps.db.transaction().execute(async (trx) => {
    const ok = await transition(trx, p.id, ['draft'], { title: input.title, body: input.body, category_id: input.categoryId ?? null });
    if (!ok) return 'wrong_status' as const;
    await attachFiles(trx, m.id, p.id, input.fileIds ?? []);
    return 'updated' as const;
  });
}

/** Files a draft may carry. */
export const MAX_ATTACHMENTS = 3;

export type AttachOutcome = 'attached' | 'wrong_status' | 'too_many' | UploadRefusal;

/**
 * Attaches an uploaded image or PDF to the author's draft, once per form (`once`): a double click or a resent
 * upload attaches one file. The draft's row is held while its files are counted, so the limit holds under races.
 */
export async function attachToDraft(deps: Deps, user: CurrentUser, m: Municipality, p: PetitionRow, upload: { filename: string; data: Buffer }, once: OnceKey | null): Promise<AttachOutcome | 'forbidden'> {
  if (p.author_id !== user.id) return 'forbidden';
  const input = { municipalityId: m.id, ownerId: user.id, filename: upload.filename, data: upload.data, allowed: 'image-or-document' as const };
  const saved = await saveUploadOnce(deps, once, 'petitions.attachment', input, async (trx, file): Promise<AttachOutcome> => {
    if (!(await transition(trx, p.id, ['draft'], {}))) return 'wrong_status';
    if ((await listFiles(trx, p.id)).length >= MAX_ATTACHMENTS) return 'too_many';
    await attachFiles(trx, m.id, p.id, [file.id]);
    return 'attached';
  }, (o) => o === 'attached');
  return saved.kind === 'saved' ? saved.result : saved;
}

/** The author sends the draft on: to co-signers first when the municipality asks for them, else to moderation. */
export async function submitDraft(deps: Deps, user: CurrentUser, m: Municipality, p: PetitionRow) {
  if (p.author_id !== user.id) return 'forbidden' as const;
  const settings = petitionSettings(m);
  const now = new Date();
  const toSupporters = p.supporters_needed > 0;
  return deps.db.transaction().execute(async (trx) => {
    const ok = await transition(trx, p.id, ['draft'], toSupporters
      ? { status: 'supporters', submitted_at: now }
      : { status: 'moderation', submitted_at: now, moderation_due_at: addWorkingDays(now, settings.moderationDays, m.time_zone) });
    if (!ok) return 'wrong_status' as const;
    await insertEvent(trx, { municipality_id: m.id, petition_id: p.id, kind: toSupporters ? 'supporters' : 'submitted', actor_id: user.id });
    return toSupporters ? ('supporters' as const) : ('submitted' as const);
  });
}

/** Called after a co-signature: once enough supporters signed, the petition goes to moderation. */
export async function supportersReached(db: Database, m: Municipality, p: PetitionRow): Promise<boolean> {
  if (p.status !== 'supporters' || (await countSignatures(db, p.id)) < p.supporters_needed) return false;
  const now = new Date();
  return db.transaction().execute(async (trx) => {
    const due = addWorkingDays(now, petitionSettings(m).moderationDays, m.time_zone);
    if (!(await transition(trx, p.id, ['supporters'], { status: 'moderation', moderation_due_at: due }))) return false;
    await insertEvent(trx, { municipality_id: m.id, petition_id: p.id, kind: 'submitted', actor_id: null });
    return true;
  });
}

/** A moderator publishes: signature collection starts under the threshold and period in force today. */
export async function publishPetition(deps: Deps, actor: Actor, m: Municipality, p: PetitionRow) {
  const s = petitionSettings(m);
  const now = new Date();
  return deps.db.transaction().execute(async (trx) => {
    const set = { status: 'open' as const, published_at: now, threshold: s.threshold, period_days: s.periodDays, closes_at: addCalendarDays(now, s.periodDays, m.time_zone) };
    if (!(await transition(trx, p.id, ['moderation'], set))) return 'wrong_status' as const;
    await insertEvent(trx, { municipality_id: m.id, petition_id: p.id, kind: 'published', actor_id: actor.id });
    await audit(trx, { municipalityId: m.id, actorId: actor.id, action: 'petitions.publish', subjectType: 'petition', subjectId: p.number, before: { status: p.status }, after: set, ip: actor.ip });
    if (p.author_id) await notify(trx, { userId: p.author_id, municipalityId: m.id, kind: 'petitions.published', params: { title: p.title, threshold: s.threshold, days: s.periodDays }, link: link(m, p.number) });
    return 'published' as const;
  });
}

/** A moderator refuses with reasons; the author is told why, and the public sees it unless the municipality hides refusals. */
export async function rejectPetition(deps: Deps, actor: Actor, m: Municipality, p: PetitionRow, reason: string) {
  const now = new Date();
  return deps.db.transaction().execute(async (trx) => {
    if (!(await transition(trx, p.id, ['moderation', 'supporters'], { status: 'rejected', rejection_reason: reason, closed_at: now }))) return 'wrong_status' as const;
    await insertEvent(trx, { municipality_id: m.id, petition_id: p.id, kind: 'rejected', actor_id: actor.id, note: reason });
    await audit(trx, { municipalityId: m.id, actorId: actor.id, action: 'petitions.reject', subjectType: 'petition', subjectId: p.number, before: { status: p.status }, after: { status: 'rejected', reason }, ip: actor.ip });
    if (p.author_id) await notify(trx, { userId: p.author_id, municipalityId: m.id, kind: 'petitions.rejected', params: { title: p.title, reason }, link: link(m, p.number) });
    return 'rejected' as const;
  });
}

export interface ResponseInput {
  outcome: PetitionOutcome;
  text: string;
  fileId?: string | null | undefined;
}

/** An official answers a petition that reached its threshold; the author and every signer are told. */
export async function respondToPetition(deps: Deps, actor: Actor, m: Municipality, p: PetitionRow, r: ResponseInput) {
  const now = new Date();
  return deps.db.transaction().execute(async (trx) => {
    const set = { status: 'answered' as const, response_outcome: r.outcome, response_text: r.text, response_file_id: r.fileId ?? null, responded_by: actor.id, answered_at: now };
    if (!(await transition(trx, p.id, ['awaiting_response'], set))) return 'wrong_status' as const;
    await insertEvent(trx, { municipality_id: m.id, petition_id: p.id, kind: 'answered', actor_id: actor.id, note: r.outcome });
    await audit(trx, { municipalityId: m.id, actorId: actor.id, action: 'petitions.respond', subjectType: 'petition', subjectId: p.number, before: { status: p.status }, after: set, ip: actor.ip });
    if (p.author_id) await notify(trx, { userId: p.author_id, municipalityId: m.id, kind: 'petitions.response', params: { title: p.title }, link: link(m, p.number) });
    await enqueue(trx, 'petitions.notify-signers', { municipalityId: m.id, petitionId: p.id, afterId: 0 }, { municipalityId: m.id });
    return 'answered' as const;
  });
}

/** Job: tells signers about the response, a batch at a time, so a petition with a million signers does not hold one long transaction. */
export async function notifySignersJob(payload: Record<string, unknown>, deps: Deps): Promise<void> {
  const { municipalityId, petitionId, afterId } = payload as { municipalityId: number; petitionId: number; afterId: number };
  const p = await deps.db.selectFrom('petitions as p').innerJoin('municipalities as m', 'm.id', 'p.municipality_id')
    .select(['p.number', 'p.title', 'p.author_id', 'm.slug']).where('p.id', '=', petitionId).executeTakeFirst();
  if (!p) return;
  const batch = await signerBatch(deps.db, petitionId, afterId, 500);
  await deps.db.transaction().execute(async (trx) => {
    for (const s of batch) {
      if (s.user_id === p.author_id) continue;
      await notify(trx, { userId: s.user_id, municipalityId, kind: 'petitions.signedResponse', params: { title: p.title }, link: `/${p.slug}/petitions/${p.number}` });
    }
    if (batch.length === 500) await enqueue(trx, 'petitions.notify-signers', { municipalityId, petitionId, afterId: Number(batch[batch.length - 1]!.id) }, { municipalityId });
  });
}

/** An official or moderator closes an answered petition, or one still open, with an explanation to the author. */
export async function closePetition(deps: Deps, actor: Actor | null, m: Municipality, p: Pick<PetitionRow, 'id' | 'number' | 'title' | 'status' | 'author_id'>, reason: string) {
  return deps.db.transaction().execute(async (trx) => {
    if (!(await transition(trx, p.id, ['open', 'answered'], { status: 'closed', close_reason: reason, closed_at: new Date() }))) return 'wrong_status' as const;
    await insertEvent(trx, { municipality_id: m.id, petition_id: p.id, kind: 'closed', actor_id: actor?.id ?? null, note: reason });
    if (actor) await audit(trx, { municipalityId: m.id, actorId: actor.id, action: 'petitions.close', subjectType: 'petition', subjectId: p.number, before: { status: p.status }, after: { status: 'closed', reason }, ip: actor.ip });
    if (p.author_id) await notify(trx, { userId: p.author_id, municipalityId: m.id, kind: 'petitions.closed', params: { title: p.title, reason }, link: link(m, p.number) });
    return 'closed' as const;
  });
}

/** Marks a petition whose sealed count reached its threshold as awaiting the council's response. */
export async function thresholdReached(db: Database, m: Municipality, p: { id: number; number: number; title: string; author_id: number | null }) {
  const now = new Date();
  const due = addWorkingDays(now, petitionSettings(m).responseDays, m.time_zone);
  await db.transaction().execute(async (trx) => {
    if (!(await transition(trx, p.id, ['open'], { status: 'awaiting_response', threshold_reached_at: now, response_due_at: due }))) return;
    await insertEvent(trx, { municipality_id: m.id, petition_id: p.id, kind: 'threshold', actor_id: null });
    if (p.author_id) await notify(trx, { userId: p.author_id, municipalityId: m.id, kind: 'petitions.threshold', params: { title: p.title }, link: link(m, p.number) });
  });
}

/** Re-reads a petition by number (after a transition) for the caller's next step. */
export function reloadPetition(db: Database, m: Municipality, number: number) {
  return findPetition(db, m.id, number);
}
