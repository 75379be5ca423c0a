import type { Database } from '../../../db/database.ts';
import type { Deps } from '../../http/deps.ts';
import { findMunicipalityByCode } from '../../tenancy/municipality.repo.ts';
import type { IdentifierKind } from '../identifiers.ts';
import { findLinkableUser, findUserByEmailForLink, findUserByIdentity, findUserByNationalId, insertIdentityUser, recordIdentity, type LinkableUser } from './link.repo.ts';

/** What an identity provider vouched for about the person who just signed in there. */
export interface VerifiedIdentity {
  provider: string;
  subject: string;
  email: string | null;
  emailVerified: boolean;
  fullName: string;
  /** The official code (KATOTTH, matični broj opštine, TERYT) of the residence, matched to `municipalities.official_code`. */
  residenceCode: string | null;
  /** A national id (tax number, PESEL, JMBG): hashed at once with IDENTIFIER_KEY, never stored or shown. */
  nationalId?: { kind: IdentifierKind; value: string } | null;
  /** The birth date the provider vouched for (`YYYY-MM-DD`, a full date only: see `claimBirthDate`). */
  birthDate?: string | null;
}

export type IdentityOutcome =
  /** `via` says how the account was found: by the identity itself, the signed-in user, a verified e-mail, or newly created. */
  | { kind: 'signed_in'; userId: number; via: 'identity' | 'current_user' | 'email' | 'created' }
  /** The account is already verified with a different identity (or the identity belongs to another account). */
  | { kind: 'identity_conflict' };

/** Text from a claim or attribute: numbers as digits, spaces collapsed; null when empty or not text. */
export function claimText(value: unknown): string | null {
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return null;
  const s = value.replace(/\s+/g, ' ').trim();
  return s || null;
}

/** A claimed e-mail address, lower-cased, or null when it does not look like one. */
export function claimEmail(value: unknown): string | null {
  const raw = claimText(value)?.toLowerCase() ?? null;
  return raw && raw.length <= 254 && /^[^@\s]+@[^@\s]+$/.test(raw) ? raw : null;
}

const isUniqueViolation = (error: unknown) => (error as { code?: string } | null)?.code === '23505';

/**
 * Finds or creates the account for a verified identity and records the verification: the account holding
 * the identity (by provider and subject, or by national id: Diia and BankID name the same person), else the
 * signed-in account, else the account whose verified address the provider also verified, else a new account
 * without a password. One identity per account, one account per identity.
 */
export async function signInWithIdentity(deps: Deps, identity: VerifiedIdentity, currentUserId: number | null, locale: string): Promise<IdentityOutcome> {
  const municipality = identity.residenceCode ? await findMunicipalityByCode(deps.db, identity.residenceCode) : undefined;
  const nationalIdHash = identity.nationalId ? deps.identifiers.hash(identity.nationalId.kind, identity.nationalId.value) : null;
  const facts = { identity, residenceId: municipality?.id ?? null, nationalIdHash, currentUserId, locale };
  try {
    return await deps.db.transaction().execute((trx) => link(trx, facts));
  } catch (error) {
    // Two callbacks for the same new person raced; the second finds what the first created.
    if (!isUniqueViolation(error)) throw error;
    return deps.db.transaction().execute((trx) => link(trx, facts));
  }
}

interface Facts { identity: VerifiedIdentity; residenceId: number | null; nationalIdHash: string | null; currentUserId: number | null; locale: string }

async function link(db: Database, f: Facts): Promise<IdentityOutcome> {
  const { identity } = f;
  const record = async (user: LinkableUser, via: 'identity' | 'current_user' | 'email') => {
    const sameEmail = identity.email !== null && user.email === identity.email;
    // An account without an address takes the provider's, when no other account uses it.
    const addEmail = !user.email && identity.email && !(await findUserByEmailForLink(db, identity.email)) ? identity.email : undefined;
    await recordIdentity(db, user.id, {
      provider: identity.provider,
      subject: identity.subject,
      residenceMunicipalityId: f.residenceId,
      nationalIdHash: f.nationalIdHash,
      ...(addEmail ? { email: addEmail } : {}),
      emailVerified: identity.emailVerified && (sameEmail || !!addEmail) && !user.email_verified_at,
      ...(!user.full_name.trim() && identity.fullName ? { fullName: identity.fullName } : {}),
      birthDate: identity.birthDate ?? null,
    });
    return { kind: 'signed_in' as const, userId: user.id, via };
  };
  // Another person's identity: a different national id, or (where neither side has one) a different subject.
  const holdsOther = (user: LinkableUser) => {
    if (user.national_id_hash && f.nationalIdHash) return user.national_id_hash !== f.nationalIdHash;
    return user.identity_provider !== null && (user.identity_provider !== identity.provider || user.identity_subject !== identity.subject);
  };

  const known = await findUserByIdentity(db, identity.provider, identity.subject)
    ?? (f.nationalIdHash ? await findUserByNationalId(db, f.nationalIdHash) : undefined);
  if (known) {
    if (known.deleted_at) throw new Error('identity is held by a deleted account');
    // The identity is someone's already: a signed-in user with another account cannot take it over.
    if (f.currentUserId !== null && f.currentUserId !== known.id) return { kind: 'identity_conflict' };
    return record(known, 'identity');
  }

  const current = f.currentUserId !== null ? await findLinkableUser(db, f.currentUserId) : undefined;
  if (current && !current.deleted_at) {
    return holdsOther(current) ? { kind: 'identity_conflict' } : record(current, 'current_user');
  }

  const byEmail = identity.email ? await findUserByEmailForLink(db, identity.email) : undefined;
  // Only an address both sides verified links accounts: an unverified registration could be someone
  // squatting on the address, waiting for its owner to attach a verified identity.
  if (byEmail && identity.emailVerified && byEmail.email_verified_at && !byEmail.deleted_at) {
    return holdsOther(byEmail) ? { kind: 'identity_conflict' } : record(byEmail, 'email');
  }

  const userId = await insertIdentityUser(db, {
    email: byEmail ? null : identity.email,
    emailVerified: identity.emailVerified,
    fullName: identity.fullName || identity.email || '',
    locale: f.locale,
    provider: identity.provider,
    subject: identity.subject,
    residenceMunicipalityId: f.residenceId,
    nationalIdHash: f.nationalIdHash,
    birthDate: identity.birthDate ?? null,
  });
  return { kind: 'signed_in', userId, via: 'created' };
}
