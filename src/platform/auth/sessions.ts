import type { Database } from '../../db/database.ts';
import type { MunicipalRole } from '../../db/schema.ts';
import type { CurrentUser } from './current-user.ts';
import { randomToken, tokenHash } from './tokens.ts';

export const SESSION_COOKIE = 'hromada_session';
export const SESSION_DAYS = 30;
const TOUCH_AFTER_MS = 5 * 60 * 1000;

/** Starts a session; returns the cookie value (only its hash is stored). */
export async function createSession(db: Database, userId: number, ip: string | null, userAgent: string | null): Promise<string> {
  const token = randomToken();
  const now = new Date();
  await db
    .insertInto('sessions')
    .values({
      id: tokenHash(token),
      user_id: userId,
      expires_at: new Date(now.getTime() + SESSION_DAYS * 86400_000),
      last_seen_at: now,
      ip,
      user_agent: userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  return token;
}

export async function destroySession(db: Database, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', tokenHash(token)).execute();
}

export async function destroyUserSessions(db: Database, userId: number, exceptId?: string): Promise<void> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (exceptId) q = q.where('id', '<>', exceptId);
  await q.execute();
}

/** Loads the user of a live session with their roles; slides the expiry at most every few minutes. */
export async function loadSessionUser(db: Database, token: string): Promise<CurrentUser | null> {
  const id = tokenHash(token);
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id as session_id', 'sessions.last_seen_at', 'sessions.expires_at',
      'users.id', 'users.email', 'users.full_name', 'users.locale', 'users.platform_role',
      'users.email_verified_at', 'users.identity_verified_at', 'users.residence_municipality_id', 'users.deleted_at',
    ])
    .where('sessions.id', '=', id)
    .executeTakeFirst();
  if (!row || row.deleted_at || new Date(row.expires_at) <= new Date()) return null;
  const [memberships, residences] = await Promise.all([
    db.selectFrom('memberships').select(['municipality_id', 'role']).where('user_id', '=', row.id).execute(),
    db.selectFrom('resident_verifications').select('municipality_id').where('user_id', '=', row.id).execute(),
  ]);
  if (Date.now() - new Date(row.last_seen_at).getTime() > TOUCH_AFTER_MS) {
    const now = new Date();
    await db.updateTable('sessions')
      .set({ last_seen_at: now, expires_at: new Date(now.getTime() + SESSION_DAYS * 86400_000) })
      .where('id', '=', id).execute();
  }
  const roles: Record<number, MunicipalRole[]> = {};
  for (const m of memberships) (roles[m.municipality_id] ??= []).push(m.role);
  return {
    id: row.id,
    email: row.email,
    fullName: row.full_name,
    locale: row.locale,
    platformRole: row.platform_role,
    emailVerified: row.email_verified_at !== null,
    identityVerified: row.identity_verified_at !== null,
    residenceMunicipalityId: row.residence_municipality_id,
    roles,
    residentOf: residences.map((r) => r.municipality_id),
    sessionId: row.session_id,
  };
}
