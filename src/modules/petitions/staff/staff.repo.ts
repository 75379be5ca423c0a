import { sql } from 'kysely';
import type { Database } from '../../../db/database.ts';
import type { PetitionStatus } from '../../../db/schema.ts';
import { exactCount, matchingFilter, type SignatureFilter } from '../signature.repo.ts';

/** Petitions in the given statuses for staff work lists, with their exact counts, ordered by a deadline. */
export async function workList(db: Database, municipalityId: number, statuses: PetitionStatus[], deadline: 'moderation_due_at' | 'response_due_at' | 'submitted_at') {
  return db.selectFrom('petitions as p').innerJoin('petition_tallies as t', 't.petition_id', 'p.id')
    .leftJoin('users as a', 'a.id', 'p.author_id')
    .select(['p.id', 'p.number', 'p.title', 'p.status', 'p.threshold', 'p.submitted_at', 'p.moderation_due_at', 'p.response_due_at',
      'p.threshold_reached_at', 'p.supporters_needed', 'a.full_name as author_name'])
    .select(exactCount('t').as('signatures'))
    .where('p.municipality_id', '=', municipalityId).where('p.status', 'in', statuses)
    .orderBy(sql.ref(`p.${deadline}`), 'asc').orderBy('p.id').limit(500).execute();
}

/** How many valid signatures of a petition a filter would invalidate. */
export async function countMatching(db: Database, petitionId: number, f: SignatureFilter) {
  const q = matchingFilter(db.selectFrom('petition_signatures').select((eb) => eb.fn.countAll<number>().as('n')).where('petition_id', '=', petitionId), f);
  return Number((await q.executeTakeFirst())?.n ?? 0);
}
