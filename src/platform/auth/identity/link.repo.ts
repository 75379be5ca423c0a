import type { Database } from '../../../db/database.ts';

const LINK_COLUMNS = ['id', 'email', 'email_verified_at', 'full_name', 'identity_provider', 'identity_subject', 'national_id_hash', 'deleted_at'] as const;

export type LinkableUser = NonNullable<Awaited<ReturnType<typeof findLinkableUser>>>;

/** The account holding an identity provider's subject, if any. */
export async function findUserByIdentity(db: Database, provider: string, subject: string) {
  return db.selectFrom('users').select(LINK_COLUMNS)
    .where('identity_provider', '=', provider).where('identity_subject', '=', subject).executeTakeFirst();
}

/** The account holding a national id's keyed hash, if any. */
export async function findUserByNationalId(db: Database, hash: string) {
  return db.selectFrom('users').select(LINK_COLUMNS).where('national_id_hash', '=', hash).executeTakeFirst();
}

/** An account by id, with what linking an identity needs to know. */
export async function findLinkableUser(db: Database, id: number) {
  return db.selectFrom('users').select(LINK_COLUMNS).where('id', '=', id).executeTakeFirst();
}

/** An account by e-mail address (stored lower-cased). */
export async function findUserByEmailForLink(db: Database, email: string) {
  return db.selectFrom('users').select(LINK_COLUMNS).where('email', '=', email.toLowerCase()).executeTakeFirst();
}

/** Creates an account that signs in only through an identity provider (no password). */
export async function insertIdentityUser(db: Database, u: {
  email: string | null; emailVerified: boolean; fullName: string; locale: string;
  provider: string; subject: string; residenceMunicipalityId: number | null; nationalIdHash: string | null; birthDate: string | null;
}): Promise<number> {
  const now = new Date();
  const row = await db.insertInto('users').values({
    email: u.email?.toLowerCase() ?? null,
    password_hash: null,
    full_name: u.fullName,
    locale: u.locale,
    email_verified_at: u.email && u.emailVerified ? now : null,
    identity_verified_at: now,
    identity_provider: u.provider,
    identity_subject: u.subject,
    residence_municipality_id: u.residenceMunicipalityId,
    national_id_hash: u.nationalIdHash,
    birth_date: u.birthDate,
    birth_date_source: u.birthDate ? 'identity' : null,
    platform_role: null,
    deleted_at: null,
  }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Records a fresh identity verification on an existing account. */
export async function recordIdentity(db: Database, userId: number, v: {
  provider: string; subject: string; residenceMunicipalityId: number | null; nationalIdHash: string | null;
  /** Set when the account gains an address it did not have. */
  email?: string;
  emailVerified: boolean;
  fullName?: string;
  /** The provider's word on the birth date: it replaces a declared one (and an older provider's); none leaves the stored one. */
  birthDate: string | null;
}): Promise<void> {
  const now = new Date();
  await db.updateTable('users').set({
    identity_verified_at: now,
    identity_provider: v.provider,
    identity_subject: v.subject,
    ...(v.residenceMunicipalityId !== null ? { residence_municipality_id: v.residenceMunicipalityId } : {}),
    ...(v.nationalIdHash ? { national_id_hash: v.nationalIdHash } : {}),
    ...(v.email ? { email: v.email.toLowerCase() } : {}),
    ...(v.emailVerified ? { email_verified_at: now } : {}),
    ...(v.fullName ? { full_name: v.fullName } : {}),
    ...(v.birthDate ? { birth_date: v.birthDate, birth_date_source: 'identity' as const } : {}),
  }).where('id', '=', userId).execute();
}
