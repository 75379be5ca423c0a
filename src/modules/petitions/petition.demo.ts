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
export async function petitionDemo(db: Database, m: Municipality, people: DemoPeople): Promise<void> {
  const deps = { db } as Deps;
  const { text } = demoText(m.default_locale);
  for (const [position, c] of DEMO_CATEGORIES.entries()) await insertCategory(db, { municipality_id: m.id, slug: c.slug, names: c.names, position });
  const categories = new Map((await listCategories(db, m.id)).map((c) => [c.slug, c.id]));
  const threshold = petitionSettings(m).threshold;
  const signers = await demoSigners(db, m, threshold + 30);
  const moderator = { id: people.moderators[0] ?? people.admin, ip: null };
  const official = { id: people.officials[0] ?? people.admin, ip: null };
  const now = Date.now();

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
    const publishedAt = new Date(now - PUBLISHED_DAYS_AGO[d.plan]! * DAY);
    await db.updateTable('petitions').set({ published_at: publishedAt, submitted_at: new Date(publishedAt.getTime() - 2 * DAY), closes_at: new Date(publishedAt.getTime() + (p.period_days ?? 60) * DAY) })
      .where('id', '=', p.id).execute();
    // The timeline starts on the back-dated publication day (created_at is otherwise never updated).
    await sql`UPDATE petition_events SET created_at = ${publishedAt} WHERE petition_id = ${p.id}`.execute(db);
    const n = signaturesFor(d.plan, threshold);
    const span = Math.max(1, Math.min(now - publishedAt.getTime(), (p.period_days ?? 60) * DAY));
    await importSignatures(db, signers.slice(0, n).map((s, k) => ({
      municipality_id: m.id, petition_id: p.id, user_id: s.id,
      signed_at: new Date(publishedAt.getTime() + Math.floor(((k + 1) / (n + 1)) * span)),
      ip_prefix: `${NETWORKS[k % NETWORKS.length]}.0/24`, email_domain: emailDomain(s.email),
    })));
    await sealPetition(db, p.id);
    const reachedAt = new Date(publishedAt.getTime() + 0.6 * span);
    if (d.plan === 'awaiting-overdue') {
      await db.updateTable('petitions').set({ threshold_reached_at: reachedAt, response_due_at: new Date(now - 9 * DAY) }).where('id', '=', p.id).execute();
    }
    if (d.plan === 'answered-yes' || d.plan === 'answered-partly') {
      await respondToPetition(deps, official, m, await load(), { outcome: d.plan === 'answered-yes' ? 'supported' : 'partly_supported', text: text(d.response!) });
      await db.updateTable('petitions').set({ threshold_reached_at: reachedAt, response_due_at: new Date(reachedAt.getTime() + 14 * DAY), answered_at: new Date(reachedAt.getTime() + 9 * DAY) })
        .where('id', '=', p.id).execute();
    }
    if (d.plan === 'expired') await db.updateTable('petitions').set({ closes_at: new Date(now - 15 * DAY) }).where('id', '=', p.id).execute();
  }
  await closeExpired(deps);
  // The demo's own residents have signed the petition nearest its threshold, so their receipts can be seen.
  const near = await db.selectFrom('petitions').select('id').where('municipality_id', '=', m.id).where('status', '=', 'open').orderBy('id').executeTakeFirst();
  if (near) {
    await importSignatures(db, people.residents.slice(0, 2).map((user_id) => ({ municipality_id: m.id, petition_id: near.id, user_id, ip_prefix: null, email_domain: `${m.slug}.example`, signed_at: new Date() })));
    await sealPetition(db, near.id);
  }
}
