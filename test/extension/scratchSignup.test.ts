import { expect } from 'chai';
import { EXPIRY_FIELD, stampsFor } from '../../src/sf/authFields.js';
import { exchangeAppFor, isOurHub, signupAppFor, wrapSignup, type SignupModules } from '../../src/extension/scratchSignup.js';

type Options = Record<string, unknown>;

const ourFields = (): Record<string, unknown> => {
  const stored = { accessToken: 'enc:t', clientId: 'hub-key', clientSecret: 'enc:s', [EXPIRY_FIELD]: 1 };
  return { ...stored, ...stampsFor(stored) };
};

/** A Dev Hub as core's Org gives it to the signup functions. */
const hubOrg = (username: string, fields: Record<string, unknown>): unknown => ({
  getUsername: () => username,
  getConnection: () => ({ getAuthInfoFields: () => fields }),
});

/** Stand-ins for core's two signup modules: the generator takes the hub's clientId as core 8 does. */
const signupModules = (seen: Options[]): SignupModules => ({
  generator: {
    generateScratchOrgInfo: (options: { hubOrg: { getConnection(): { getAuthInfoFields(): Options } }; scratchOrgInfoPayload: Options }) => {
      seen.push(options);
      return Promise.resolve({
        connectedAppCallbackUrl: 'http://localhost:1717/OauthRedirect',
        connectedAppConsumerKey: options.scratchOrgInfoPayload.connectedAppConsumerKey ?? options.hubOrg.getConnection().getAuthInfoFields().clientId,
      });
    },
  },
  api: {
    authorizeScratchOrg: (options: Options) => {
      seen.push(options);
      return 'authorized';
    },
  },
});

type Generate = (options: Options) => Promise<Options>;
type Authorize = (options: Options) => unknown;

describe('scratchSignup', () => {
  it('knows a hub of this plugin by its stored fields, and any other hub as not', () => {
    expect(isOurHub(hubOrg('hub@acme.com', ourFields()) as never)).to.equal(true);
    expect(isOurHub(hubOrg('jwt@acme.com', { clientId: 'k', privateKey: '/k.pem' }) as never)).to.equal(false);
    expect(isOurHub({ getConnection: () => { throw new Error('removed'); } } as never)).to.equal(false);
    expect(isOurHub(undefined)).to.equal(false);
  });

  it("chooses the user's app (--client-id, then SF_SCRATCH_SIGNUP_CONNECTED_APP), else sf's own", () => {
    expect(signupAppFor(undefined, {})).to.equal('PlatformCLI');
    expect(signupAppFor('', { SF_SCRATCH_SIGNUP_CONNECTED_APP: '' })).to.equal('PlatformCLI');
    expect(signupAppFor(undefined, { SF_SCRATCH_SIGNUP_CONNECTED_APP: 'EnvApp' })).to.equal('EnvApp');
    expect(signupAppFor('FlagApp', { SF_SCRATCH_SIGNUP_CONNECTED_APP: 'EnvApp' })).to.equal('FlagApp');
    expect(exchangeAppFor('hub@acme.com', new Map([['hub@acme.com', 'Recorded']]), {})).to.equal('Recorded');
    expect(exchangeAppFor('other@acme.com', new Map([['hub@acme.com', 'Recorded']]), {})).to.equal('PlatformCLI');
  });

  it("signs a scratch org of this plugin's hub up through sf's app (core 8 would send the hub's key), and records it", async () => {
    const seen: Options[] = [];
    const modules = signupModules(seen);
    const apps = new Map<string, string>();
    expect(wrapSignup(modules, apps, {})).to.equal(true);
    const generate = modules.generator.generateScratchOrgInfo as Generate;

    const ours = await generate({ hubOrg: hubOrg('hub@acme.com', ourFields()), scratchOrgInfoPayload: { orgName: 'x' } });
    expect(ours.connectedAppConsumerKey).to.equal('PlatformCLI');
    expect(apps.get('hub@acme.com')).to.equal('PlatformCLI');

    const chosen = await generate({ hubOrg: hubOrg('hub@acme.com', ourFields()), scratchOrgInfoPayload: { connectedAppConsumerKey: 'MyApp' } });
    expect(chosen.connectedAppConsumerKey).to.equal('MyApp');

    const other = await generate({ hubOrg: hubOrg('jwt@acme.com', { clientId: 'jwt-key', privateKey: '/k' }), scratchOrgInfoPayload: {} });
    expect(other.connectedAppConsumerKey, 'a hub of another kind keeps its own app').to.equal('jwt-key');
    expect(apps.has('jwt@acme.com')).to.equal(false);
  });

  it('applies SF_SCRATCH_SIGNUP_CALLBACK_URL, which core 8 does not read, to the signup of our hubs', async () => {
    const modules = signupModules([]);
    wrapSignup(modules, new Map(), { SF_SCRATCH_SIGNUP_CALLBACK_URL: 'http://localhost:1919/OauthRedirect' });
    const info = await (modules.generator.generateScratchOrgInfo as Generate)({ hubOrg: hubOrg('hub@acme.com', ourFields()), scratchOrgInfoPayload: {} });
    expect(info.connectedAppCallbackUrl).to.equal('http://localhost:1919/OauthRedirect');
  });

  it('records the app a resumed signup of our hub was made with, for its code exchange', () => {
    const seen: Options[] = [];
    const modules = signupModules(seen);
    const apps = new Map<string, string>();
    wrapSignup(modules, apps, {});
    const authorize = modules.api.authorizeScratchOrg as Authorize;
    const options = { hubOrg: hubOrg('hub@acme.com', ourFields()), scratchOrgInfoComplete: { ConnectedAppConsumerKey: 'MyApp' } };
    expect(authorize(options)).to.equal('authorized');
    expect(seen).to.deep.equal([options]);
    expect(apps.get('hub@acme.com')).to.equal('MyApp');
    authorize({ hubOrg: hubOrg('jwt@acme.com', { clientId: 'k' }), scratchOrgInfoComplete: { ConnectedAppConsumerKey: 'k' } });
    expect(apps.has('jwt@acme.com')).to.equal(false);
  });

  it('changes nothing when the modules have another shape, and wraps once', () => {
    const odd = { generator: {}, api: { authorizeScratchOrg: 'not a function' } };
    expect(wrapSignup(odd, new Map(), {})).to.equal(false);
    expect(odd).to.deep.equal({ generator: {}, api: { authorizeScratchOrg: 'not a function' } });
    const modules = signupModules([]);
    expect(wrapSignup(modules, new Map(), {})).to.equal(true);
    const wrapped = modules.generator.generateScratchOrgInfo;
    expect(wrapSignup(modules, new Map(), {})).to.equal(false);
    expect(modules.generator.generateScratchOrgInfo).to.equal(wrapped);
  });
});
