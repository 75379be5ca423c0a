import { SamlStatusError, type Profile } from '@node-saml/node-saml';
import { claimBirthDate } from '../age.ts';
import type { Identifiers } from '../identifiers.ts';
import type { SignInFailure } from './finish.ts';
import { claimEmail, claimText, type VerifiedIdentity } from './link.ts';
import { EIDAS_LOA, type SamlProvider } from './saml.settings.ts';

type Node = { $?: Record<string, string>; _?: string } & Record<string, unknown>;
const first = (node: unknown, key: string): Node | undefined => ((node as Record<string, Node[] | undefined> | undefined)?.[key])?.[0];

/** What the signed assertion says about itself: its ID, when it expires, the issuer and the level of assurance. */
export interface AssertionFacts {
  id: string | null;
  notOnOrAfter: Date | null;
  issuer: string | null;
  authnContext: string | null;
}

/** Reads the facts of the (verified) assertion node-saml hands back. */
export function assertionFacts(profile: Profile): AssertionFacts {
  const assertion = (profile.getAssertion?.() as { Assertion?: Node } | undefined)?.Assertion;
  const conditions = first(assertion, 'Conditions');
  const confirmation = first(first(first(assertion, 'Subject'), 'SubjectConfirmation'), 'SubjectConfirmationData');
  const expiry = conditions?.$?.NotOnOrAfter ?? confirmation?.$?.NotOnOrAfter;
  const notOnOrAfter = expiry ? new Date(expiry) : null;
  const classRef = first(first(first(assertion, 'AuthnStatement'), 'AuthnContext'), 'AuthnContextClassRef');
  return {
    id: assertion?.$?.ID ?? null,
    notOnOrAfter: notOnOrAfter && !Number.isNaN(notOnOrAfter.getTime()) ? notOnOrAfter : null,
    issuer: typeof profile.issuer === 'string' ? profile.issuer : null,
    authnContext: classRef?._?.trim() ?? null,
  };
}

/** Whether the level of assurance the provider reached is what was asked for (eIDAS levels are ordered). */
export function meetsAuthnContext(p: SamlProvider, reached: string | null): boolean {
  if (!p.authnContext.length) return true;
  if (!reached) return false;
  if (p.comparison !== 'better' && p.authnContext.includes(reached)) return true;
  const rank = EIDAS_LOA.indexOf(reached);
  const asked = p.authnContext.map((c) => EIDAS_LOA.indexOf(c)).filter((i) => i >= 0);
  if (rank < 0 || !asked.length) return false;
  if (p.comparison === 'minimum') return rank >= Math.min(...asked);
  if (p.comparison === 'better') return rank > Math.max(...asked);
  return p.comparison === 'maximum' && rank <= Math.max(...asked);
}

const attribute = (profile: Profile, name: string | undefined): string | null => {
  if (!name) return null;
  if (name === 'NameID') return claimText(profile.nameID);
  const value = (profile.attributes as Record<string, unknown> | undefined)?.[name];
  return claimText(Array.isArray(value) ? value[0] : value);
};

/** An eIDAS PersonIdentifier is "<issuing country>/<destination country>/<identifier>": the national id is the last part. */
const nationalPart = (value: string) => value.replace(/^[A-Z]{2}\/[A-Z]{2}\//, '');

/**
 * The person named by a verified assertion, by the provider's attribute mapping; null without a subject. The
 * national id is passed on to be hashed; where it is also the subject (eIDAS PersonIdentifier), the subject
 * is its keyed hash, so the number is never stored.
 */
export function identityFromProfile(p: SamlProvider, profile: Profile, identifiers: Identifiers): VerifiedIdentity | null {
  const rawNationalId = attribute(profile, p.attributes.nationalId);
  const nationalId = rawNationalId && p.nationalIdKind ? { kind: p.nationalIdKind, value: nationalPart(rawNationalId) } : null;
  const rawSubject = attribute(profile, p.subject);
  const subject = rawSubject && p.subject === p.attributes.nationalId
    ? (nationalId ? identifiers.hash(nationalId.kind, nationalId.value) : null)
    : rawSubject;
  if (!subject) return null;
  const email = claimEmail(attribute(profile, p.attributes.email));
  const fullName = attribute(profile, p.attributes.fullName)
    ?? [attribute(profile, p.attributes.givenName), attribute(profile, p.attributes.familyName)].filter(Boolean).join(' ');
  return {
    provider: p.config.id,
    subject: subject.slice(0, 500),
    email,
    // A national node vouches for the person, not for an address they typed.
    emailVerified: false,
    fullName: fullName.slice(0, 200),
    residenceCode: attribute(profile, p.attributes.residenceCode),
    nationalId,
    // eIDAS DateOfBirth is an xs:date: YYYY-MM-DD, perhaps with a time zone.
    birthDate: claimBirthDate(attribute(profile, p.attributes.birthDate)),
  };
}

/** A refusal by the provider itself (the person cancelled or could not sign in there). */
const CANCELLED_STATUS = /(Responder|AuthnFailed|RequestDenied)/;
/** What node-saml finds wrong with an answer that cannot be trusted. */
const UNTRUSTED = /signature|InResponseTo|expired|not yet valid|too old|audience|AudienceRestriction|issuer|subject confirmation|multiple assertions|Missing SAML assertion/i;

/** Maps what went wrong with an answer to the refusal residents see (and the audit records). */
export function failureOf(err: unknown): SignInFailure {
  if (err instanceof SamlStatusError) return CANCELLED_STATUS.test(err.xmlStatus) || CANCELLED_STATUS.test(err.message) ? 'cancelled' : 'failed';
  return err instanceof Error && UNTRUSTED.test(err.message) ? 'invalid' : 'failed';
}
