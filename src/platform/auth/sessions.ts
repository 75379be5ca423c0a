import { sql } from 'kysely';
import { batcherPer, createBatcher } from '../../db/batcher.ts';
import type { Database } from '../../db/database.ts';
import { prepared } from '../../db/prepared.ts';
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

/** Sessions with their users, roles and residences, for many session ids in one round trip. */
async function sessionRows(db: Database, ids: string[]) {
  const rows = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id as session_id', 'sessions.last_seen_at', 'sessions.expires_at',
      'users.id', 'users.email', 'users.full_name', 'users.locale', 'users.platform_role',
      'users.email_verified_at', 'users.identity_verified_at', 'users.residence_municipality_id', 'users.deleted_at',
      sql<{ municipality_id: number; role: MunicipalRole }[]>`(SELECT coalesce(json_agg(json_build_object('municipality_id', m.municipality_id, 'role', m.role)), '[]'::json)
        FROM memberships m WHERE m.user_id = users.id)`.as('memberships'),
      sql<{ municipality_id: number }[]>`(SELECT coalesce(json_agg(json_build_object('municipality_id', r.municipality_id)), '[]'::json)
        FROM resident_verifications r WHERE r.user_id = users.id)`.as('residences'),
    ])
    // One array parameter rather than a list of them: one statement shape, built and parsed cheaply.
    .where('sessions.id', '=', sql<string>`any(${sql.val([...new Set(ids)])}::text[])`)
    .modifyEnd(prepared)
    .execute();
  const byId = new Map(rows.map((r) => [r.session_id, r]));
  return ids.map((id) => byId.get(id));
}

// Every request with a session cookie reads its session: requests arriving together share one query.
const sessionLoader = batcherPer((db: Database) => createBatcher((ids: string[]) => sessionRows(db, ids)));

/** Loads the user of a live session with their roles; slides the expiry at most every few minutes. */
export async function loadSessionUser(db: Database, token: string): Promise<CurrentUser | null> {
  const id = tokenHash(token);
  const row = await sessionLoader(db).run(id);
  if (!row || row.deleted_at || new Date(row.expires_at) <= new Date()) return null;
  const { memberships, residences } = row;
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
