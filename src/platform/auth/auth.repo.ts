import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { TokenPurpose } from '../../db/schema.ts';
import { tokenHash } from './tokens.ts';

const PUBLIC_USER = ['id', 'email', 'full_name', 'locale', 'email_verified_at', 'identity_verified_at', 'identity_provider',
  'residence_municipality_id', 'birth_date', 'birth_date_source', 'platform_role', 'created_at', 'deleted_at'] as const;

export async function findUserByEmail(db: Database, email: string) {
  return db.selectFrom('users').select([...PUBLIC_USER, 'password_hash']).where('email', '=', email.toLowerCase()).executeTakeFirst();
}

export async function findUserById(db: Database, id: number) {
  return db.selectFrom('users').select([...PUBLIC_USER, 'password_hash']).where('id', '=', id).executeTakeFirst();
}

export async function insertUser(db: Database, u: { email: string | null; passwordHash: string | null; fullName: string; locale: string; emailVerified?: boolean }) {
  return db.insertInto('users').values({
    email: u.email?.toLowerCase() ?? null,
    password_hash: u.passwordHash,
    full_name: u.fullName,
    locale: u.locale,
    email_verified_at: u.emailVerified ? new Date() : null,
    identity_verified_at: null, identity_provider: null, identity_subject: null,
    residence_municipality_id: null, platform_role: null, deleted_at: null,
  }).onConflict((oc) => oc.column('email').doNothing()).returning('id').executeTakeFirst();
}

/**
 * Registration's insert: a new user, or the id of the one already holding the address. The conflict takes
 * a no-op update rather than a second query, so both cases cost the same statement.
 */
export async function insertOrFindUser(db: Database, u: { email: string; passwordHash: string; fullName: string; locale: string }) {
  return db.insertInto('users').values({
    email: u.email.toLowerCase(), password_hash: u.passwordHash, full_name: u.fullName, locale: u.locale, email_verified_at: null,
    identity_verified_at: null, identity_provider: null, identity_subject: null, residence_municipality_id: null, platform_role: null, deleted_at: null,
  }).onConflict((oc) => oc.column('email').doUpdateSet((eb) => ({ email: eb.ref('excluded.email') })))
    .returning(['id', sql<boolean>`xmax = 0`.as('inserted')]).executeTakeFirstOrThrow();
}

export async function updateUser(db: Database, id: number, values: Partial<{ full_name: string; locale: string; password_hash: string | null; email_verified_at: Date }>) {
  await db.updateTable('users').set(values).where('id', '=', id).execute();
}

/** A person's birth date, whose word it is, and the identity provider that verified them (see platform/auth/age.ts). */
export async function findBirthDate(db: Database, userId: number) {
  return db.selectFrom('users').select(['birth_date', 'birth_date_source', 'identity_provider']).where('id', '=', userId).executeTakeFirst();
}

/** Stores a birth date as the person's own word, unless an identity provider's is there (then false, nothing written). */
export async function declareBirthDate(db: Database, userId: number, birthDate: string): Promise<boolean> {
  const r = await db.updateTable('users').set({ birth_date: birthDate, birth_date_source: 'declared' })
    .where('id', '=', userId).where((eb) => eb.or([eb('birth_date_source', 'is', null), eb('birth_date_source', '=', 'declared')]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Stores a one-time link token (its hash). */
export async function insertToken(db: Database, token: string, userId: number | null, purpose: TokenPurpose, ttlMs: number) {
  await db.insertInto('tokens').values({ id: tokenHash(token), user_id: userId, purpose, expires_at: new Date(Date.now() + ttlMs), used_at: null }).execute();
}

/** Marks a live token used and returns its user; a used, expired or unknown token gives undefined. */
export async function consumeToken(db: Database, token: string, purpose: TokenPurpose) {
  return db.updateTable('tokens').set({ used_at: new Date() })
    .where('id', '=', tokenHash(token)).where('purpose', '=', purpose).where('used_at', 'is', null).where('expires_at', '>', new Date())
    .returning(['user_id']).executeTakeFirst();
}

export async function tokenIsLive(db: Database, token: string, purpose: TokenPurpose): Promise<boolean> {
  const row = await db.selectFrom('tokens').select('id')
    .where('id', '=', tokenHash(token)).where('purpose', '=', purpose).where('used_at', 'is', null).where('expires_at', '>', new Date())
    .executeTakeFirst();
  return !!row;
}

/** Everything the platform holds about a person, for "download my data". */
export async function exportUserData(db: Database, userId: number) {
  const [user, memberships, residences, notifications, preferences, sessions, audit] = await Promise.all([
    db.selectFrom('users').select(PUBLIC_USER).where('id', '=', userId).executeTakeFirst(),
    db.selectFrom('memberships').innerJoin('municipalities', 'municipalities.id', 'memberships.municipality_id')
      .select(['municipalities.slug', 'memberships.role', 'memberships.created_at']).where('user_id', '=', userId).execute(),
    db.selectFrom('resident_verifications').innerJoin('municipalities', 'municipalities.id', 'resident_verifications.municipality_id')
      .select(['municipalities.slug', 'resident_verifications.method', 'resident_verifications.created_at']).where('user_id', '=', userId).execute(),
    db.selectFrom('notifications').select(['kind', 'params', 'link', 'read_at', 'created_at']).where('user_id', '=', userId).execute(),
    db.selectFrom('notification_preferences').select(['kind', 'email', 'in_app']).where('user_id', '=', userId).execute(),
    db.selectFrom('sessions').select(['created_at', 'last_seen_at', 'ip', 'user_agent']).where('user_id', '=', userId).execute(),
    db.selectFrom('audit_log').select(['action', 'subject_type', 'subject_id', 'created_at']).where('actor_id', '=', userId).execute(),
  ]);
  return { user, memberships, residences, notifications, notificationPreferences: preferences, sessions, actionsAsOfficial: audit };
}

/** Deletes the person but keeps what they contributed, anonymised. */
export async function anonymiseUser(db: Database, userId: number) {
  await db.updateTable('users').set({
    email: null, password_hash: null, full_name: '', identity_provider: null, identity_subject: null,
    residence_municipality_id: null, birth_date: null, birth_date_source: null, platform_role: null, deleted_at: new Date(),
  }).where('id', '=', userId).execute();
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
  await db.deleteFrom('memberships').where('user_id', '=', userId).execute();
  await db.deleteFrom('official_departments').where('user_id', '=', userId).execute();
  await db.deleteFrom('notifications').where('user_id', '=', userId).execute();
  await db.deleteFrom('notification_preferences').where('user_id', '=', userId).execute();
  await db.deleteFrom('tokens').where('user_id', '=', userId).execute();
}
