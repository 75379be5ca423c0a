import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { Municipality } from '../../db/schema.ts';
import type { CurrentUser } from '../../platform/auth/current-user.ts';
import type { Deps } from '../../platform/http/deps.ts';
import type { DemoPeople } from '../../platform/module.ts';
import { DEMO_CATEGORIES, DEMO_PETITIONS, demoText, type DemoPetition } from './petition.demo-content.ts';
import { findPetition, insertCategory, listCategories } from './petition.repo.ts';
import { importSignatures } from './signature.repo.ts';
import { createDraft, publishPetition, rejectPetition, respondToPetition, submitDraft } from './petition.service.ts';
import { petitionSettings } from './petition.settings.ts';
import { closeExpired, emailDomain, sealPetition } from './signature.service.ts';
import { addCalendarDays, addWorkingDays } from '../../platform/time/working-days.ts';

const DAY = 86_400_000;
const NETWORKS = ['93.170.44', '176.36.12', '178.222.9', '31.11.80', '46.229.5'];

/** Signatures each plan starts with, relative to the threshold where it passes it. */
function signaturesFor(plan: DemoPetition['plan'], threshold: number): number {
  const table: Partial<Record<DemoPetition['plan'], number>> = {
    'open-near': Math.floor(threshold * 0.87), 'open-early': Math.floor(threshold * 0.23), awaiting: threshold + 4,
    'awaiting-overdue': threshold + 12, 'answered-yes': threshold + 30, 'answered-partly': threshold + 9, expired: Math.floor(threshold * 0.31),
  };
  return table[plan] ?? 0;
}

/** Days ago each plan was published. */
const PUBLISHED_DAYS_AGO: Partial<Record<DemoPetition['plan'], number>> = {
  'open-near': 40, 'open-early': 6, awaiting: 25, 'awaiting-overdue': 45, 'answered-yes': 90, 'answered-partly': 120, expired: 75,
};

/** Days after publication that plans reaching the threshold reach it, and days after that the council answers. */
const REACHED_AFTER_DAYS: Partial<Record<DemoPetition['plan'], number>> = { awaiting: 20, 'awaiting-overdue': 18, 'answered-yes': 30, 'answered-partly': 40 };
const ANSWERED_AFTER_DAYS = 8;

interface DemoTimes { created: Date; submitted: Date; moderationDue: Date; published: Date; closes: Date; reached: Date | null; answered: Date | null; collectedUntil: Date; closed?: Date }

/** Whole seconds, as the ledger records signing times. */
const second = (t: number) => new Date(Math.floor(t / 1000) * 1000);

/**
 * Every date of a demo petition by the platform's own rules: moderation due in working days from submission,
 * the period in calendar days from publication (the municipality's time zone), collection ending at the
 * period's end or with the answer.
 */
function timesFor(plan: DemoPetition['plan'], periodDays: number, now: number, timeZone: string, s: { moderationDays: number }): DemoTimes {
  const published = second(now - PUBLISHED_DAYS_AGO[plan]! * DAY);
  const submitted = second(published.getTime() - 2 * DAY);
  const closes = addCalendarDays(published, periodDays, timeZone);
  const reachedDay = REACHED_AFTER_DAYS[plan];
  const reached = reachedDay === undefined ? null : second(published.getTime() + reachedDay * DAY);
  const answered = reached && plan.startsWith('answered') ? second(reached.getTime() + ANSWERED_AFTER_DAYS * DAY) : null;
  const collectedUntil = new Date(Math.min(answered?.getTime() ?? Infinity, closes.getTime(), now));
  return {
    created: second(submitted.getTime() - DAY), submitted, moderationDue: addWorkingDays(submitted, s.moderationDays, timeZone),
    published, closes, reached, answered, collectedUntil,
  };
}

/** Signing times in order: where the threshold is reached, its threshold-th signature reaches it; the rest follow until collection ends. */
function signingTimes(t: DemoTimes, n: number, threshold: number): Date[] {
  const from = t.published.getTime();
  const between = (a: number, b: number, count: number, k: number) => second(a + ((k + 1) / (count + 1)) * (b - a));
  if (!t.reached) return Array.from({ length: n }, (_, k) => between(from, t.collectedUntil.getTime(), n, k));
  const reached = t.reached.getTime();
  const before = Array.from({ length: threshold - 1 }, (_, k) => between(from, reached, threshold - 1, k));
  const after = Array.from({ length: n - threshold }, (_, k) => between(reached, t.collectedUntil.getTime(), n - threshold, k));
  return [...before, t.reached, ...after];
}

/** The timeline shows each step on the date the petition's summary gives for it. */
async function dateEvents(db: Database, petitionId: number, t: DemoTimes): Promise<void> {
  const on: Record<string, Date | null | undefined> = { created: t.created, submitted: t.submitted, published: t.published, threshold: t.reached, answered: t.answered, closed: t.closed, expired: t.closed };
  for (const [kind, at] of Object.entries(on)) {
    if (at) await sql`UPDATE petition_events SET created_at = ${at} WHERE petition_id = ${petitionId} AND kind = ${kind}`.execute(db);
  }
}

const asUser = (id: number, m: Municipality): CurrentUser => ({
  id, email: null, fullName: '', locale: m.default_locale, platformRole: null, emailVerified: true, identityVerified: true,
  residenceMunicipalityId: m.id, roles: {}, residentOf: [m.id], sessionId: 'demo',
});

/** Signers beyond the handful of demo accounts: they cannot sign in (no password), they only sign. */
async function demoSigners(db: Database, m: Municipality, count: number): Promise<{ id: number; email: string }[]> {
  const { name } = demoText(m.default_locale);
  const rows = Array.from({ length: count }, (_, i) => ({
    email: `signer${i + 1}@${m.slug}.example`, password_hash: null, full_name: name(i), locale: m.default_locale,
    email_verified_at: new Date(), identity_verified_at: null, identity_provider: null, identity_subject: null,
    residence_municipality_id: m.id, platform_role: null, deleted_at: null,
  }));
  return (await db.insertInto('users').values(rows).returning(['id', 'email']).execute()).map((r) => ({ id: r.id, email: r.email! }));
}

/** Fills a municipality with categories and petitions in every state, signed, sealed and answered as they would be. */
export async function petitionDemo(deps: Deps, m: Municipality, people: DemoPeople): Promise<void> {
  const db = deps.db;
  const { text } = demoText(m.default_locale);
  for (const [position, c] of DEMO_CATEGORIES.entries()) await insertCategory(db, { municipality_id: m.id, slug: c.slug, names: c.names, position });
  const categories = new Map((await listCategories(db, m.id)).map((c) => [c.slug, c.id]));
  const s = petitionSettings(m);
  const threshold = s.threshold;
  const signers = await demoSigners(db, m, threshold + 30);
  const moderator = { id: people.moderators[0] ?? people.admin, ip: null };
  const official = { id: people.officials[0] ?? people.admin, ip: null };
  const now = Date.now();
  const expired: { id: number; t: DemoTimes }[] = [];

  for (const [i, d] of DEMO_PETITIONS.entries()) {
    const author = asUser(people.residents[i % people.residents.length]!, m);
    const created = await createDraft(deps, author, m, { title: text(d.title), body: text(d.body), categoryId: categories.get(d.category) });
    if (created.kind !== 'created') throw new Error(`petition demo: ${created.kind}`);
    const load = async () => (await findPetition(db, m.id, created.number))!;
    if (d.plan === 'draft') continue;
    await submitDraft(deps, author, m, await load());
    if (d.plan === 'moderation') continue;
    if (d.plan === 'rejected') {
      await rejectPetition(deps, moderator, m, await load(), text(d.reason!));
      continue;
    }
    await publishPetition(deps, moderator, m, await load());
    const p = await load();
    const t = timesFor(d.plan, p.period_days ?? s.periodDays, now, m.time_zone, s);
    await db.updateTable('petitions').set({ published_at: t.published, submitted_at: t.submitted, closes_at: t.closes, moderation_due_at: t.moderationDue })
      .where('id', '=', p.id).execute();
    await sql`UPDATE petitions SET created_at = ${t.created} WHERE id = ${p.id}`.execute(db);
    const n = signaturesFor(d.plan, threshold);
    await importSignatures(db, signingTimes(t, n, threshold).map((signed_at, k) => ({
      municipality_id: m.id, petition_id: p.id, user_id: signers[k]!.id, signed_at,
      ip_prefix: `${NETWORKS[k % NETWORKS.length]}.0/24`, email_domain: emailDomain(signers[k]!.email),
    })));
    await sealPetition(db, p.id);
    if (t.reached) {
      // Sealing noticed the threshold just now: it was the threshold-th signature that reached it.
      await db.updateTable('petitions').set({ threshold_reached_at: t.reached, response_due_at: addWorkingDays(t.reached, s.responseDays, m.time_zone) }).where('id', '=', p.id).execute();
    }
    if (t.answered) {
      await respondToPetition(deps, official, m, await load(), { outcome: d.plan === 'answered-yes' ? 'supported' : 'partly_supported', text: text(d.response!) });
      await db.updateTable('petitions').set({ answered_at: t.answered }).where('id', '=', p.id).execute();
    }
    if (d.plan === 'expired') expired.push({ id: p.id, t });
    else await dateEvents(db, p.id, t);
  }
  await closeExpired(deps);
  // The minute job closes a petition as its period ends: so did it, back then.
  for (const { id, t } of expired) {
    await db.updateTable('petitions').set({ closed_at: t.closes }).where('id', '=', id).execute();
    await dateEvents(db, id, { ...t, closed: t.closes });
  }
  // The demo's own residents have signed the petition nearest its threshold, so their receipts can be seen.
  const near = await db.selectFrom('petitions').select('id').where('municipality_id', '=', m.id).where('status', '=', 'open').orderBy('id').executeTakeFirst();
  if (near) {
    await importSignatures(db, people.residents.slice(0, 2).map((user_id) => ({ municipality_id: m.id, petition_id: near.id, user_id, ip_prefix: null, email_domain: `${m.slug}.example`, signed_at: new Date() })));
    await sealPetition(db, near.id);
  }
}
