/**
 * One sf of the compatibility matrix (an sf release run by one Node), with the packed plugin
 * installed as users install it, and isolated HOMEs that run it.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { childOutput } from '../support/childOutput.js';
import { countSfProcess } from '../support/sfCount.js';
import { useInstalledPlugin } from '../support/installedPlugin.js';
import { sfHomeEnv } from '../support/sfHome.js';

export type Cell = {
  /** The sf release, e.g. 2.136.8. */
  sf: string;
  /** Its package folder (bin/run.js is sf). */
  sfRoot: string;
  /** The Node binary that runs it. */
  node: string;
  /** The Node's version, e.g. 20.20.2. */
  nodeVersion: string;
};

export type SfRun = { command: string; code: number; stdout: string; stderr: string; json?: Record<string, unknown> };

const PLUGIN = 'sf-plugin-client-credentials';

/**
 * The environment of an sf under `home`: nothing inherited of sf's own variables, proxies or CI markers.
 * NODE_EXTRA_CA_CERTS stays: the npm that `sf plugins install` runs may need it to reach the registry.
 */
const homeEnv = (cell: Cell, home: string, extra: Record<string, string>): Record<string, string> => {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name, value]) =>
        value !== undefined &&
        !/^(SF_|SFDX_|SALESFORCE_|COMPAT_|HTTPS?_PROXY$|https?_proxy$|NODE_OPTIONS$|CI$|CI_|CONTINUOUS_INTEGRATION$)/.test(name)
    )
  ) as Record<string, string>;
  return {
    ...inherited,
    ...sfHomeEnv(home),
    // The cell's Node first: sf's child processes (npm in `sf plugins install`) run with it too.
    PATH: `${dirname(cell.node)}:${(process.env.PATH ?? '').split(':').filter((dir) => !dir.includes('node_modules')).join(':')}`,
    TMPDIR: join(home, '.tmp'),
    SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
    NO_COLOR: '1',
    FORCE_COLOR: '0',
    ...extra,
  };
};

/** An isolated HOME that runs the cell's sf. */
export class CellHome {
  private constructor(public readonly cell: Cell, public readonly home: string, private readonly env: Record<string, string>) {}

  /** A new HOME under `parent`; `plugin`, when given, is a data folder whose installed plugin this HOME uses. */
  public static async create(cell: Cell, parent: string, options: { plugin?: string; env?: Record<string, string> } = {}): Promise<CellHome> {
    const home = await mkdtemp(join(parent, 'home-'));
    const dataDir = join(home, '.local', 'share', 'sf');
    await mkdir(dataDir, { recursive: true });
    await mkdir(join(home, '.tmp'));
    if (options.plugin) await useInstalledPlugin(dataDir, { dataDir: options.plugin });
    return new CellHome(cell, home, homeEnv(cell, home, options.env ?? {}));
  }

  public get dataDir(): string {
    return join(this.home, '.local', 'share', 'sf');
  }

  /** Runs `sf <args>` with the cell's Node; never rejects on an exit code. */
  public async run(args: string[], options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {}): Promise<SfRun> {
    const command = `sf ${args.join(' ')}`;
    countSfProcess(args);
    const child = spawn(this.cell.node, [join(this.cell.sfRoot, 'bin', 'run.js'), ...args], {
      cwd: options.cwd ?? this.home,
      env: { ...this.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const { code, signal, stdout, stderr } = await childOutput(child, options.timeoutMs ?? 180_000);
    let json: Record<string, unknown> | undefined;
    try {
      json = JSON.parse(stdout) as Record<string, unknown>;
    } catch {
      json = undefined;
    }
    return { command, code: code ?? (signal ? 128 : -1), stdout, stderr, json };
  }

  /**
   * `sf plugins install file:<tarball>`, as a user installs the packed plugin (the plugin on sf's
   * allow list of unsigned plugins, as a user would answer sf's question).
   */
  public async installPlugin(tarball: string): Promise<SfRun> {
    await mkdir(join(this.home, '.config', 'sf'), { recursive: true });
    await writeFile(join(this.home, '.config', 'sf', 'unsignedPluginAllowList.json'), JSON.stringify([PLUGIN, `file:${tarball}`]));
    return this.run(['plugins', 'install', `file:${tarball}`], { timeoutMs: 600_000 });
  }

  /** Whether this HOME's sf lists the plugin as installed by the user. */
  public async hasPlugin(): Promise<boolean> {
    if (!existsSync(join(this.dataDir, 'node_modules', PLUGIN, 'package.json'))) return false;
    const manifest = JSON.parse(await readFile(join(this.dataDir, 'package.json'), 'utf8')) as { oclif?: { plugins?: Array<{ name?: string }> } };
    return (manifest.oclif?.plugins ?? []).some((entry) => entry.name === PLUGIN);
  }

  public authFilePath(username: string): string {
    return join(this.home, '.sfdx', `${username}.json`);
  }
}
