import { sql } from 'kysely';
import type { CacheItem, CacheProvider } from '@node-saml/node-saml';
import type { Database } from '../../../db/database.ts';

/** How long an AuthnRequest waits for its answer. */
export const REQUEST_TTL_MS = 10 * 60_000;

/** Where a SAML sign-in started, kept with its AuthnRequest's ID. */
export interface SamlRequestFlow {
  locale: string;
  next: string | null;
  /** The starter's session (sessions.id), when they were signed in. */
  sessionId: string | null;
}

/**
 * node-saml's cache of AuthnRequest IDs, in the database so that any web process may receive the answer:
 * saving records the request with where the sign-in started; the ACS takes the row itself (`takeRequest`),
 * so removal is left to that and to expiry.
 */
export function requestCache(db: Database, provider: string, flow: SamlRequestFlow): CacheProvider {
  return {
    async saveAsync(key: string, value: string): Promise<CacheItem | null> {
      const now = Date.now();
      await db.insertInto('saml_requests').values({
        id: key, provider, locale: flow.locale, next_path: flow.next, session_id: flow.sessionId, expires_at: new Date(now + REQUEST_TTL_MS),
      }).execute();
      return { value, createdAt: now };
    },
    async getAsync(key: string): Promise<string | null> {
      const row = await db.selectFrom('saml_requests').select('created_at')
        .where('id', '=', key).where('provider', '=', provider).where('expires_at', '>', sql<Date>`now()`)
        .executeTakeFirst();
      return row ? new Date(row.created_at).toISOString() : null;
    },
    async removeAsync(key: string | null): Promise<string | null> {
      return key;
    },
  };
}

/** Marks a request answered and returns where it started; null when unknown, another provider's, expired or answered before. */
export async function takeRequest(db: Database, provider: string, id: string): Promise<SamlRequestFlow | null> {
  const row = await db.updateTable('saml_requests').set({ answered_at: sql`now()` })
    .where('id', '=', id).where('provider', '=', provider).where('answered_at', 'is', null).where('expires_at', '>', sql<Date>`now()`)
    .returning(['locale', 'next_path', 'session_id'])
    .executeTakeFirst();
  return row ? { locale: row.locale, next: row.next_path, sessionId: row.session_id } : null;
}

/** Records an accepted assertion until it expires; false when it was accepted before (a replay). */
export async function recordAssertion(db: Database, provider: string, id: string, expiresAt: Date): Promise<boolean> {
  const row = await db.insertInto('saml_assertions').values({ provider, id, expires_at: expiresAt })
    .onConflict((oc) => oc.columns(['provider', 'id']).doNothing())
    .returning('id').executeTakeFirst();
  return row !== undefined;
}

/** Forgets requests and assertions past their expiry (a replayed assertion past it is refused as expired anyway). */
export async function pruneSaml(db: Database): Promise<void> {
  await db.deleteFrom('saml_requests').where('expires_at', '<', sql<Date>`now()`).execute();
  await db.deleteFrom('saml_assertions').where('expires_at', '<', sql<Date>`now()`).execute();
}
