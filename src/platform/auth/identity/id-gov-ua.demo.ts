import { registerDemoProviders } from './demo.ts';
import { startFakeIdGovUa } from './id-gov-ua.fake.ts';
import { DEFAULT_AUTH_TYPES, idGovUaRedirectUri, type IdGovUaSettings } from './id-gov-ua.ts';

export const DEMO_ID_GOV_UA = 'diia-demo';

// "Diia (demo)": the fake id.gov.ua with the demo's Ukrainian residents, who sign in as residents of Zhovkva.
registerDemoProviders(async (appBaseUrl) => {
  const clientId = 'hromada-demo';
  const clientSecret = 'hromada-demo-secret';
  const fake = await startFakeIdGovUa({ clients: [{ id: clientId, secret: clientSecret, redirectUris: [idGovUaRedirectUri(appBaseUrl, DEMO_ID_GOV_UA)] }] });
  const provider: IdGovUaSettings = {
    id: DEMO_ID_GOV_UA, name: 'Diia', type: 'id-gov-ua', baseUrl: fake.url, clientId, clientSecret,
    authTypes: ['diia_id', ...DEFAULT_AUTH_TYPES.filter((a) => a !== 'diia_id')],
    // The fake names the residence by its KATOTTH code in an attribute of its own (see OPERATIONS.md).
    residenceField: 'katottg',
    fields: ['givenname', 'middlename', 'lastname', 'email', 'address', 'drfocode', 'unzr', 'katottg'],
  };
  return [{ provider, stop: fake.close }];
});
