import type { Database } from '../../../db/database.ts';
import type { Municipality } from '../../../db/schema.ts';
import type { CurrentUser } from '../../../platform/auth/current-user.ts';
import { createSession, SESSION_COOKIE } from '../../../platform/auth/sessions.ts';
import type { TestApp, TestClient } from '../../../platform/testing/http.ts';
import { TEST_IDENTIFIERS } from '../../../platform/testing/people.ts';
import type { Category } from '../pb.tables.ts';
import { seedProject } from '../testing.ts';

let made = 0;

export interface SeedVoter {
  /** Confirmed resident of the municipality (default true), with the document shown (its number) and district. */
  resident?: boolean;
  document?: string | null;
  districtId?: number | null;
  birthDate?: string | null;
  birthSource?: 'identity' | 'declared';
  nationalId?: string | null;
  emailVerified?: boolean;
}

/** A voter as services see them, without a password (HTTP tests use platform/testing/people.ts `resident`). */
export async function seedVoter(db: Database, m: Municipality, o: SeedVoter = {}): Promise<CurrentUser> {
  made += 1;
  const email = `voter${made}-${Math.random().toString(36).slice(2, 8)}@example.org`;
  const { id } = await db.insertInto('users').values({
    email, password_hash: null, full_name: `Voter ${made}`, locale: 'uk', email_verified_at: o.emailVerified === false ? null : new Date(),
    identity_verified_at: null, identity_provider: null, identity_subject: null, residence_municipality_id: null, platform_role: null, deleted_at: null,
    national_id_hash: o.nationalId ? TEST_IDENTIFIERS.hash('rnokpp', o.nationalId) : null,
    birth_date: o.birthDate ?? null, birth_date_source: o.birthDate ? (o.birthSource ?? 'identity') : null,
  }).returning('id').executeTakeFirstOrThrow();
  const resident = o.resident !== false;
  if (resident) {
    await db.insertInto('resident_verifications').values({
      municipality_id: m.id, user_id: id, method: 'in_person', verified_by: null,
      document_type: o.document ? 'passport' : null, document_hash: o.document ? TEST_IDENTIFIERS.hash('document', o.document) : null, district_id: o.districtId ?? null,
    }).execute();
  }
  return {
    id, email, fullName: `Voter ${made}`, locale: 'uk', platformRole: null, emailVerified: o.emailVerified !== false, identityVerified: false,
    residenceMunicipalityId: null, roles: {}, residentOf: resident ? [m.id] : [], sessionId: 'test',
  };
}

/** A district of the municipality (no shape: ballots only need its id, slug and names). */
export async function seedDistrict(db: Database, m: Pick<Municipality, 'id'>, slug: string): Promise<number> {
  const row = await db.insertInto('districts').values({ municipality_id: m.id, slug, names: JSON.stringify({ uk: slug, en: `District ${slug}` }) }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** `n` admitted projects in a category, costing `cost` each (default 10 000.00); their numbers. */
export async function seedProjects(db: Database, m: Municipality, category: Pick<Category, 'id' | 'cycle_id'>, authorId: number, n: number, cost = 1_000_000): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await seedProject(db, m, category, authorId, { cost })).number);
  return out;
}

/** A client signed in as the user through a session made directly (no password, no sign-in form). */
export async function clientFor(t: TestApp, userId: number, locale = 'en'): Promise<TestClient> {
  const c = t.client(locale);
  c.cookies.set(SESSION_COOKIE, await createSession(t.db, userId, '127.0.0.1', 'test'));
  return c;
}
