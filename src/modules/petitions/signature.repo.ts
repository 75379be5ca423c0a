import { sql, type Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { batcherPer, createBatcher } from '../../db/batcher.ts';
import { SIGNABLE } from './petition.repo.ts';

type Trx = Database | Transaction<DB>;

export interface NewSignature {
  municipality_id: number;
  petition_id: number;
  user_id: number;
  ip_prefix: string | null;
  email_domain: string | null;
}
type Inserted = { id: number; signed_at: Date } | undefined;

/**
 * Writes signatures arriving together in one INSERT (see createBatcher). The unique key (municipality,
 * petition, user) makes a double click or a replayed request the same single signature; a signer whose
 * e-mail domain the municipality blocks, and a petition that stopped collecting since the caller read it,
 * are skipped in the same statement: each gets undefined.
 */
async function insertSignatures(db: Database, rows: NewSignature[]): Promise<Inserted[]> {
  const col = <K extends keyof NewSignature>(k: K) => sql.val(rows.map((r) => r[k]));
  const { rows: out } = await sql<{ id: number; petition_id: number; user_id: number; signed_at: Date }>`
    INSERT INTO petition_signatures (municipality_id, petition_id, user_id, ip_prefix, email_domain)
    SELECT v.municipality_id, v.petition_id, v.user_id, v.ip_prefix, v.email_domain
    FROM unnest(${col('municipality_id')}::int[], ${col('petition_id')}::int[], ${col('user_id')}::int[], ${col('ip_prefix')}::text[], ${col('email_domain')}::text[])
      AS v(municipality_id, petition_id, user_id, ip_prefix, email_domain)
    JOIN petitions p ON p.id = v.petition_id AND p.municipality_id = v.municipality_id
      AND p.status = ANY(${sql.val(SIGNABLE)}::text[]) AND (p.closes_at IS NULL OR p.closes_at > now())
    WHERE NOT EXISTS (SELECT 1 FROM petition_blocked_domains b WHERE b.municipality_id = v.municipality_id AND b.domain = v.email_domain)
    ON CONFLICT (municipality_id, petition_id, user_id) DO NOTHING
    RETURNING id, petition_id, user_id, signed_at`.execute(db);
  const byKey = new Map(out.map((r) => [`${r.petition_id}:${r.user_id}`, r]));
  return rows.map((r) => {
    const key = `${r.petition_id}:${r.user_id}`;
    const hit = byKey.get(key);
    byKey.delete(key); // the same signer twice in one batch: the first call signed, the second finds it signed
    return hit ? { id: Number(hit.id), signed_at: hit.signed_at } : undefined;
  });
}

const signatureBatcher = batcherPer((db: Database) => createBatcher((rows: NewSignature[]) => insertSignatures(db, rows)));

/**
 * The whole write path of a signature: one INSERT, shared with the signatures arriving at the same moment.
 * Undefined when the signer had signed already or their e-mail domain is blocked.
 */
export function insertSignature(db: Database, s: NewSignature): Promise<Inserted> {
  return signatureBatcher(db).run(s);
}

export async function findSignature(db: Trx, petitionId: number, userId: number) {
  return db.selectFrom('petition_signatures').select(['id', 'signed_at', 'ledger_seq', 'invalidation_id'])
    .where('petition_id', '=', petitionId).where('user_id', '=', userId).executeTakeFirst();
}

/**
 * The exact count of valid signatures: the sealed tally plus the signatures not sealed yet, read in one
 * statement so a sealing batch committing meanwhile is counted once, either side.
 */
export async function countSignatures(db: Trx, petitionId: number): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT t.sealed_valid + (SELECT count(*) FROM petition_signatures s
      WHERE s.petition_id = ${petitionId} AND s.ledger_seq IS NULL AND s.invalidation_id IS NULL)::int AS n
    FROM petition_tallies t WHERE t.petition_id = ${petitionId}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/** The valid signatures already sealed into the ledger (what the published chain proves). */
export async function sealedTally(db: Trx, petitionId: number): Promise<number> {
  const row = await db.selectFrom('petition_tallies').select('sealed_valid').where('petition_id', '=', petitionId).executeTakeFirst();
  return Number(row?.sealed_valid ?? 0);
}

/** Petitions that have signatures waiting to be sealed. */
export async function petitionsWithUnsealed(db: Trx, limit: number) {
  const { rows } = await sql<{ petition_id: number }>`
    SELECT DISTINCT petition_id FROM petition_signatures WHERE ledger_seq IS NULL LIMIT ${limit}`.execute(db);
  return rows.map((r) => Number(r.petition_id));
}

/** The oldest unsealed signatures of a petition, locked for sealing. */
export async function lockUnsealed(trx: Trx, petitionId: number, limit: number) {
  return trx.selectFrom('petition_signatures').select(['id', 'user_id', 'signed_at'])
    .where('petition_id', '=', petitionId).where('ledger_seq', 'is', null)
    .orderBy('id').limit(limit).forUpdate().execute();
}

/** Records each signature's place in the chain and adds the batch to the tally, in one transaction. */
export async function markSealed(trx: Trx, petitionId: number, ids: number[], seqs: number[]) {
  if (ids.length === 0) return;
  await sql`UPDATE petition_signatures AS s SET ledger_seq = v.seq
    FROM unnest(${sql.val(ids)}::bigint[], ${sql.val(seqs)}::bigint[]) AS v(id, seq)
    WHERE s.id = v.id`.execute(trx);
  await addToTally(trx, petitionId, ids.length);
}

export async function addToTally(trx: Trx, petitionId: number, delta: number) {
  await trx.updateTable('petition_tallies')
    .set((eb) => ({ sealed_valid: eb('sealed_valid', '+', delta), updated_at: new Date() }))
    .where('petition_id', '=', petitionId).execute();
}

/** A page of valid signatories, newest first, with what the public list may show. */
export async function listSignatories(db: Trx, petitionId: number, limit: number, offset: number) {
  return db.selectFrom('petition_signatures as s').innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.id', 's.signed_at', 'u.full_name', 'u.deleted_at'])
    .where('s.petition_id', '=', petitionId).where('s.invalidation_id', 'is', null)
    .orderBy('s.signed_at', 'desc').orderBy('s.id', 'desc').limit(limit).offset(offset).execute();
}

/** Signatures in a municipality since `since`, grouped by network and by e-mail domain (most first). */
export async function trendingSigners(db: Trx, municipalityId: number, since: Date, limit = 20) {
  const base = () => db.selectFrom('petition_signatures as s').innerJoin('petitions as p', 'p.id', 's.petition_id')
    .where('s.municipality_id', '=', municipalityId).where('s.signed_at', '>=', since).where('s.invalidation_id', 'is', null);
  const [byIp, byDomain] = await Promise.all([
    base().select(['s.ip_prefix as key', 'p.number', 'p.title', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy(['s.ip_prefix', 'p.number', 'p.title']).orderBy('n', 'desc').limit(limit).execute(),
    base().select(['s.email_domain as key', 'p.number', 'p.title', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy(['s.email_domain', 'p.number', 'p.title']).orderBy('n', 'desc').limit(limit).execute(),
  ]);
  return { byIp, byDomain };
}

export interface SignatureFilter {
  ipPrefix?: string | undefined;
  emailDomain?: string | undefined;
  since?: Date | undefined;
  until?: Date | undefined;
}

/** Valid, sealed signatures of a petition matching the filter, locked for invalidation. */
export async function lockMatching(trx: Trx, petitionId: number, f: SignatureFilter) {
  let q = trx.selectFrom('petition_signatures').select(['id', 'user_id'])
    .where('petition_id', '=', petitionId).where('invalidation_id', 'is', null);
  if (f.ipPrefix) q = q.where('ip_prefix', '=', f.ipPrefix);
  if (f.emailDomain) q = q.where('email_domain', '=', f.emailDomain);
  if (f.since) q = q.where('signed_at', '>=', f.since);
  if (f.until) q = q.where('signed_at', '<', f.until);
  return q.orderBy('id').forUpdate().execute();
}

export async function markInvalidated(trx: Trx, ids: number[], invalidationId: number) {
  if (ids.length === 0) return;
  await trx.updateTable('petition_signatures').set({ invalidation_id: invalidationId }).where('id', 'in', ids).execute();
}

/** Signers of a petition after `afterId`, for notifying them in batches. */
export async function signerBatch(db: Trx, petitionId: number, afterId: number, limit: number) {
  return db.selectFrom('petition_signatures').select(['id', 'user_id'])
    .where('petition_id', '=', petitionId).where('invalidation_id', 'is', null).where('id', '>', afterId)
    .orderBy('id').limit(limit).execute();
}

export async function isDomainBlocked(db: Trx, municipalityId: number, domain: string | null): Promise<boolean> {
  if (!domain) return false;
  const row = await db.selectFrom('petition_blocked_domains').select('domain')
    .where('municipality_id', '=', municipalityId).where('domain', '=', domain).executeTakeFirst();
  return row !== undefined;
}

export async function listBlockedDomains(db: Trx, municipalityId: number) {
  return db.selectFrom('petition_blocked_domains').select(['domain', 'created_at'])
    .where('municipality_id', '=', municipalityId).orderBy('domain').execute();
}

export async function setDomainBlocked(db: Trx, municipalityId: number, domain: string, blocked: boolean) {
  if (blocked) {
    await db.insertInto('petition_blocked_domains').values({ municipality_id: municipalityId, domain })
      .onConflict((oc) => oc.columns(['municipality_id', 'domain']).doNothing()).execute();
  } else {
    await db.deleteFrom('petition_blocked_domains').where('municipality_id', '=', municipalityId).where('domain', '=', domain).execute();
  }
}

/** The public record of invalidations of a petition, newest first. */
export async function listInvalidations(db: Trx, petitionId: number) {
  return db.selectFrom('petition_invalidations').select(['id', 'reason', 'count', 'created_at'])
    .where('petition_id', '=', petitionId).orderBy('id', 'desc').execute();
}
