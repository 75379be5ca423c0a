import type { Database } from '../../../db/database.ts';

/** The latest answered petitions, newest response first, for the responses feed. */
export async function latestResponses(db: Database, municipalityId: number, limit: number) {
  const rows = await db.selectFrom('petitions')
    .select(['number', 'title', 'response_outcome', 'response_text', 'answered_at'])
    .where('municipality_id', '=', municipalityId).where('status', '=', 'answered').where('answered_at', 'is not', null)
    .orderBy('answered_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({ ...r, answered_at: r.answered_at! }));
}
