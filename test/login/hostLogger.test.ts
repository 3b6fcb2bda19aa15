import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { Logger } from '@salesforce/core/logger';
import { shareHostLogger } from '../../src/login/hostLogger.js';
import { useTempHome } from '../support/tempHome.js';

type LoggerStatics = { rootLogger?: unknown };
type FakeHostModule = { Logger?: unknown; root?: unknown; calls: number };

const ours = Logger as unknown as LoggerStatics;
const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

describe('shareHostLogger', () => {
  let savedRoot: unknown;
  let folders: string[] = [];

  beforeEach(() => {
    savedRoot = ours.rootLogger;
    ours.rootLogger = undefined;
  });
  afterEach(async () => {
    ours.rootLogger = savedRoot;
    await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
    folders = [];
  });

  /**
   * A folder standing for the sf CLI's install: a package.json and, when a logger module source is
   * given, a node_modules/@salesforce/core whose "@salesforce/core/logger" is that source.
   */
  const fakeCli = async (loggerSource?: string): Promise<string> => {
    const root = await mkdtemp(join(tmpdir(), 'cc-host-'));
    folders.push(root);
    await writeFile(join(root, 'package.json'), JSON.stringify({ name: '@salesforce/cli', version: '2.150.6' }));
    if (loggerSource !== undefined) {
      const core = join(root, 'node_modules', '@salesforce', 'core');
      await mkdir(core, { recursive: true });
      await writeFile(
        join(core, 'package.json'),
        JSON.stringify({ name: '@salesforce/core', version: '9.0.0', exports: { './logger': './logger.js' } })
      );
      await writeFile(join(core, 'logger.js'), loggerSource);
    }
    return root;
  };

  /** The fake host's logger module, as the code under test loads it. */
  const hostModule = (root: string): FakeHostModule =>
    createRequire(join(root, 'package.json'))('@salesforce/core/logger') as FakeHostModule;

  /** A host Logger whose root is given by a JavaScript expression; counts the calls of getRoot. */
  const hostWithRoot = (rootExpression: string): string =>
    [
      `const root = ${rootExpression};`,
      'exports.root = root;',
      'exports.calls = 0;',
      'exports.Logger = class Logger { static getRoot() { exports.calls += 1; return root; } };',
    ].join('\n');

  it('makes our Logger write through the root logger of the CLI', async () => {
    const root = await fakeCli(hostWithRoot("{ pinoLogger: { name: 'host pino' } }"));
    expect(shareHostLogger(root)).to.equal(true);
    const host = hostModule(root);
    expect(host.calls).to.equal(1);
    expect(ours.rootLogger).to.equal(host.root);
  });

  it('changes nothing without a CLI root', () => {
    expect(shareHostLogger(undefined)).to.equal(false);
    expect(shareHostLogger('')).to.equal(false);
    expect(ours.rootLogger).to.equal(undefined);
  });

  it('reports success and changes nothing when the CLI uses this very copy of @salesforce/core', () => {
    expect(shareHostLogger(projectRoot)).to.equal(true);
    expect(ours.rootLogger).to.equal(undefined);
  });

  it('changes nothing when our Logger already has a root', async () => {
    const root = await fakeCli(hostWithRoot("{ pinoLogger: { name: 'host pino' } }"));
    const existing = { pinoLogger: { name: 'ours' } };
    ours.rootLogger = existing;
    expect(shareHostLogger(root)).to.equal(false);
    expect(ours.rootLogger).to.equal(existing);
    expect(hostModule(root).calls).to.equal(0);
  });

  it('changes nothing when the CLI has no @salesforce/core', async () => {
    const root = await fakeCli();
    expect(shareHostLogger(root)).to.equal(false);
    expect(shareHostLogger(join(root, 'no-such-folder'))).to.equal(false);
    expect(ours.rootLogger).to.equal(undefined);
  });

  it('changes nothing when the CLI logger module has no Logger, or its root is not a pino logger', async () => {
    for (const source of [
      'exports.calls = 0;',
      hostWithRoot('undefined'),
      hostWithRoot("{ name: 'no pino' }"),
      hostWithRoot("{ pinoLogger: 'not an object' }"),
      'exports.calls = 0; exports.Logger = class Logger {};',
      "exports.calls = 0; exports.Logger = class Logger { static getRoot() { throw new Error('no root'); } };",
    ]) {
      // eslint-disable-next-line no-await-in-loop
      const root = await fakeCli(source);
      expect(shareHostLogger(root), source).to.equal(false);
      expect(ours.rootLogger, source).to.equal(undefined);
    }
  });

  describe('with another real copy of @salesforce/core as the CLI', () => {
    // eslint-plugin-sf-plugin, a dev dependency, brings its own @salesforce/core (another version):
    // a stand-in for the core of an installed sf CLI.
    const otherCopy = join(projectRoot, 'node_modules', 'eslint-plugin-sf-plugin');
    // SF_ENV=test: a root logger that keeps its lines in memory instead of writing ~/.sf/sf-DATE.log.
    useTempHome({ SF_ENV: 'test' });

    before(function () {
      if (!existsSync(join(otherCopy, 'node_modules', '@salesforce', 'core', 'package.json'))) this.skip();
    });

    it('sends the log lines of our @salesforce/core to the CLI root logger', () => {
      const host = (createRequire(join(otherCopy, 'package.json'))('@salesforce/core/logger') as { Logger: typeof Logger }).Logger;
      expect(host).not.to.equal(Logger);

      expect(shareHostLogger(otherCopy)).to.equal(true);

      const hostRoot = host.getRoot();
      expect(ours.rootLogger).to.equal(hostRoot);
      Logger.childFromRoot('cc-host-logger-test').warn('line through the host root');
      new Logger('cc-host-logger-test-2').warn('second line through the host root');
      const lines = hostRoot.getBufferedRecords().map((record) => (record as { msg?: unknown }).msg);
      expect(lines).to.include.members(['line through the host root', 'second line through the host root']);
    });
  });
});
