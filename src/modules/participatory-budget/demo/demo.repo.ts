import { sql } from 'kysely';
import type { Database } from '../../../db/database.ts';
import type { Municipality } from '../../../db/schema.ts';

/** The tables whose rows carry the moment they were written (created_at). */
export const STAMPED = ['pb_cycles', 'pb_projects', 'pb_project_events', 'pb_updates'] as const;

/** Moves the created_at of a municipality's rows written after `since` to `at`. */
export async function stampSince(db: Database, table: (typeof STAMPED)[number], municipalityId: number, since: Date, at: Date): Promise<void> {
  await sql`UPDATE ${sql.table(table)} SET created_at = ${at} WHERE municipality_id = ${municipalityId} AND created_at > ${since}`.execute(db);
}

/** Accounts without a password (demo residents), made once: a second run finds them by e-mail. Ids in the order given. */
export async function demoAccounts(db: Database, m: Pick<Municipality, 'id' | 'default_locale'>, people: { email: string; name: string }[]): Promise<{ id: number; full_name: string }[]> {
  const rows = people.map((p) => ({
    email: p.email, password_hash: null, full_name: p.name, locale: m.default_locale, email_verified_at: new Date(),
    identity_verified_at: null, identity_provider: null, identity_subject: null, residence_municipality_id: m.id, platform_role: null, deleted_at: null,
  }));
  await db.insertInto('users').values(rows).onConflict((oc) => oc.column('email').doNothing()).execute();
  const found = await db.selectFrom('users').select(['id', 'email', 'full_name']).where('email', 'in', rows.map((r) => r.email)).execute();
  const byEmail = new Map(found.map((u) => [u.email, u]));
  return people.map((p) => byEmail.get(p.email)!);
}
