import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import type { Identifiers } from '../identifiers.ts';
import { normaliseIdentifier } from '../identifiers.ts';
import { claimBirthDate } from '../age.ts';
import { claimEmail, claimText, type VerifiedIdentity } from './link.ts';

/**
 * The person id.gov.ua describes (get-user-info), as IIT's integration samples and the fields of Table 2.2.6
 * of its specification (IDInfoProcessingD.pdf) name them: the attributes of the qualified certificate or of
 * the bank's or Diia's record. Every attribute is text; an answer with anything else, or with text longer
 * than any real name, address or number, is not trusted.
 */
const Attr = (max: number) => Type.Optional(Type.String({ maxLength: max }));
export const UserInfoSchema = Type.Object({
  auth_type: Attr(40),
  givenname: Attr(200),
  middlename: Attr(200),
  lastname: Attr(200),
  subjectcn: Attr(400),
  email: Attr(254),
  phone: Attr(40),
  address: Attr(1000),
  locality: Attr(200),
  state: Attr(200),
  /** The tax number (RNOKPP); for a person who refused one, the series and number of their passport. */
  drfocode: Attr(40),
  /** The number of the person's entry in the state demographic register (УНЗР): YYYYMMDD-NNNNN. */
  unzr: Attr(40),
  /**
   * A birth date, where the agreement with the service provides one: no field list we could find names it,
   * so it is read only when an answer carries it (asked for through the provider's `fields`).
   */
  birthday: Attr(40),
});
export type UserInfo = Static<typeof UserInfoSchema>;

/** The fields asked for when the provider's settings name none (Table 2.2.6 of the specification). */
export const DEFAULT_FIELDS = ['givenname', 'middlename', 'lastname', 'subjectcn', 'email', 'address', 'locality', 'state', 'drfocode', 'unzr'];

// RNOKPP: ten digits; a person who refused one for religious reasons is known by a passport booklet's series
// and number (two Cyrillic letters, six digits) or an ID card's nine digits.
const DRFO = /^(\d{10}|\d{9}|[А-ЯІЇЄҐ]{2}\d{6})$/u;
const UNZR = /^\d{8}-?\d{5}$/;
// A KATOTTH code (the codifier of administrative-territorial units and territories of communities).
const KATOTTH = /\bUA\d{17}\b/;

/** Why an answer was not trusted (for the audit; never the number itself). */
export type PersonProblem = 'not an object' | 'malformed attributes' | 'no name' | 'malformed tax number' | 'malformed UNZR' | 'no national id';

export interface PersonSettings {
  /** The attribute that holds the KATOTTH code of the residence, where the agreement with the service provides one. */
  residenceField?: string;
}

/**
 * Maps a get-user-info answer to a verified identity. The subject is the keyed hash of the national id
 * (tax number, else UNZR), so Diia, BankID and a qualified signature name the same account, and the number
 * is kept nowhere: id.gov.ua's `user_id` names a session of the service, not a person. The name is in the
 * order of Ukrainian documents (surname, given name, patronymic). The e-mail address comes from the
 * certificate or bank record and nobody checked it, so it is unverified. The residence is a KATOTTH code
 * from `residenceField` or written in the address; a place name alone is not matched (many villages share
 * a name, and a community's residents live in many places), so then the residence stays unknown.
 */
export function personFromUserInfo(provider: string, settings: PersonSettings, identifiers: Identifiers, raw: unknown): VerifiedIdentity | PersonProblem {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return 'not an object';
  if (!Value.Check(UserInfoSchema, raw)) return 'malformed attributes';
  const info = raw as UserInfo & Record<string, unknown>;
  const fullName = [info.lastname, info.givenname, info.middlename].map(claimText).filter(Boolean).join(' ') || claimText(info.subjectcn);
  if (!fullName) return 'no name';

  const drfo = info.drfocode ? normaliseIdentifier(info.drfocode) : '';
  const unzr = info.unzr ? info.unzr.trim() : '';
  if (drfo && !DRFO.test(drfo)) return 'malformed tax number';
  if (unzr && !UNZR.test(unzr)) return 'malformed UNZR';
  const nationalId = drfo ? { kind: 'rnokpp' as const, value: drfo } : unzr ? { kind: 'unzr' as const, value: unzr } : null;
  const hash = nationalId ? identifiers.hash(nationalId.kind, nationalId.value) : null;
  if (!nationalId || !hash) return 'no national id';

  return {
    provider,
    subject: `${nationalId.kind}:${hash}`,
    email: claimEmail(info.email),
    emailVerified: false,
    fullName: fullName.slice(0, 200),
    residenceCode: residenceCode(settings, info),
    nationalId,
    birthDate: birthDate(info),
  };
}

/**
 * The birth date: the `birthday` attribute where the answer has one (as `YYYY-MM-DD` or as Ukrainian documents
 * write it, `DD.MM.YYYY`), else the UNZR, whose first eight digits are the date of birth by the register's
 * rules for forming the number (date of birth, a serial number, a check digit).
 */
function birthDate(info: UserInfo): string | null {
  const written = info.birthday?.trim() ?? '';
  const dotted = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(written);
  const given = claimBirthDate(dotted ? `${dotted[3]}-${dotted[2]}-${dotted[1]}` : written);
  if (given) return given;
  const unzr = /^(\d{4})(\d{2})(\d{2})-?\d{5}$/.exec(info.unzr?.trim() ?? '');
  return unzr ? claimBirthDate(`${unzr[1]}-${unzr[2]}-${unzr[3]}`) : null;
}

function residenceCode(settings: PersonSettings, info: Record<string, unknown>): string | null {
  const field = settings.residenceField ? claimText(info[settings.residenceField]) : null;
  if (field && field.length <= 40) return field.toUpperCase();
  const written = typeof info.address === 'string' ? KATOTTH.exec(info.address) : null;
  return written ? written[0] : null;
}
