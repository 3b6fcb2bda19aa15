import type { LoginRecord } from '../../src/login/authRecord.js';

/** The Run As user of the registration fixtures. */
export const USERNAME = 'runas@acme.com';

/**
 * What a login has learned of one Acme org, ready to be stored, with the test's own client and
 * token, so that each test file can scan for its own secrets.
 */
export const registrationInput =
  (own: { clientId: string; clientSecret: string; accessToken: string }) =>
  (overrides: Partial<LoginRecord> = {}): LoginRecord => ({
    credentials: { loginUrl: 'https://acme.my.salesforce.com', clientId: own.clientId, clientSecret: own.clientSecret },
    token: {
      accessToken: own.accessToken,
      instanceUrl: 'https://acme.my.salesforce.com',
      orgId: '00DXX0000000001EAA',
      userId: '005XX000001abcdEAA',
      issuedAt: 1_700_000_000_000,
    },
    org: {
      username: USERNAME,
      orgId: '00DXX0000000001EAA',
      userId: '005XX000001abcdEAA',
      isDevHub: false,
      organization: { name: 'Acme', namespacePrefix: null, isSandbox: false, isScratch: false, orgEdition: 'Developer Edition' },
    },
    expiresAt: 1_700_007_200_000,
    ...overrides,
  });
