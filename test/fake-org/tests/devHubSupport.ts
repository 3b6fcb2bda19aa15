/** What the Dev Hub tests of the fake org share: the signup sf sends, and the calls it makes (insert, poll, code exchange). */
import { BUILT_IN_APP_ID, DEFAULT_CALLBACK_URL } from '../server.js';
import type { FakeOrg } from '../server.js';
import { call } from '../../support/orgClient.js';
import type { Res } from '../../support/orgClient.js';

export type Rows = { totalSize: number; done: boolean; records: Array<Record<string, unknown>> };
export type RestErr = Array<{ message: string; errorCode: string; fields?: string[] }>;
export type Soi = Record<string, unknown> & { Id: string; Status: string };

/** What @salesforce/core 9.4 inserts for `sf org create scratch` with a definition of orgName and edition. */
export const SIGNUP = {
  OrgName: 'Demo', Edition: 'Developer', HasSampleData: false, DurationDays: 7,
  ConnectedAppCallbackUrl: DEFAULT_CALLBACK_URL, ConnectedAppConsumerKey: BUILT_IN_APP_ID, Package2AncestorIds: '',
};

export const jsonBody = (value: unknown): { body: string; headers: Record<string, string> } => ({ body: JSON.stringify(value), headers: { 'Content-Type': 'application/json' } });

/** The signup insert (POST …/sobjects/ScratchOrgInfo) @salesforce/core sends to the Dev Hub. */
export const insert = (hub: FakeOrg, token: string, fields: Record<string, unknown> = SIGNUP): Promise<Res> =>
  call(hub, 'POST', '/services/data/v65.0/sobjects/ScratchOrgInfo', { token, ...jsonBody(fields) });

/** One poll of a signup (GET …/sobjects/ScratchOrgInfo/{id}), as core polls it. */
export const poll = async (hub: FakeOrg, token: string, id: string): Promise<Soi> =>
  (await call(hub, 'GET', `/services/data/v65.0/sobjects/ScratchOrgInfo/${id}`, { token })).json<Soi>();

/** The code exchange @salesforce/core sends to the scratch org's LoginUrl. */
export const exchange = (scratch: FakeOrg, form: Record<string, string>): Promise<Res> =>
  call(scratch, 'POST', '/services/oauth2/token', { form: { grant_type: 'authorization_code', redirect_uri: DEFAULT_CALLBACK_URL, ...form } });
