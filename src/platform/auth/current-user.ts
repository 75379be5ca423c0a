import type { MunicipalRole, PlatformRole } from '../../db/schema.ts';

/** The signed-in person as every route and view sees them. */
export interface CurrentUser {
  id: number;
  email: string | null;
  fullName: string;
  locale: string;
  platformRole: PlatformRole | null;
  emailVerified: boolean;
  identityVerified: boolean;
  residenceMunicipalityId: number | null;
  /** Roles by municipality id. */
  roles: Record<number, MunicipalRole[]>;
  /** Municipalities where an official or a census list confirmed residence. */
  residentOf: number[];
  sessionId: string;
}

export const VERIFICATION_LEVELS = ['unverified', 'email', 'identity', 'resident'] as const;
export type VerificationLevel = (typeof VERIFICATION_LEVELS)[number];

/** Where a level is reached: the municipality, and the ways it offers (an identity's residence counts only where `identity` is one). */
export type LevelPlace = { id: number; resident_ways?: readonly string[] | null };

/** The highest verification level the user reaches in a municipality. */
export function verificationLevel(user: CurrentUser | null, m: LevelPlace): VerificationLevel | null {
  if (!user) return null;
  if (user.residentOf.includes(m.id)) return 'resident';
  const identityCounts = !Array.isArray(m.resident_ways) || m.resident_ways.includes('identity');
  if (user.identityVerified && user.residenceMunicipalityId === m.id && identityCounts) return 'resident';
  if (user.identityVerified) return 'identity';
  if (user.emailVerified) return 'email';
  return 'unverified';
}

/** Whether the user reaches at least `required` in the municipality. */
export function meetsLevel(user: CurrentUser | null, m: LevelPlace, required: VerificationLevel): boolean {
  const level = verificationLevel(user, m);
  if (!level) return false;
  return VERIFICATION_LEVELS.indexOf(level) >= VERIFICATION_LEVELS.indexOf(required);
}
