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

interface SessionRow {
  session_id: string;
  /** Unexpired and its user not deleted, by the database's clock. */
  live: boolean;
  /** Whether the expiry should slide (last seen more than a few minutes ago). */
  stale: boolean;
  id: number;
  email: string | null;
  full_name: string;
  locale: string;
  platform_role: CurrentUser['platformRole'];
  email_verified: boolean;
  identity_verified: boolean;
  residence_municipality_id: number | null;
  memberships: { municipality_id: number; role: MunicipalRole }[];
  residences: number[];
}

/**
 * Sessions with their users, roles and residences, for many session ids in one round trip: a fixed text
 * with one array parameter (prepared once per connection), answering yes/no questions rather than
 * returning timestamps to parse on every request.
 */
async function sessionRows(db: Database, ids: string[]) {
  const { rows } = await sql<SessionRow>`
    SELECT s.id AS session_id, s.expires_at > now() AND u.deleted_at IS NULL AS live,
      s.last_seen_at < now() - ${`${TOUCH_AFTER_MS} milliseconds`}::interval AS stale,
      u.id, u.email, u.full_name, u.locale, u.platform_role, u.email_verified_at IS NOT NULL AS email_verified,
      u.identity_verified_at IS NOT NULL AS identity_verified, u.residence_municipality_id,
      (SELECT coalesce(json_agg(json_build_object('municipality_id', m.municipality_id, 'role', m.role)), '[]'::json)
        FROM memberships m WHERE m.user_id = u.id) AS memberships,
      (SELECT coalesce(json_agg(r.municipality_id), '[]'::json) FROM resident_verifications r WHERE r.user_id = u.id) AS residences
    FROM sessions s JOIN users u ON u.id = s.user_id
    WHERE s.id = any(${[...new Set(ids)]}::text[]) ${prepared}`.execute(db);
  const byId = new Map(rows.map((r) => [r.session_id, r]));
  return ids.map((id) => byId.get(id));
}

// Every request with a session cookie reads its session: requests arriving together share one query.
const sessionLoader = batcherPer((db: Database) => createBatcher((ids: string[]) => sessionRows(db, ids)));

/** Loads the user of a live session with their roles; slides the expiry at most every few minutes. */
export async function loadSessionUser(db: Database, token: string): Promise<CurrentUser | null> {
  return loadSessionUserById(db, tokenHash(token));
}

/** The same, by the session's stored id (its hash; `CurrentUser.sessionId`), for a request that carries no cookie. */
export async function loadSessionUserById(db: Database, id: string): Promise<CurrentUser | null> {
  const row = await sessionLoader(db).run(id);
  if (!row?.live) return null;
  const { memberships, residences } = row;
  if (row.stale) {
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
    emailVerified: row.email_verified,
    identityVerified: row.identity_verified,
    residenceMunicipalityId: row.residence_municipality_id,
    roles,
    residentOf: residences,
    sessionId: row.session_id,
  };
}
