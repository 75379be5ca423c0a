import type { Database } from '../../db/database.ts';
import type { Municipality } from '../../db/schema.ts';
import { audit } from '../../platform/audit/audit.ts';
import { meetsLevel, type CurrentUser } from '../../platform/auth/current-user.ts';
import type { Deps } from '../../platform/http/deps.ts';
import crypto from 'node:crypto';
import { appendToLedger, canonicalJson, ledgerTime, pseudonym, pseudonymSecret } from '../../platform/ledger/ledger.ts';
import { buildReceipt } from '../../platform/ledger/receipt.ts';
import { breatheEvery } from '../../platform/time/breathe.ts';
import { lockChain } from '../../platform/ledger/ledger.repo.ts';
import { notify, registerNotificationKinds } from '../../platform/notify/notify.service.ts';
import { findMunicipalityById } from '../../platform/tenancy/municipality.repo.ts';
import { insertEvent, transition, type PetitionRow } from './petition.repo.ts';
import { supportersReached, thresholdReached, type Actor } from './petition.service.ts';
import { collecting } from './petition.status.ts';
import { petitionSettings } from './petition.settings.ts';
import {
  addToTally, countSignatures, findSignature, insertSignature, isDomainBlocked, lockMatching, markInvalidated,
  petitionsWithUnsealed, recordSealed, sealedSeq, takeUnsealed, type SignatureFilter,
} from './signature.repo.ts';

registerNotificationKinds('petitions.expired');

/** Signatures sealed into the ledger per transaction. */
const SEAL_BATCH = 5000;

/** The ledger chain of a petition: its number is public and stable, its id is not shown anywhere. */
export const chainName = (number: number) => `petition:${number}`;

/** The network a request came from, coarse enough to say nothing about one household: IPv4 /24, IPv6 /48. */
export function ipPrefix(ip: string | null | undefined): string | null {
  if (!ip) return null;
  const v4 = /^(?:::ffff:)?(\d+)\.(\d+)\.(\d+)\.\d+$/i.exec(ip);
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.0/24`;
  if (ip.includes(':')) {
    const [head = ''] = ip.split('::');
    const groups = head.split(':').filter(Boolean);
    return `${[...groups, '0', '0', '0'].slice(0, 3).join(':')}::/48`.toLowerCase();
  }
  return null;
}

export const emailDomain = (email: string | null) => (email?.includes('@') ? email.split('@').pop()!.toLowerCase() : null);

export type SignOutcome =
  | { kind: 'signed' | 'already'; id: number }
  | { kind: 'closed' }
  | { kind: 'level'; required: string }
  | { kind: 'blocked' };

/**
 * Signs a petition for the signed-in user. Apart from reads, the write is one INSERT; repeating the request
 * returns the same signature ('already'). Counting and the ledger happen in the sealing job.
 */
export async function signPetition(deps: Deps, user: CurrentUser, m: Municipality, p: PetitionRow, ip: string | null): Promise<SignOutcome> {
  if (!collecting(p)) return { kind: 'closed' };
  const required = petitionSettings(m).signLevel;
  if (!meetsLevel(user, m, required)) return { kind: 'level', required };
  const domain = emailDomain(user.email);
  const row = await insertSignature(deps.db, { municipality_id: m.id, petition_id: p.id, user_id: user.id, ip_prefix: ipPrefix(ip), email_domain: domain });
  if (!row) {
    // Not written: signed before, or the e-mail domain is blocked (the INSERT checks both).
    const existing = await findSignature(deps.db, p, user.id);
    if (existing) return { kind: 'already', id: Number(existing.id) };
    return (await isDomainBlocked(deps.db, m.id, domain)) ? { kind: 'blocked' } : { kind: 'closed' };
  }
  if (p.status === 'supporters') await supportersReached(deps.db, m, p);
  return { kind: 'signed', id: Number(row.id) };
}

const ledgerSecret = pseudonymSecret;

/** The signer's pseudonym in a petition's chain (see docs/LEDGER.md). */
export async function signerPseudonym(db: Database, number: number, userId: number): Promise<string> {
  return pseudonym(await ledgerSecret(db), chainName(number), userId);
}


/** Seals one batch of a petition's queued signatures inside `trx`, which must hold the chain lock. */
async function sealBatch(trx: Database, secret: string, p: { id: number; municipality_id: number; number: number }): Promise<number> {
  const chain = chainName(p.number);
  const key = { municipalityId: p.municipality_id, petitionId: p.id };
  const rows = await takeUnsealed(trx, key, SEAL_BATCH);
  if (rows.length === 0) return 0;
  const entries = [];
  for (const [i, r] of rows.entries()) {
    await breatheEvery(i);
    entries.push({ kind: 'signature', payload: { signer: pseudonym(secret, chain, r.user_id), at: r.at } });
  }
  const published = await appendToLedger(trx, { municipalityId: p.municipality_id, chain, entries });
  await recordSealed(trx, key, rows.map((r) => r.signature_id), published.map((e) => e.seq));
  return rows.length;
}

async function lockedPetition(trx: Database, petitionId: number) {
  const p = await trx.selectFrom('petitions').select(['id', 'municipality_id', 'number', 'title', 'status', 'threshold', 'author_id'])
    .where('id', '=', petitionId).executeTakeFirstOrThrow();
  await lockChain(trx, p.municipality_id, chainName(p.number));
  return p;
}

/** Seals every pending signature of a petition into its chain, then moves it on if the threshold is reached. */
export async function sealPetition(db: Database, petitionId: number): Promise<number> {
  const secret = await ledgerSecret(db);
  let total = 0;
  for (;;) {
    const { n, p } = await db.transaction().execute(async (trx) => {
      const p = await lockedPetition(trx, petitionId);
      return { n: await sealBatch(trx, secret, p), p };
    });
    total += n;
    if (n < SEAL_BATCH) {
      if (p.status === 'open' && p.threshold && (await countSignatures(db, p.id)) >= p.threshold) {
        const m = await findMunicipalityById(db, p.municipality_id);
        if (m) await thresholdReached(db, m, p);
      }
      return total;
    }
  }
}

/** Periodic task: seals what was signed since the last run, petition by petition. */
export async function sealPending(deps: Deps): Promise<number> {
  let total = 0;
  for (const id of await petitionsWithUnsealed(deps.db, 100)) total += await sealPetition(deps.db, id);
  return total;
}

/** Periodic task: open petitions whose period ended without reaching the threshold are closed, and their authors told. */
export async function closeExpired(deps: Deps): Promise<number> {
  const due = await deps.db.selectFrom('petitions').select(['id', 'municipality_id', 'number', 'title', 'author_id', 'threshold'])
    .where('status', '=', 'open').where('closes_at', '<=', new Date()).limit(100).execute();
  for (const p of due) {
    await sealPetition(deps.db, p.id);
    const count = await countSignatures(deps.db, p.id);
    const m = await findMunicipalityById(deps.db, p.municipality_id);
    if (!m || (p.threshold && count >= p.threshold)) continue; // sealing moved it to awaiting response
    await deps.db.transaction().execute(async (trx) => {
      if (!(await transition(trx, p.id, ['open'], { status: 'closed', closed_at: new Date() }))) return;
      await insertEvent(trx, { municipality_id: m.id, petition_id: p.id, kind: 'expired', actor_id: null });
      if (p.author_id) await notify(trx, { userId: p.author_id, municipalityId: m.id, kind: 'petitions.expired', params: { title: p.title, count, threshold: p.threshold ?? 0 }, link: `/${m.slug}/petitions/${p.number}` });
    });
  }
  return due.length;
}

/**
 * Invalidates the valid signatures of a petition that match a filter, with a public reason. They stay
 * recorded, leave the count, and each gets an `invalidation` entry in the ledger; the act is audited.
 */
export async function invalidateSignatures(deps: Deps, actor: Actor, m: Municipality, p: PetitionRow, filter: SignatureFilter, reason: string) {
  if (!filter.ipPrefix && !filter.emailDomain && !filter.since && !filter.until) return { kind: 'empty_filter' as const };
  const secret = await ledgerSecret(deps.db);
  return deps.db.transaction().execute(async (trx) => {
    const locked = await lockedPetition(trx, p.id);
    while ((await sealBatch(trx, secret, locked)) === SEAL_BATCH);
    const rows = await lockMatching(trx, p.id, filter);
    if (rows.length === 0) return { kind: 'none' as const };
    const stored = { ipPrefix: filter.ipPrefix ?? null, emailDomain: filter.emailDomain ?? null, since: filter.since?.toISOString() ?? null, until: filter.until?.toISOString() ?? null };
    const salt = crypto.randomBytes(32).toString('hex');
    const at = new Date();
    const inv = await trx.insertInto('petition_invalidations').values({
      municipality_id: m.id, petition_id: p.id, actor_id: actor.id, reason, filter: JSON.stringify(stored), filter_salt: salt, count: rows.length, created_at: at,
    } as never).returning('id').executeTakeFirstOrThrow();
    await markInvalidated(trx, rows.map((r) => Number(r.id)), inv.id);
    const chain = chainName(p.number);
    // Each entry binds the invalidation's id, date, public reason and a commitment to its filter (docs/LEDGER.md).
    const bound = { invalidation: inv.id, reason, at: ledgerTime(at), filter: filterCommitment(stored, salt) };
    await appendToLedger(trx, { municipalityId: m.id, chain, entries: rows.map((r) => ({ kind: 'invalidation', payload: { signer: pseudonym(secret, chain, r.user_id), ...bound } })) });
    await addToTally(trx, p.id, -rows.length);
    await insertEvent(trx, { municipality_id: m.id, petition_id: p.id, kind: 'invalidated', actor_id: actor.id, note: reason });
    await audit(trx, { municipalityId: m.id, actorId: actor.id, action: 'petitions.invalidate', subjectType: 'petition', subjectId: p.number, after: { ...stored, reason, count: rows.length }, ip: actor.ip });
    return { kind: 'invalidated' as const, count: rows.length };
  });
}

/**
 * The commitment to an invalidation's filter that its entries carry: SHA-256 (hex) of the canonical JSON of
 * {filter, salt}. The filter names residents' networks and e-mail domains, so it is not published; with the
 * salt the municipality can show an auditor which filter was used, and cannot claim another.
 */
export const filterCommitment = (filter: Record<string, unknown>, salt: string) =>
  crypto.createHash('sha256').update(canonicalJson({ filter, salt }), 'utf8').digest('hex');

/**
 * What a signer can check later: their pseudonym, the signed promise to seal their signature into the chain
 * within `promiseSeconds` of signing, and once sealed their entry's place, hash and inclusion proof. The
 * promise is made from the signature itself (Ed25519 signatures are deterministic), the same on every view.
 */
export async function signatureReceipt(db: Database, p: PetitionRow, userId: number, promiseSeconds: number) {
  const sig = await findSignature(db, p, userId);
  if (!sig) return null;
  const chain = chainName(p.number);
  const seq = await sealedSeq(db, { municipalityId: p.municipality_id, petitionId: p.id }, Number(sig.id));
  const signer = await signerPseudonym(db, p.number, userId);
  const deadline = new Date(new Date(sig.signed_at).getTime() + promiseSeconds * 1000);
  const receipt = await buildReceipt(db, p.municipality_id, chain, { kind: 'signature', payload: { signer, at: ledgerTime(sig.signed_at) }, deadline }, seq);
  return {
    chain, signedAt: sig.signed_at, invalidated: sig.invalidation_id !== null, signer, deadline, receipt,
    entry: receipt.entry && receipt.inclusion ? { seq: receipt.entry.seq, hash: receipt.entry.hash, size: receipt.inclusion.size } : null,
  };
}

export { countSignatures };
export { tallyFromEntries } from './ledger-check.ts';
