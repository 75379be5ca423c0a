import type { Locale } from '../../i18n/i18n.ts';
import { registerDemoProviders, type RunningDemoProvider } from './demo.ts';
import { demoPeopleOf, type DemoPerson } from './demo-people.ts';
import { selfSignedCertificate } from './saml.cert.ts';
import { startLocalIdp, type LocalIdp, type LocalIdpPerson } from './saml.idp.ts';
import type { SamlSettings } from './saml.settings.ts';

const EIDAS = 'http://eidas.europa.eu/attributes/naturalperson/';
/** The attribute the demo providers name the residence with (real national nodes send none: see OPERATIONS.md). */
export const DEMO_RESIDENCE_ATTRIBUTE = 'urn:hromada:demo:residence-code';
const MAIL = 'urn:oid:0.9.2342.19200300.100.1.3';

/** Demo people as a SAML IdP sends them: eIDAS attributes, the national id as "<country>/<country>/<id>". */
export function idpPeople(people: DemoPerson[]): LocalIdpPerson[] {
  return people.map((p) => {
    const cc = p.country.toUpperCase();
    return {
      label: `${p.givenName} ${p.familyName} (${p.address})`,
      nameId: `${p.country}-${p.subject}`,
      attributes: {
        [`${EIDAS}PersonIdentifier`]: `${cc}/${cc}/${p.nationalId}`,
        [`${EIDAS}CurrentGivenName`]: p.givenName,
        [`${EIDAS}CurrentFamilyName`]: p.familyName,
        [`${EIDAS}DateOfBirth`]: p.birthDate,
        [MAIL]: p.email,
        [DEMO_RESIDENCE_ATTRIBUTE]: p.residenceCode,
      },
    };
  });
}

/** A provider entry for a local IdP and the service provider keys made for it. */
export function localProviderEntry(id: string, name: string, preset: SamlSettings['preset'], idp: LocalIdp, sp: SpKeys, binding: 'redirect' | 'post'): SamlSettings {
  return {
    id, name, type: 'saml', preset, binding, entryPoint: idp.ssoUrl, idpIssuer: idp.entityId, idpCert: idp.cert,
    signingKey: sp.signing.key, signingCert: sp.signing.cert, decryptionKey: sp.encryption.key, decryptionCert: sp.encryption.cert,
    attributes: { residenceCode: DEMO_RESIDENCE_ATTRIBUTE, email: MAIL },
  };
}

export interface SpKeys { signing: { key: string; cert: string }; encryption: { key: string; cert: string } }
/** Fresh signing and encryption keys for a service provider (demo and tests). */
export const spKeys = (label: string): SpKeys => ({ signing: selfSignedCertificate(`${label} signing`), encryption: selfSignedCertificate(`${label} encryption`) });

const DEMOS: { id: string; name: string; preset: SamlSettings['preset']; country: DemoPerson['country']; locale: Locale; binding: 'redirect' | 'post' }[] = [
  { id: 'login-gov-pl-demo', name: 'login.gov.pl', preset: 'login.gov.pl', country: 'pl', locale: 'pl', binding: 'redirect' },
  { id: 'eid-gov-rs-demo', name: 'eID.gov.rs', preset: 'eid.gov.rs', country: 'rs', locale: 'sr-Latn', binding: 'post' },
];

// "login.gov.pl (demo)" and "eID.gov.rs (demo)": local SAML IdPs whose people are the demo's Polish and Serbian residents.
registerDemoProviders(async (appBaseUrl) => {
  const running: RunningDemoProvider[] = [];
  for (const d of DEMOS) {
    const sp = spKeys(`Hromada demo (${d.name})`);
    const base = `${appBaseUrl}/auth/saml/${d.id}`;
    const idp = await startLocalIdp({
      label: d.name, locale: d.locale, people: idpPeople(demoPeopleOf(d.country)),
      sp: { entityId: `${base}/metadata.xml`, acsUrl: `${base}/acs`, signingCert: sp.signing.cert, encryptionCert: sp.encryption.cert },
    });
    running.push({ provider: localProviderEntry(d.id, d.name, d.preset, idp, sp, d.binding), stop: idp.stop });
  }
  return running;
});
