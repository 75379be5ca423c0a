import type { OidcProviderConfig } from '../../config.ts';
import type { Database } from '../../db/database.ts';
import type { Deps } from '../http/deps.ts';
import { findMunicipalityByCode } from '../tenancy/municipality.repo.ts';
import { findLinkableUser, findUserByEmailForLink, findUserByIdentity, insertIdentityUser, recordIdentity } from './oidc.repo.ts';

/** What an identity provider vouched for about the person who just signed in there. */
export interface VerifiedIdentity {
  provider: string;
  subject: string;
  email: string | null;
  emailVerified: boolean;
  fullName: string;
  residenceCode: string | null;
}

export type IdentityOutcome =
  /** `via` says how the account was found: by the identity itself, the signed-in user, a verified e-mail, or newly created. */
  | { kind: 'signed_in'; userId: number; via: 'identity' | 'current_user' | 'email' | 'created' }
  /** The account is already verified with a different identity; one account holds one identity. */
  | { kind: 'identity_conflict' };

function text(value: unknown): string | null {
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return null;
  const s = value.replace(/\s+/g, ' ').trim();
  return s || null;
}

/** Reads the claims of an ID token and UserInfo response; null without a subject. */
export function identityFromClaims(provider: OidcProviderConfig, claims: Record<string, unknown>): VerifiedIdentity | null {
  const subject = text(claims.sub);
  if (!subject) return null;
  const rawEmail = text(claims.email)?.toLowerCase() ?? null;
  const email = rawEmail && rawEmail.length <= 254 && /^[^@\s]+@[^@\s]+$/.test(rawEmail) ? rawEmail : null;
  const given = [text(claims.given_name), text(claims.family_name)].filter(Boolean).join(' ');
  const fullName = (text(claims.name) ?? given).slice(0, 200);
  return {
    provider: provider.id,
    subject,
    email,
    // Some providers send the boolean as a string.
    emailVerified: email !== null && (claims.email_verified === true || claims.email_verified === 'true'),
    fullName,
    residenceCode: text(claims[provider.residenceClaim]),
  };
}

const isUniqueViolation = (error: unknown) => (error as { code?: string } | null)?.code === '23505';

/**
 * Finds or creates the account for a verified identity and records the verification:
 * the account holding the identity, else the signed-in account, else the account whose
 * verified address the provider also verified, else a new account without a password.
 */
export async function signInWithIdentity(deps: Deps, identity: VerifiedIdentity, currentUserId: number | null, locale: string): Promise<IdentityOutcome> {
  const municipality = identity.residenceCode ? await findMunicipalityByCode(deps.db, identity.residenceCode) : undefined;
  const residenceId = municipality?.id ?? null;
  try {
    return await deps.db.transaction().execute((trx) => link(trx, identity, residenceId, currentUserId, locale));
  } catch (error) {
    // Two callbacks for the same new person raced; the second finds what the first created.
    if (!isUniqueViolation(error)) throw error;
    return deps.db.transaction().execute((trx) => link(trx, identity, residenceId, currentUserId, locale));
  }
}

type LinkableUser = NonNullable<Awaited<ReturnType<typeof findLinkableUser>>>;

async function link(db: Database, identity: VerifiedIdentity, residenceId: number | null, currentUserId: number | null, locale: string): Promise<IdentityOutcome> {
  const record = async (user: LinkableUser, via: 'identity' | 'current_user' | 'email') => {
    const sameEmail = identity.email !== null && user.email === identity.email;
    // An account without an address takes the provider's, when no other account uses it.
    const addEmail = !user.email && identity.email && !(await findUserByEmailForLink(db, identity.email)) ? identity.email : undefined;
    await recordIdentity(db, user.id, {
      provider: identity.provider,
      subject: identity.subject,
      residenceMunicipalityId: residenceId,
      ...(addEmail ? { email: addEmail } : {}),
      emailVerified: identity.emailVerified && (sameEmail || !!addEmail) && !user.email_verified_at,
      ...(!user.full_name.trim() && identity.fullName ? { fullName: identity.fullName } : {}),
    });
    return { kind: 'signed_in' as const, userId: user.id, via };
  };
  const holdsOther = (user: LinkableUser) =>
    user.identity_provider !== null && (user.identity_provider !== identity.provider || user.identity_subject !== identity.subject);

  const known = await findUserByIdentity(db, identity.provider, identity.subject);
  if (known) {
    if (known.deleted_at) throw new Error('identity is held by a deleted account');
    return record(known, 'identity');
  }

  const current = currentUserId !== null ? await findLinkableUser(db, currentUserId) : undefined;
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
    locale,
    provider: identity.provider,
    subject: identity.subject,
    residenceMunicipalityId: residenceId,
  });
  return { kind: 'signed_in', userId, via: 'created' };
}
