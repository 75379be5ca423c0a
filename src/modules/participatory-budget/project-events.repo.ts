import type { Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';

type Db = Database | Transaction<DB>;

/**
 * Adds an event to a project's timeline (kinds are named by the messages `pb.event.<kind>`, which the part
 * that writes the kind defines). Staff notes are written with `public: false` and shown only to staff.
 */
export async function addProjectEvent(db: Db, e: { municipalityId: number; projectId: number; kind: string; actorId: number | null; note?: string | null; data?: Record<string, unknown>; public?: boolean }): Promise<void> {
  await db.insertInto('pb_project_events').values({
    municipality_id: e.municipalityId, project_id: e.projectId, kind: e.kind, actor_id: e.actorId, note: e.note ?? null,
    data: JSON.stringify(e.data ?? {}), public: e.public ?? true,
  }).execute();
}

/** A project's timeline, oldest first; staff notes only when asked. */
export async function projectEvents(db: Db, projectId: number, opts: { staff: boolean }) {
  let q = db.selectFrom('pb_project_events').select(['id', 'kind', 'note', 'data', 'public', 'actor_id', 'created_at']).where('project_id', '=', projectId);
  if (!opts.staff) q = q.where('public', '=', true);
  return q.orderBy('id').execute();
}

/** Everyone told of a project's news: its author, co-authors and followers, each once (deleted accounts left out). */
export async function projectAudience(db: Db, projectId: number): Promise<number[]> {
  const rows = await db.selectFrom('pb_projects as p').select('p.author_id as user_id').where('p.id', '=', projectId)
    .union(db.selectFrom('pb_project_authors').select('user_id').where('project_id', '=', projectId))
    .union(db.selectFrom('pb_followers').select('user_id').where('project_id', '=', projectId))
    .execute();
  if (rows.length === 0) return [];
  const live = await db.selectFrom('users').select('id').where('id', 'in', rows.map((r) => r.user_id)).where('deleted_at', 'is', null).execute();
  return live.map((u) => u.id).sort((a, b) => a - b);
}
