import type { Municipality } from '../../db/schema.ts';
import type { Database } from '../../db/database.ts';
import { findUserByEmail } from '../auth/auth.repo.ts';
import { audit } from '../audit/audit.ts';
import type { Deps } from '../http/deps.ts';
import { forgetMunicipality } from '../http/request-context.ts';
import { createOnce, type OnceKey } from '../idempotency/once.ts';
import { notify } from '../notify/notify.service.ts';
import { documentHolder, insertConfirmation, isConfirmedResident, setResidentWays } from './residence.repo.ts';
import type { DocumentType, ResidentWay } from './residence.tables.ts';
import { offersWay } from './residence.ways.ts';
import { checkedDistrict } from './residence.districts.tsx';

export interface Actor { id: number; ip?: string | null }

/** The municipality's administrator chooses which ways to become a confirmed resident it offers. */
export async function saveResidentWays(deps: Deps, actor: Actor, m: Municipality, ways: ResidentWay[]): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    await setResidentWays(trx, m.id, ways);
    forgetMunicipality(m.slug);
    await audit(trx, { municipalityId: m.id, actorId: actor.id, action: 'residence.ways', subjectType: 'municipality', subjectId: m.id,
      before: { ways: m.resident_ways }, after: { ways }, ip: actor.ip ?? null });
  });
}

/** Records an attempt to use a way the municipality does not offer (nothing else is written). */
export async function auditWayRefused(db: Database, actor: Actor | null, m: Municipality, way: ResidentWay): Promise<void> {
  await audit(db, { municipalityId: m.id, actorId: actor?.id ?? null, action: 'residence.way_refused', subjectType: 'municipality', subjectId: m.id,
    after: { way }, ip: actor?.ip ?? null });
}

export type ConfirmOutcome =
  | { kind: 'confirmed'; userId: number }
  | { kind: 'not_offered' }
  | { kind: 'no_user' }
  | { kind: 'no_number' }
  | { kind: 'already' }
  | { kind: 'document_used' }
  | { kind: 'foreign_district' };

/**
 * A registrar confirms in person, having seen a document: its type and a keyed hash of its number are kept
 * (never the number), with the date and the registrar. One document confirms one account per municipality;
 * a document already used for another account is refused and the attempt audited. The district of the
 * address, where the registrar records one, must be the municipality's. The resident is told.
 */
export async function confirmInPerson(deps: Deps, actor: Actor, m: Municipality,
  v: { email: string; documentType: DocumentType; documentNumber: string; districtId?: number | undefined }, once: OnceKey | null = null): Promise<ConfirmOutcome> {
  if (!offersWay(m, 'in_person')) {
    await auditWayRefused(deps.db, actor, m, 'in_person');
    return { kind: 'not_offered' };
  }
  const districtId = await checkedDistrict(deps.db, m.id, v.districtId);
  if (districtId === 'foreign') return { kind: 'foreign_district' };
  const hash = deps.identifiers.hash('document', v.documentNumber);
  if (!hash) return { kind: 'no_number' };
  const user = await findUserByEmail(deps.db, v.email);
  if (!user || user.deleted_at) return { kind: 'no_user' };
  // Decided after the claim, so a resent form is answered "confirmed" rather than "already confirmed".
  const r = await createOnce(deps.db, once, 'residence.confirm', async (trx): Promise<ConfirmOutcome> => {
    if (await isConfirmedResident(trx, m.id, user.id)) return { kind: 'already' };
    const holder = await documentHolder(trx, m.id, hash);
    if (holder !== undefined) return { kind: 'document_used' };
    const inserted = await insertConfirmation(trx, { municipalityId: m.id, userId: user.id, method: 'in_person', by: actor.id, documentType: v.documentType, documentHash: hash, districtId });
    // A concurrent confirmation of the same person or document took the row first.
    if (!inserted) return (await isConfirmedResident(trx, m.id, user.id)) ? { kind: 'already' } : { kind: 'document_used' };
    await audit(trx, { municipalityId: m.id, actorId: actor.id, action: 'residence.confirm', subjectType: 'user', subjectId: user.id,
      after: { method: 'in_person', documentType: v.documentType, districtId }, ip: actor.ip ?? null });
    await notify(trx, { userId: user.id, municipalityId: m.id, kind: 'residence.confirmed', params: {}, link: `/${m.slug}/` });
    return { kind: 'confirmed', userId: user.id };
  }, (x) => x.kind === 'confirmed');
  if (r.kind === 'document_used') {
    await audit(deps.db, { municipalityId: m.id, actorId: actor.id, action: 'residence.document_used', subjectType: 'user', subjectId: user.id,
      after: { documentType: v.documentType }, ip: actor.ip ?? null });
  }
  return r;
}
