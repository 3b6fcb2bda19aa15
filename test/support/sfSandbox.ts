import { spawn } from 'node:child_process';
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { SAMPLE_PROJECT } from '../fake-org/server.js';
import { childOutput } from './childOutput.js';
import { countSfProcess } from './sfCount.js';
import { installedPluginData, useInstalledPlugin } from './installedPlugin.js';
import { NODE, REPO_ROOT, SF_RUN, sfHomeEnv } from './sfHome.js';
import { makeTempDir, removeTempDir, withEnv } from './tempHome.js';

export { NODE, REPO_ROOT, SF_RUN } from './sfHome.js';

export type SfResult = {
  code: number;
  stdout: string;
  stderr: string;
  /** Parsed stdout when it is JSON. */
  json?: { status: number; result?: Record<string, unknown>; warnings?: string[]; name?: string; message?: string; actions?: string[] } & Record<string, unknown>;
};

/**
 * A fresh copy of the fake org's sample project (an sf project with one Apex class) in a temporary
 * folder, removed by removeTempDir, or when the test process exits at the latest.
 */
export const copySampleProject = async (): Promise<string> => {
  const project = await makeTempDir('sf-cc-project-');
  await cp(SAMPLE_PROJECT, project, { recursive: true });
  return project;
};

/** sf's human output as one line: oclif wraps warnings and prefixes their continuation lines with "›". */
export const flatten = (text: string): string => text.replace(/\s*›\s*/g, ' ').replace(/\s+/g, ' ');

export type RunOptions = {
  env?: Record<string, string | undefined>;
  /** Text for standard input; when undefined, standard input is /dev/null-like (closed at once). */
  input?: string;
  /** Leave standard input open and never write to it. */
  holdStdin?: boolean;
  cwd?: string;
  timeoutMs?: number;
};

/** How the sandbox's sf gets the plugin. */
export type PluginMode = 'linked' | 'installed';

export type SandboxOptions = {
  plugin?: PluginMode;
  /**
   * sf's log file: 'trace' (SF_LOG_LEVEL=trace), for the tests that scan it for secrets, or 'none'
   * (the default: SF_DISABLE_LOG_FILE=true, which also spares each sf process the wait for its
   * log writer at exit, up to a second).
   */
  log?: 'trace' | 'none';
};

/**
 * An isolated HOME with this plugin in the real sf CLI, linked from this checkout or installed
 * from its packed tarball (see create). Every output of every run is kept, so that tests can scan
 * all of it, and every file under HOME, for leaked secrets.
 */
export class SfSandbox {
  public readonly outputs: string[] = [];

  private constructor(public readonly home: string, private readonly baseEnv: Record<string, string>) {}

  /**
   * A sandbox with the plugin installed from its packed tarball (`plugin: 'installed'`, the
   * default: the bundle, on sf's core, exactly as users get it), or linked from this checkout
   * (`'linked'`: the tsc build, as `sf plugins link` runs it; only the development-loop smoke test
   * and the crash tests, whose seam the bundle leaves out, use it).
   */
  public static async create(extraEnv: Record<string, string> = {}, options: SandboxOptions = {}): Promise<SfSandbox> {
    const home = await makeTempDir('sf-cc-home-');
    const dataDir = join(home, '.local', 'share', 'sf');
    await mkdir(dataDir, { recursive: true });
    // sf's temporary files land under HOME too, so that the leak scans cover them.
    await mkdir(join(home, '.tmp'));
    if ((options.plugin ?? 'installed') === 'installed') {
      await useInstalledPlugin(dataDir, await installedPluginData());
    } else {
      // What `sf plugins link <repo>` writes; written directly to save two seconds per sandbox.
      await writeFile(
        join(dataDir, 'package.json'),
        JSON.stringify({
          name: '@salesforce/cli',
          private: true,
          dependencies: {},
          oclif: { schema: 1, plugins: [{ name: 'sf-plugin-client-credentials', root: REPO_ROOT, type: 'link' }] },
        })
      );
    }
    // sf's own variables, the network's, and CI markers (CI=true changes how sf prints tables and
    // progress) are never inherited: the tests behave the same on a laptop and in CI, and a test
    // that wants one sets it.
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(
        ([name, value]) =>
          value !== undefined &&
          !/^(SF_|SFDX_|SALESFORCE_|HTTPS?_PROXY$|https?_proxy$|NODE_EXTRA_CA_CERTS$|HTTP_TIMEOUT$|CI$|CI_|CONTINUOUS_INTEGRATION$|OCLIF_TABLE_SKIP_CI_CHECK$)/.test(name)
      )
    ) as Record<string, string>;
    const env: Record<string, string> = {
      ...inherited,
      ...sfHomeEnv(home),
      TMPDIR: join(home, '.tmp'),
      SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
      ...(options.log === 'trace' ? { SF_LOG_LEVEL: 'trace' } : { SF_DISABLE_LOG_FILE: 'true' }),
      NO_COLOR: '1',
      FORCE_COLOR: '0',
      ...extraEnv,
    };
    return new SfSandbox(home, env);
  }

  /** Runs `sf <args>` and resolves with its exit code and outputs (never rejects on exit code). */
  public async run(args: string[], options: RunOptions = {}): Promise<SfResult> {
    const env = { ...this.baseEnv, ...options.env };
    for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];
    countSfProcess(args);
    const child = spawn(NODE, [SF_RUN, ...args], {
      cwd: options.cwd ?? this.home,
      env: env as NodeJS.ProcessEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const output = childOutput(child, options.timeoutMs ?? 120_000);
    if (options.input !== undefined) child.stdin.end(options.input);
    else if (!options.holdStdin) child.stdin.end();
    const { code, stdout, stderr } = await output;
    this.outputs.push(stdout, stderr);
    let json: SfResult['json'];
    try {
      json = JSON.parse(stdout) as SfResult['json'];
    } catch {
      json = undefined;
    }
    return { code: code ?? -1, stdout, stderr, json };
  }

  public authFilePath(username: string): string {
    return join(this.home, '.sfdx', `${username}.json`);
  }

  public async readAuthFile(username: string): Promise<Record<string, unknown>> {
    return JSON.parse(await readFile(this.authFilePath(username), 'utf8')) as Record<string, unknown>;
  }

  /**
   * An auth file as @salesforce/core reads it back, decrypted with the sandbox's key
   * (~/.sfdx/key.json): this test process's HOME points at the sandbox meanwhile.
   */
  public async decryptedAuthFile(username: string): Promise<Record<string, unknown>> {
    const { StateAggregator } = await import('@salesforce/core');
    return withEnv({ HOME: this.home, SF_USE_GENERIC_UNIX_KEYCHAIN: 'true' }, async () => {
      StateAggregator.clearInstance();
      try {
        return ((await (await StateAggregator.getInstance()).orgs.read(username, true, true)) ?? {}) as Record<string, unknown>;
      } finally {
        StateAggregator.clearInstance();
      }
    });
  }

  public async readAliases(): Promise<Record<string, string>> {
    try {
      const file = JSON.parse(await readFile(join(this.home, '.sfdx', 'alias.json'), 'utf8')) as { orgs?: Record<string, string> };
      return file.orgs ?? {};
    } catch {
      return {};
    }
  }

  /** Every regular file under HOME except the linked plugin's registration, with its text. */
  public async files(): Promise<Array<{ path: string; text: string }>> {
    const found: Array<{ path: string; text: string }> = [];
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) await walk(path);
        else if (entry.isFile()) found.push({ path: relative(this.home, path), text: await readFile(path, 'utf8') });
      }
    };
    await walk(this.home);
    return found;
  }

  /** The files under HOME (of `files`, when given) whose text holds any of these values. */
  public async filesHolding(values: string[], files?: Array<{ path: string; text: string }>): Promise<string[]> {
    return (files ?? (await this.files())).filter((file) => values.some((value) => file.text.includes(value))).map((file) => file.path);
  }

  /**
   * Where any of the given secrets appears in clear text: in any output captured so far or in any
   * file under HOME (logs at trace level, auth files, config, alias file). A caller that scans for
   * several sets of secrets reads HOME once and passes its files().
   */
  public async findLeaks(secrets: string[], files?: Array<{ path: string; text: string }>): Promise<string[]> {
    const wanted = secrets.filter((secret) => secret.length >= 6);
    const hits: string[] = [];
    this.outputs.forEach((output, index) => {
      wanted.forEach((secret, n) => {
        if (output.includes(secret)) hits.push(`output #${index} contains secret #${n}`);
      });
    });
    for (const file of files ?? (await this.files())) {
      wanted.forEach((secret, n) => {
        if (file.text.includes(secret)) hits.push(`${file.path} contains secret #${n}`);
      });
    }
    return hits;
  }

  public async cleanup(): Promise<void> {
    await removeTempDir(this.home);
  }
}
