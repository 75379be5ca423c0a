import { sql } from 'kysely';
import type { Database } from '../../../db/database.ts';
import type { PetitionStatus } from '../../../db/schema.ts';

/** Petitions in the given statuses for staff work lists, with their exact counts, ordered by a deadline. */
export async function workList(db: Database, municipalityId: number, statuses: PetitionStatus[], deadline: 'moderation_due_at' | 'response_due_at' | 'submitted_at') {
  return db.selectFrom('petitions as p').innerJoin('petition_tallies as t', 't.petition_id', 'p.id')
    .leftJoin('users as a', 'a.id', 'p.author_id')
    .select(['p.id', 'p.number', 'p.title', 'p.status', 'p.threshold', 'p.submitted_at', 'p.moderation_due_at', 'p.response_due_at',
      'p.threshold_reached_at', 'p.supporters_needed', 'a.full_name as author_name'])
    .select(sql<number>`t.sealed_valid + (SELECT count(*) FROM petition_signatures s WHERE s.petition_id = p.id AND s.ledger_seq IS NULL AND s.invalidation_id IS NULL)::int`.as('signatures'))
    .where('p.municipality_id', '=', municipalityId).where('p.status', 'in', statuses)
    .orderBy(sql.ref(`p.${deadline}`), 'asc').orderBy('p.id').limit(500).execute();
}

/** How many valid signatures of a petition a filter would invalidate. */
export async function countMatching(db: Database, petitionId: number, f: { ipPrefix?: string | undefined; emailDomain?: string | undefined; since?: Date | undefined; until?: Date | undefined }) {
  let q = db.selectFrom('petition_signatures').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('petition_id', '=', petitionId).where('invalidation_id', 'is', null);
  if (f.ipPrefix) q = q.where('ip_prefix', '=', f.ipPrefix);
  if (f.emailDomain) q = q.where('email_domain', '=', f.emailDomain);
  if (f.since) q = q.where('signed_at', '>=', f.since);
  if (f.until) q = q.where('signed_at', '<', f.until);
  return Number((await q.executeTakeFirst())?.n ?? 0);
}
