import fs from 'node:fs';
import crypto from 'node:crypto';
import { ValidateInResponseTo, type CacheProvider, type SamlConfig } from '@node-saml/node-saml';
import { Type, type Static } from 'typebox';
import { ConfigError, type IdentityProviderConfig } from '../../../config.ts';
import type { IdentifierKind } from '../identifiers.ts';
import { REQUEST_TTL_MS } from './saml.repo.ts';

const EIDAS = 'http://eidas.europa.eu/attributes/naturalperson/';
/** eIDAS levels of assurance, weakest first. */
export const EIDAS_LOA = ['http://eidas.europa.eu/LoA/low', 'http://eidas.europa.eu/LoA/substantial', 'http://eidas.europa.eu/LoA/high'];

const Str = Type.String({ minLength: 1 });
/** PEM text (it holds "-----BEGIN"), or else the path of a PEM file read at start. */
const Pem = Type.String({ minLength: 1 });
const Attributes = Type.Object({
  subject: Type.Optional(Str), givenName: Type.Optional(Str), familyName: Type.Optional(Str), fullName: Type.Optional(Str),
  email: Type.Optional(Str), nationalId: Type.Optional(Str), residenceCode: Type.Optional(Str), birthDate: Type.Optional(Str),
});

/** The settings of a SAML 2.0 provider besides id, name and type (see OPERATIONS.md). */
export const SamlSettingsSchema = Type.Object({
  preset: Type.Optional(Type.Union([Type.Literal('eidas'), Type.Literal('login.gov.pl'), Type.Literal('eid.gov.rs')])),
  entryPoint: Type.String({ pattern: '^https?://' }),
  binding: Type.Optional(Type.Union([Type.Literal('redirect'), Type.Literal('post')])),
  idpIssuer: Str,
  idpCert: Type.Union([Pem, Type.Array(Pem, { minItems: 1 })]),
  spEntityId: Type.Optional(Str),
  signingKey: Pem,
  signingCert: Pem,
  decryptionKey: Type.Optional(Pem),
  decryptionCert: Type.Optional(Pem),
  authnContext: Type.Optional(Type.Array(Str, { minItems: 1 })),
  authnContextComparison: Type.Optional(Type.Union([Type.Literal('exact'), Type.Literal('minimum'), Type.Literal('maximum'), Type.Literal('better')])),
  nameIdFormat: Type.Optional(Str),
  wantAuthnResponseSigned: Type.Optional(Type.Boolean()),
  clockSkewSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 600 })),
  attributes: Type.Optional(Attributes),
  nationalIdKind: Type.Optional(Type.Union([Type.Literal('pesel'), Type.Literal('jmbg'), Type.Literal('rnokpp'), Type.Literal('unzr')])),
});
export type SamlSettings = IdentityProviderConfig & Static<typeof SamlSettingsSchema>;
export type AttributeMap = Static<typeof Attributes>;

const EIDAS_ATTRIBUTES: AttributeMap = {
  subject: `${EIDAS}PersonIdentifier`, nationalId: `${EIDAS}PersonIdentifier`, givenName: `${EIDAS}CurrentGivenName`, familyName: `${EIDAS}CurrentFamilyName`,
  birthDate: `${EIDAS}DateOfBirth`,
};
/**
 * Defaults per preset. login.gov.pl (Węzeł Krajowy) names the person with the eIDAS natural-person attributes,
 * PersonIdentifier being the PESEL (and DateOfBirth, one of the eIDAS minimum data set, the birth date);
 * eID.gov.rs publishes no attribute list, so its preset assumes the eIDAS names with the JMBG as
 * PersonIdentifier (check them against the integration documents you receive).
 */
const PRESETS: Record<NonNullable<SamlSettings['preset']>, { attributes: AttributeMap; authnContext: string[]; nationalIdKind?: IdentifierKind }> = {
  'eidas': { attributes: EIDAS_ATTRIBUTES, authnContext: [EIDAS_LOA[1]!] },
  'login.gov.pl': { attributes: EIDAS_ATTRIBUTES, authnContext: [EIDAS_LOA[1]!], nationalIdKind: 'pesel' },
  'eid.gov.rs': { attributes: EIDAS_ATTRIBUTES, authnContext: [EIDAS_LOA[1]!], nationalIdKind: 'jmbg' },
};

/** What the dialect uses of a provider, worked out once: keys read, defaults filled in. */
export interface SamlProvider {
  config: SamlSettings;
  spEntityId: string;
  acsUrl: string;
  metadataUrl: string;
  signingKey: string;
  signingCert: string;
  decryptionKey: string;
  decryptionCert: string;
  idpCerts: string[];
  attributes: AttributeMap;
  /** Name of the subject attribute, or `NameID`. */
  subject: string;
  nationalIdKind: IdentifierKind | null;
  authnContext: string[];
  comparison: NonNullable<SamlSettings['authnContextComparison']>;
  clockSkewMs: number;
}

function pem(value: string, what: string, problems: string[]): string {
  if (value.includes('-----BEGIN')) return value;
  try {
    return fs.readFileSync(value, 'utf8');
  } catch (err) {
    problems.push(`${what}: cannot read ${value} (${(err as Error).message})`);
    return '';
  }
}

/** Reads a provider's keys and certificates and fills in its preset; throws a ConfigError naming each problem. */
export function samlProvider(config: SamlSettings, baseUrl: string): SamlProvider {
  const problems: string[] = [];
  const at = (field: string) => `identity provider ${config.id}: ${field}`;
  const preset = config.preset ? PRESETS[config.preset] : undefined;
  const signingKey = pem(config.signingKey, at('signingKey'), problems);
  const signingCert = pem(config.signingCert, at('signingCert'), problems);
  const base = `${baseUrl}/auth/saml/${config.id}`;
  const attributes = { ...preset?.attributes, ...config.attributes };
  const provider: SamlProvider = {
    config,
    spEntityId: config.spEntityId ?? `${base}/metadata.xml`,
    acsUrl: `${base}/acs`,
    metadataUrl: `${base}/metadata.xml`,
    signingKey,
    signingCert,
    // Without a pair of its own, assertions are encrypted to the signing certificate.
    decryptionKey: config.decryptionKey ? pem(config.decryptionKey, at('decryptionKey'), problems) : signingKey,
    decryptionCert: config.decryptionCert ? pem(config.decryptionCert, at('decryptionCert'), problems) : signingCert,
    idpCerts: (Array.isArray(config.idpCert) ? config.idpCert : [config.idpCert]).map((c, i) => pem(c, at(`idpCert[${i}]`), problems)),
    attributes,
    subject: attributes.subject ?? 'NameID',
    nationalIdKind: config.nationalIdKind ?? preset?.nationalIdKind ?? null,
    authnContext: config.authnContext ?? preset?.authnContext ?? [],
    comparison: config.authnContextComparison ?? 'minimum',
    clockSkewMs: (config.clockSkewSeconds ?? 60) * 1000,
  };
  if (config.decryptionKey && !config.decryptionCert) problems.push(at('decryptionCert is needed with decryptionKey (it goes into the metadata)'));
  for (const [what, key] of [['signingKey', provider.signingKey], ['decryptionKey', provider.decryptionKey]] as const) {
    try {
      if (key) crypto.createPrivateKey(key);
    } catch {
      problems.push(at(`${what} is not a PEM private key`));
    }
  }
  if (attributes.nationalId && !provider.nationalIdKind) problems.push(at('nationalIdKind is needed with attributes.nationalId'));
  if (problems.length) throw new ConfigError(problems);
  return provider;
}

/** node-saml's options for a provider: signed requests, signed assertions required, InResponseTo always checked. */
export function samlOptions(p: SamlProvider, cacheProvider: CacheProvider): SamlConfig {
  return {
    entryPoint: p.config.entryPoint,
    authnRequestBinding: p.config.binding === 'post' ? 'HTTP-POST' : 'HTTP-Redirect',
    // The HTTP-POST binding carries the request uncompressed (SAML bindings 3.5.4); node-saml deflates unless told.
    skipRequestCompression: p.config.binding === 'post',
    issuer: p.spEntityId,
    audience: p.spEntityId,
    callbackUrl: p.acsUrl,
    idpCert: p.idpCerts,
    idpIssuer: p.config.idpIssuer,
    privateKey: p.signingKey,
    publicCert: p.signingCert,
    decryptionPvk: p.decryptionKey,
    signatureAlgorithm: 'sha256',
    digestAlgorithm: 'sha256',
    wantAssertionsSigned: true,
    wantAuthnResponseSigned: p.config.wantAuthnResponseSigned ?? false,
    validateInResponseTo: ValidateInResponseTo.always,
    requestIdExpirationPeriodMs: REQUEST_TTL_MS,
    acceptedClockSkewMs: p.clockSkewMs,
    identifierFormat: p.config.nameIdFormat ?? null,
    disableRequestedAuthnContext: p.authnContext.length === 0,
    authnContext: p.authnContext,
    racComparison: p.comparison,
    cacheProvider,
    generateUniqueId: () => `_${crypto.randomBytes(20).toString('hex')}`,
  };
}
