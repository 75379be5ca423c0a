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

/** The highest verification level the user reaches in a municipality. */
export function verificationLevel(user: CurrentUser | null, municipalityId: number): VerificationLevel | null {
  if (!user) return null;
  if (user.residentOf.includes(municipalityId)) return 'resident';
  if (user.identityVerified && user.residenceMunicipalityId === municipalityId) return 'resident';
  if (user.identityVerified) return 'identity';
  if (user.emailVerified) return 'email';
  return 'unverified';
}

/** Whether the user reaches at least `required` in the municipality. */
export function meetsLevel(user: CurrentUser | null, municipalityId: number, required: VerificationLevel): boolean {
  const level = verificationLevel(user, municipalityId);
  if (!level) return false;
  return VERIFICATION_LEVELS.indexOf(level) >= VERIFICATION_LEVELS.indexOf(required);
}
