/**
 * The Dev Hub side of a fake org: scratch org signups (ScratchOrgInfo records), their progress from
 * New to Active (or Error), the ActiveScratchOrg records, and the fake org that serves each new
 * scratch org at its own URL (started at signup by the server, see ScratchOrgLauncher).
 */
import { BUILT_IN_APP_ID } from './builtInApp.js';
import type { OrgState } from './state.js';
import type { FakeClient, OrganizationFields } from './types.js';
import { activeScratchOrgRow, readInsert, SCRATCH_ORG_INFO_FIELDS, SIGNUP_INSTANCE, sfDate, sfDateTime } from './devHubRecords.js';
import type { InsertError, Row } from './devHubRecords.js';
import { matchesId, randomChars, randomId } from './wire/ids.js';

export { ACTIVE_SCRATCH_ORG_FIELDS, SCRATCH_ORG_INFO_FIELDS, SIGNUP_INSTANCE } from './devHubRecords.js';
export type { Row } from './devHubRecords.js';

/** What the Dev Hub needs of the fake org serving a scratch org (the server keeps, and stops, the org itself). */
export type ScratchOrgServer = {
  /** The URL the scratch org names itself by (its LoginUrl and instance URL). */
  readonly publicUrl: string;
  readonly orgId: string;
  /** An authorization code for the scratch org's admin, for this app and callback (ScratchOrgInfo.AuthCode). */
  issueAuthorizationCode(clientId: string, redirectUri: string, username: string): string;
  /** The org is deleted: every credential dies. */
  endOrg(): void;
};

/** What a new scratch org is made of. */
export type ScratchOrgSpec = {
  orgId: string;
  username: string;
  userId: string;
  email: string;
  /** The signup app, replicated into the scratch org (a connected app of the Dev Hub); undefined for sf's built-in app. */
  app?: FakeClient;
  organization: OrganizationFields;
};

export type ScratchOrgLauncher = (spec: ScratchOrgSpec) => Promise<ScratchOrgServer>;

/** A signup as the Dev Hub keeps it (the admin API's view of it, without the AuthCode). */
export type SignupView = {
  id: string;
  status: string;
  errorCode: string | null;
  consumerKey: string | null;
  callbackUrl: string | null;
  signupUsername: string;
  scratchOrgId: string | null;
  loginUrl: string | null;
  polls: number;
  /** The fields of the insert request, as sent. */
  request: Record<string, unknown>;
};

type Signup = {
  row: Row;
  request: Record<string, unknown>;
  polls: number;
  /** The outcome once polled enough: an error code (C-1016: an External Client App can't be replicated), else Active. */
  errorCode?: string;
  app?: FakeClient;
  orgId: string;
  userId: string;
  scratch?: ScratchOrgServer;
  starting?: Promise<void>;
};

/** What the scratch org of a signup is made of: its ids, its admin (the SignupUsername), the signup app, its Organization record. */
function scratchOrgSpec(signup: Signup, now: number): ScratchOrgSpec {
  const { row } = signup;
  const edition = typeof row.Edition === 'string' ? row.Edition : 'Developer';
  return {
    orgId: signup.orgId,
    username: String(row.SignupUsername),
    userId: signup.userId,
    email: String(row.SignupEmail ?? row.SignupUsername),
    app: signup.app,
    organization: {
      Name: typeof row.OrgName === 'string' ? row.OrgName : 'Company',
      InstanceName: SIGNUP_INSTANCE,
      IsSandbox: true,
      TrialExpirationDate: sfDateTime(now + Number(row.DurationDays) * 86_400_000),
      NamespacePrefix: typeof row.Namespace === 'string' && row.Namespace ? row.Namespace : null,
      OrganizationType: `${edition.replace(/^Partner /, '')} Edition`,
    },
  };
}

export class DevHubState {
  /** Set by the server: starts the fake org that serves a new scratch org. */
  public launcher?: ScratchOrgLauncher;
  private readonly signups = new Map<string, Signup>();
  private readonly active = new Map<string, Row>();
  private readonly deletedActive = new Set<string>();

  public constructor(private readonly hub: OrgState, public pollsUntilDone: number) {}

  /** A signup request (POST …/sobjects/ScratchOrgInfo): the new record's id, or the REST error Salesforce would answer. */
  public insert(input: Record<string, unknown>, userId: string, now: number): { id: string } | InsertError {
    const checked = readInsert(input);
    if ('errorCode' in checked) return checked;
    const { fields, edition, days } = checked;
    const hubUser = this.hub.getUser(userId);
    const username = typeof fields.Username === 'string' && fields.Username ? fields.Username.toLowerCase() : `test-${randomChars(12, 'abcdefghijklmnopqrstuvwxyz0123456789')}@example.com`;
    const key = typeof fields.ConnectedAppConsumerKey === 'string' ? fields.ConnectedAppConsumerKey : null;
    const client = key && key !== BUILT_IN_APP_ID ? this.hub.getClient(key) : undefined;
    // sf's built-in app is in every org; a connected app of the Dev Hub is replicated into the new
    // org; an External Client App (or an app the Dev Hub doesn't have) can't be: C-1016.
    const errorCode = key === BUILT_IN_APP_ID || (client && client.kind !== 'externalClientApp') ? undefined : 'C-1016';
    const id = randomId('2SR');
    const created = sfDateTime(now);
    const row: Row = Object.fromEntries(SCRATCH_ORG_INFO_FIELDS.map((f) => [f, null]));
    Object.assign(row, {
      Id: id,
      OwnerId: userId,
      IsDeleted: false,
      Name: String(this.signups.size + 1).padStart(8, '0'),
      CreatedDate: created,
      CreatedById: userId,
      LastModifiedDate: created,
      LastModifiedById: userId,
      SystemModstamp: created,
      ...(fields as Row),
      Edition: edition,
      DurationDays: days,
      HasSampleData: fields.HasSampleData === true,
      Username: typeof fields.Username === 'string' ? username : null,
      Status: 'New',
      ExpirationDate: sfDate(now + days * 86_400_000),
      SignupUsername: username,
      SignupEmail: typeof fields.AdminEmail === 'string' ? fields.AdminEmail : hubUser?.email ?? hubUser?.username ?? null,
      SignupCountry: typeof fields.Country === 'string' ? fields.Country : 'US',
      SignupLanguage: typeof fields.Language === 'string' ? fields.Language : 'en_US',
      SignupTrialDays: days,
    });
    const signup: Signup = { row, request: { ...input }, polls: 0, errorCode, app: client, orgId: randomId('00D'), userId: randomId('005') };
    this.signups.set(id, signup);
    if (!errorCode) {
      // The scratch org's server starts at once, as Salesforce starts building the org; Active needs it up.
      const launched = this.launcher?.(scratchOrgSpec(signup, now));
      if (!launched) signup.errorCode = 'C-9999';
      signup.starting = launched?.then(
        (scratch) => {
          signup.scratch = scratch;
        },
        () => {
          signup.errorCode = 'C-9999';
        }
      );
    }
    return { id };
  }

  /** The record as GET …/sobjects/ScratchOrgInfo/{id} reads it; each read while New is a poll that moves the signup on. */
  public retrieve(id: string, now: number): Row | undefined {
    const signup = this.find(id);
    if (!signup) return undefined;
    if (signup.row.Status === 'New') {
      signup.polls += 1;
      if (signup.polls >= this.pollsUntilDone) this.advance(signup, now);
    }
    return { ...signup.row };
  }

  public scratchOrgInfoRows(): Row[] {
    return [...this.signups.values()].map((s) => ({ ...s.row }));
  }

  public activeScratchOrgRows(): Row[] {
    return [...this.active.values()].map((r) => ({ ...r }));
  }

  /** DELETE …/sobjects/ActiveScratchOrg/{id}: the scratch org is deleted, its ScratchOrgInfo says Deleted. */
  public deleteActive(id: string, now: number): 'deleted' | 'alreadyDeleted' | 'notFound' {
    const key = [...this.active.keys()].find((k) => matchesId(k, id));
    if (!key) return [...this.deletedActive].some((k) => matchesId(k, id)) ? 'alreadyDeleted' : 'notFound';
    const row = this.active.get(key) as Row;
    this.active.delete(key);
    this.deletedActive.add(key);
    const signup = this.signups.get(String(row.ScratchOrgInfoId));
    if (signup) {
      signup.row.Status = 'Deleted';
      signup.row.LastModifiedDate = sfDateTime(now);
      signup.row.SystemModstamp = sfDateTime(now);
      signup.scratch?.endOrg();
    }
    return 'deleted';
  }

  /** The admin API's view of every signup (no AuthCode). */
  public views(): SignupView[] {
    return [...this.signups.values()].map((s) => ({
      id: String(s.row.Id),
      status: String(s.row.Status),
      errorCode: s.row.ErrorCode as string | null,
      consumerKey: s.row.ConnectedAppConsumerKey as string | null,
      callbackUrl: s.row.ConnectedAppCallbackUrl as string | null,
      signupUsername: String(s.row.SignupUsername),
      scratchOrgId: s.row.ScratchOrg as string | null,
      loginUrl: s.row.LoginUrl as string | null,
      polls: s.polls,
      request: s.request,
    }));
  }

  /** Waits for the scratch orgs still starting (up or failed), so that the server can stop every one. */
  public async waitForStarts(): Promise<void> {
    await Promise.all([...this.signups.values()].map((s) => s.starting));
  }

  private find(id: string): Signup | undefined {
    return this.signups.get(id) ?? [...this.signups.values()].find((s) => matchesId(String(s.row.Id), id));
  }

  private advance(signup: Signup, now: number): void {
    const { row } = signup;
    const stamp = sfDateTime(now);
    if (signup.errorCode) {
      Object.assign(row, { Status: 'Error', ErrorCode: signup.errorCode, LastModifiedDate: stamp, SystemModstamp: stamp });
      return;
    }
    const scratch = signup.scratch;
    if (!scratch) return; // still starting: stays New, the next poll tries again
    const orgId15 = scratch.orgId.slice(0, 15);
    const authCode = scratch.issueAuthorizationCode(String(row.ConnectedAppConsumerKey), String(row.ConnectedAppCallbackUrl ?? ''), String(row.SignupUsername));
    Object.assign(row, {
      Status: 'Active',
      AuthCode: authCode,
      LoginUrl: scratch.publicUrl,
      ScratchOrg: orgId15,
      SignupInstance: SIGNUP_INSTANCE,
      LastModifiedDate: stamp,
      SystemModstamp: stamp,
    });
    const activeId = randomId('2AS');
    this.active.set(activeId, activeScratchOrgRow(activeId, row, stamp));
  }
}
