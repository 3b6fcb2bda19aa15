import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { SfError } from '@salesforce/core/sfError';
import { resolveLoginInput } from '../../../login/input.js';
import { loginWithClientCredentials, type LoginResult } from '../../../login/login.js';
import { loadWhileTheOrgAnswers, REGISTRATION_MODULES } from '../../../login/preload.js';
import { resolveClientSecret } from '../../../login/secret.js';
import type { HttpOptions } from '../../../shared/http.js';
import { loadMessages } from '../../../shared/messages.js';
import { redactError } from '../../../shared/redaction.js';
import { SECRET_PLACEHOLDER, withdrawSecretFlag } from '../../../login/secretFlag.js';
import { tlsCheckDisabled, tlsUncheckedWarning } from '../../../oauth/trust.js';

const messages = loadMessages('client-credentials');

/** Each has its sentence in messages/client-credentials.md (`# env.<NAME>`). */
const ENVIRONMENT_VARIABLES = [
  'SALESFORCE_CLIENT_SECRET',
  'SF_CLIENT_SECRET',
  'SF_CLIENT_CREDENTIALS_STDIN_TIMEOUT',
  'SF_CLIENT_CREDENTIALS_RENEWAL',
  'SF_CLIENT_CREDENTIALS_RENEWAL_MARGIN',
  'HTTP_TIMEOUT',
  'HTTPS_PROXY',
  'NODE_EXTRA_CA_CERTS',
  'NODE_TLS_REJECT_UNAUTHORIZED',
  'SF_SCRATCH_SIGNUP_CONNECTED_APP',
  'SF_DISABLE_LOG_FILE',
];

export type ClientCredentialsLoginResult = LoginResult;

export default class LoginClientCredentials extends SfCommand<ClientCredentialsLoginResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  /** The variables the plugin reads (or that change what it does), in the help's ENVIRONMENT VARIABLES section. */
  public static readonly envVariablesSection = {
    header: 'ENVIRONMENT VARIABLES',
    body: ENVIRONMENT_VARIABLES.map((name) => ({ name, description: messages.getMessage(`env.${name}`) })),
  };

  public static readonly flags = {
    'client-id': Flags.string({
      char: 'i',
      summary: messages.getMessage('flags.client-id.summary'),
      required: true,
    }),
    'instance-url': Flags.string({
      char: 'r',
      summary: messages.getMessage('flags.instance-url.summary'),
      description: messages.getMessage('flags.instance-url.description'),
    }),
    'client-secret': Flags.string({
      summary: messages.getMessage('flags.client-secret.summary'),
    }),
    alias: Flags.string({
      char: 'a',
      summary: messages.getMessage('flags.alias.summary'),
    }),
    'set-default': Flags.boolean({
      char: 's',
      summary: messages.getMessage('flags.set-default.summary'),
      default: false,
    }),
    'set-default-dev-hub': Flags.boolean({
      char: 'd',
      summary: messages.getMessage('flags.set-default-dev-hub.summary'),
      default: false,
    }),
    'no-prompt': Flags.boolean({
      char: 'p',
      summary: messages.getMessage('flags.no-prompt.summary'),
      default: false,
    }),
  };

  /** Options of the login's requests to the org: none, for sf (a test's subclass routes a host it cannot reach). */
  protected readonly http: HttpOptions = {};
  /** Values that must never reach the output, even inside an unexpected error. */
  private secrets: string[] = [];
  /** The values of --client-secret, withdrawn from argv before parsing. */
  private flagSecrets: string[] = [];

  /**
   * oclif's _run parses argv (and puts any parse error, with the arguments it names, in the
   * output): --client-secret is withdrawn from argv before, so that no error can repeat it.
   */
  // eslint-disable-next-line no-underscore-dangle -- the name oclif gives the method that runs a command
  public async _run<R>(): Promise<R> {
    const { argv, values } = withdrawSecretFlag(this.argv);
    this.argv = argv;
    this.flagSecrets = values;
    this.secrets.push(...values, ...values.map((value) => value.trim()));
    // eslint-disable-next-line no-underscore-dangle
    return super._run<R>();
  }

  public async run(): Promise<ClientCredentialsLoginResult> {
    const { flags } = await this.parse(LoginClientCredentials);
    const flagSecret = flags['client-secret'] === SECRET_PLACEHOLDER ? this.flagSecrets.at(-1) : flags['client-secret'];
    // Every check of the input comes before the secret is read: no one types a secret in vain.
    const { clientId, alias, instance, notice } = await resolveLoginInput({
      clientId: flags['client-id'],
      alias: flags.alias,
      instanceUrl: flags['instance-url'],
    });
    if (notice) this.info(notice);

    const { secret, warnings } = await resolveClientSecret({
      flag: flagSecret,
      env: process.env,
      stdin: process.stdin,
      noPrompt: flags['no-prompt'],
      prompt: (message) => this.secretPrompt({ message }),
    });
    this.secrets.push(secret);
    warnings.forEach((warning) => this.warn(warning));
    // Said before the secret goes out: with this variable, Node checks no certificate.
    if (tlsCheckDisabled(process.env)) this.warn(tlsUncheckedWarning());

    const stopLoading = loadWhileTheOrgAnswers(REGISTRATION_MODULES);
    const outcome = await loginWithClientCredentials({
      loginUrl: instance.url,
      clientId,
      clientSecret: secret,
      alias,
      setDefault: flags['set-default'],
      setDefaultDevHub: flags['set-default-dev-hub'],
      http: this.http,
    }).finally(stopLoading);
    outcome.warnings.forEach((warning) => this.warn(warning));
    outcome.notices.forEach((line) => this.info(line));
    const { orgId, username } = outcome.result;
    this.logSuccess(
      alias ? messages.getMessage('success.alias', [orgId, username, alias]) : messages.getMessage('success', [orgId, username])
    );
    return outcome.result;
  }

  /** Last line of defence: no secret anywhere in an error (message, actions, data, causes, stack), whatever produced it. */
  protected catch(error: Error | SfError): Promise<never> {
    return super.catch(redactError(error, this.secrets));
  }
}
