import { sql, type SelectQueryBuilder, type Transaction } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { batcherPer, createBatcher } from '../../db/batcher.ts';
import { prepared } from '../../db/prepared.ts';
import { SIGNABLE } from './petition.status.ts';

type Trx = Database | Transaction<DB>;

/** A petition by its municipality and id, as the seal queue and batches are keyed. */
export interface PetitionRef { municipalityId: number; petitionId: number }

export interface NewSignature {
  municipality_id: number;
  petition_id: number;
  user_id: number;
  ip_prefix: string | null;
  email_domain: string | null;
}
type Inserted = { id: number; signed_at: Date } | undefined;

/** One column of a batch as an array parameter, for `unnest`. */
const column = <R, K extends keyof R>(rows: R[], k: K) => sql.val(rows.map((r) => r[k]));

/**
 * The CTE that queues every row of a CTE `signed` (RETURNING id, municipality_id, petition_id, user_id,
 * signed_at) for sealing, so no signature is written without its queue row.
 */
const queueSigned = sql`queued AS (
      INSERT INTO petition_unsealed (municipality_id, petition_id, signature_id, user_id, signed_at)
      SELECT municipality_id, petition_id, id, user_id, signed_at FROM signed
    )`;

/**
 * Writes signatures arriving together in one INSERT (see createBatcher). The unique key (municipality,
 * petition, user) makes a double click or a replayed request the same single signature; a signer whose
 * e-mail domain the municipality blocks, and a petition that stopped collecting since the caller read it,
 * are skipped in the same statement: each gets undefined.
 */
async function insertSignatures(db: Database, rows: NewSignature[]): Promise<Inserted[]> {
  const col = (k: keyof NewSignature) => column(rows, k);
  const { rows: out } = await sql<{ id: number; petition_id: number; user_id: number; signed_at: Date }>`
    WITH signed AS (
      INSERT INTO petition_signatures (municipality_id, petition_id, user_id, ip_prefix, email_domain)
      SELECT v.municipality_id, v.petition_id, v.user_id, v.ip_prefix, v.email_domain
      FROM unnest(${col('municipality_id')}::int[], ${col('petition_id')}::int[], ${col('user_id')}::int[], ${col('ip_prefix')}::text[], ${col('email_domain')}::text[])
        AS v(municipality_id, petition_id, user_id, ip_prefix, email_domain)
      JOIN petitions p ON p.id = v.petition_id AND p.municipality_id = v.municipality_id
        AND p.status = ANY(${sql.val(SIGNABLE)}::text[]) AND (p.closes_at IS NULL OR p.closes_at > now())
      WHERE NOT EXISTS (SELECT 1 FROM petition_blocked_domains b WHERE b.municipality_id = v.municipality_id AND b.domain = v.email_domain)
      ON CONFLICT (municipality_id, petition_id, user_id) DO NOTHING
      RETURNING id, municipality_id, petition_id, user_id, signed_at
    ), ${queueSigned}
    SELECT id, petition_id, user_id, signed_at FROM signed ${prepared}`.execute(db);
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

/**
 * Writes signatures with their own signing times (demo content, imports), queued for sealing like any other.
 * Each must name an existing petition of its municipality and an existing user (there are no foreign keys
 * on signatures: see migration 0011); otherwise nothing is written.
 */
export async function importSignatures(db: Database, rows: (NewSignature & { signed_at: Date })[]): Promise<void> {
  if (rows.length === 0) return;
  const col = (k: keyof typeof rows[number]) => column(rows, k);
  await db.transaction().execute(async (trx) => {
    const { rows: written } = await sql<{ n: number }>`
      WITH signed AS (
        INSERT INTO petition_signatures (municipality_id, petition_id, user_id, ip_prefix, email_domain, signed_at)
        SELECT v.municipality_id, v.petition_id, v.user_id, v.ip_prefix, v.email_domain, v.signed_at
        FROM unnest(${col('municipality_id')}::int[], ${col('petition_id')}::int[], ${col('user_id')}::int[], ${col('ip_prefix')}::text[],
          ${col('email_domain')}::text[], ${col('signed_at')}::timestamptz[]) WITH ORDINALITY AS v(municipality_id, petition_id, user_id, ip_prefix, email_domain, signed_at, ord)
        JOIN petitions p ON p.id = v.petition_id AND p.municipality_id = v.municipality_id
        JOIN users u ON u.id = v.user_id
        -- Ids (and so the order of sealing into the ledger) in the order given: the joins may reorder rows.
        ORDER BY v.ord
        RETURNING id, municipality_id, petition_id, user_id, signed_at
      ), ${queueSigned}
      SELECT count(*)::int AS n FROM signed`.execute(trx);
    if (written[0]?.n !== rows.length) throw new Error('Imported signatures must name existing petitions of their municipality and existing users');
  });
}

/** The user's signature of a petition, found on the unique key (municipality, petition, user). */
export async function findSignature(db: Trx, p: { municipality_id: number; id: number }, userId: number) {
  return db.selectFrom('petition_signatures').select(['id', 'signed_at', 'invalidation_id'])
    .where('municipality_id', '=', p.municipality_id).where('petition_id', '=', p.id).where('user_id', '=', userId).executeTakeFirst();
}

/**
 * The exact count of valid signatures of the petition whose `petition_tallies` row is aliased `tally`:
 * the sealed tally plus the signatures still queued for sealing, in one expression, so a sealing batch
 * committing meanwhile is counted once, either side. Queued signatures are never invalidated
 * (invalidation seals the queue first and only touches sealed signatures).
 */
export const exactCount = (tally: string) => sql<number>`(${sql.ref(`${tally}.sealed_valid`)} + (SELECT count(*) FROM petition_unsealed u
  WHERE u.municipality_id = ${sql.ref(`${tally}.municipality_id`)} AND u.petition_id = ${sql.ref(`${tally}.petition_id`)})::int)`;

/** The exact count of valid signatures of a petition (see exactCount). */
export async function countSignatures(db: Trx, petitionId: number): Promise<number> {
  const row = await db.selectFrom('petition_tallies as t').select(exactCount('t').as('n'))
    .where('t.petition_id', '=', petitionId).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The valid signatures already sealed into the ledger (what the published chain proves). */
export async function sealedTally(db: Trx, petitionId: number): Promise<number> {
  const row = await db.selectFrom('petition_tallies').select('sealed_valid').where('petition_id', '=', petitionId).executeTakeFirst();
  return Number(row?.sealed_valid ?? 0);
}

/** Petitions that have signatures waiting to be sealed. */
export async function petitionsWithUnsealed(db: Trx, limit: number) {
  const { rows } = await sql<{ petition_id: number }>`
    SELECT DISTINCT petition_id FROM petition_unsealed LIMIT ${limit}`.execute(db);
  return rows.map((r) => Number(r.petition_id));
}

/**
 * Takes the oldest queued signatures of a petition off the queue, in id order. The caller holds the
 * chain's lock, so no other sealer takes the same ones; its transaction seals them or puts them back.
 */
export async function takeUnsealed(trx: Trx, m: PetitionRef, limit: number) {
  // A range up to the limit-th oldest id, not `IN (subquery)`: the queue's statistics are always stale,
  // and with stale statistics the planner picked a nested loop that took 20 s for 20 000 rows. The
  // statement's one snapshot keeps a signature committed meanwhile with a lower id for the next batch.
  // `at` is the ledger's form of the signing time (UTC, whole seconds), made by the database for thousands of rows.
  const { rows } = await sql<{ signature_id: number; user_id: number; at: string }>`
    DELETE FROM petition_unsealed WHERE municipality_id = ${m.municipalityId} AND petition_id = ${m.petitionId}
      AND signature_id <= (SELECT max(signature_id) FROM (SELECT signature_id FROM petition_unsealed
        WHERE municipality_id = ${m.municipalityId} AND petition_id = ${m.petitionId} ORDER BY signature_id LIMIT ${limit}) AS next)
    RETURNING signature_id, user_id, to_char(signed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS at`.execute(trx);
  return rows.map((r) => ({ ...r, signature_id: Number(r.signature_id) })).sort((a, b) => a.signature_id - b.signature_id);
}

/** Records a sealed batch (ascending signature ids and their seqs) and adds it to the tally. */
export async function recordSealed(trx: Trx, m: PetitionRef, ids: number[], seqs: number[]) {
  if (ids.length === 0) return;
  await trx.insertInto('petition_seal_batches').values({
    municipality_id: m.municipalityId, petition_id: m.petitionId, first_signature_id: ids[0]!, last_signature_id: ids.at(-1)!,
    signature_ids: sql<number[]>`${sql.val(ids)}::bigint[]`, seqs: sql<number[]>`${sql.val(seqs)}::bigint[]`,
  }).execute();
  await addToTally(trx, m.petitionId, ids.length);
}

/** The seq of a sealed signature in its petition's chain, or null while it waits for sealing. */
export async function sealedSeq(db: Trx, m: PetitionRef, signatureId: number): Promise<number | null> {
  const row = await db.selectFrom('petition_seal_batches')
    .select(sql<number>`seqs[array_position(signature_ids, ${signatureId}::bigint)]`.as('seq'))
    .where('municipality_id', '=', m.municipalityId).where('petition_id', '=', m.petitionId)
    .where('first_signature_id', '<=', signatureId).where('last_signature_id', '>=', signatureId)
    .where(sql<boolean>`${signatureId}::bigint = ANY(signature_ids)`).executeTakeFirst();
  return row ? Number(row.seq) : null;
}

export async function addToTally(trx: Trx, petitionId: number, delta: number) {
  await trx.updateTable('petition_tallies')
    .set((eb) => ({ sealed_valid: eb('sealed_valid', '+', delta), updated_at: new Date() }))
    .where('petition_id', '=', petitionId).execute();
}

/**
 * A page of valid signatories, newest first, with what the public list may show. The page is found on the
 * signatures' own index first and only its rows are joined to users: a deep page skips index entries,
 * not a million joined rows.
 */
export async function listSignatories(db: Trx, petitionId: number, limit: number, offset: number) {
  return db.selectFrom((eb) => eb.selectFrom('petition_signatures').select(['id', 'signed_at', 'user_id'])
    .where('petition_id', '=', petitionId).where('invalidation_id', 'is', null)
    .orderBy('signed_at', 'desc').orderBy('id', 'desc').limit(limit).offset(offset).as('s'))
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.id', 's.signed_at', 'u.full_name', 'u.deleted_at'])
    .orderBy('s.signed_at', 'desc').orderBy('s.id', 'desc').execute();
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

/** Narrows a query of one petition's valid signatures to those matching an anti-fraud filter. */
export function matchingFilter<Q extends SelectQueryBuilder<DB, 'petition_signatures', object>>(q: Q, f: SignatureFilter): Q {
  let out = q.where('invalidation_id', 'is', null);
  if (f.ipPrefix) out = out.where('ip_prefix', '=', f.ipPrefix);
  if (f.emailDomain) out = out.where('email_domain', '=', f.emailDomain);
  if (f.since) out = out.where('signed_at', '>=', f.since);
  if (f.until) out = out.where('signed_at', '<', f.until);
  return out as Q;
}

/**
 * Valid, sealed signatures of a petition matching the filter, locked for invalidation. A signature that
 * arrived after the caller sealed the queue is left alone: it is not in the ledger yet, so its
 * invalidation could not be recorded there.
 */
export async function lockMatching(trx: Trx, petitionId: number, f: SignatureFilter) {
  return matchingFilter(trx.selectFrom('petition_signatures').select(['id', 'user_id']).where('petition_id', '=', petitionId), f)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('petition_unsealed as u').select('u.signature_id').whereRef('u.signature_id', '=', 'petition_signatures.id'))))
    .orderBy('id').forUpdate().execute();
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
  return db.selectFrom('petition_invalidations').select(['id', 'reason', 'count', 'created_at', 'filter', 'filter_salt'])
    .where('petition_id', '=', petitionId).orderBy('id', 'desc').execute();
}
