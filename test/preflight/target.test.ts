import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { findProjectRoot } from '../../src/preflight/sfFiles.js';
import { resolveTarget, resolveUsername, targetFromArgv, type TargetContext } from '../../src/preflight/target.js';
import { useTempDir, useTempHome } from '../support/tempHome.js';

const writeJson = async (path: string, value: unknown): Promise<void> => {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, typeof value === 'string' ? value : JSON.stringify(value));
};

describe('target', () => {
  describe('targetFromArgv', () => {
    it('reads --target-org and -o in every spelling oclif accepts', () => {
      for (const argv of [['--target-org', 'ci'], ['--target-org=ci'], ['-o', 'ci'], ['-o=ci'], ['-oci']]) {
        expect(targetFromArgv(argv, 'target-org'), argv.join(' ')).to.equal('ci');
      }
    });

    it('reads the deprecated spellings sf still accepts: -u, --targetusername, --targetdevhubusername', () => {
      for (const argv of [['-u', 'ci'], ['-uci'], ['--targetusername', 'ci'], ['--targetusername=ci']]) {
        expect(targetFromArgv(argv, 'target-org'), argv.join(' ')).to.equal('ci');
      }
      expect(targetFromArgv(['--targetdevhubusername', 'hub'], 'target-dev-hub')).to.equal('hub');
      expect(targetFromArgv(['-u', 'ci'], 'target-dev-hub')).to.equal(undefined);
    });

    it('reads --target-dev-hub and -v in every spelling oclif accepts', () => {
      for (const argv of [['--target-dev-hub', 'hub'], ['--target-dev-hub=hub'], ['-v', 'hub'], ['-v=hub'], ['-vhub']]) {
        expect(targetFromArgv(argv, 'target-dev-hub'), argv.join(' ')).to.equal('hub');
      }
    });

    it('finds the flag among other flags and arguments', () => {
      const argv = ['--query', 'SELECT Id FROM Account', '-o', 'ci@acme.com', '--json', '--target-dev-hub=hub'];
      expect(targetFromArgv(argv, 'target-org')).to.equal('ci@acme.com');
      expect(targetFromArgv(argv, 'target-dev-hub')).to.equal('hub');
    });

    it('does not take the flag of one kind for the other', () => {
      expect(targetFromArgv(['--target-org', 'ci', '-o', 'ci'], 'target-dev-hub')).to.equal(undefined);
      expect(targetFromArgv(['--target-dev-hub', 'hub', '-v', 'hub'], 'target-org')).to.equal(undefined);
    });

    it('ignores look-alike flags and values', () => {
      for (const argv of [
        ['--target-organization', 'x'],
        ['--target-org-name', 'x'],
        ['--other', 'x'],
        ['--json'],
        ['SELECT', '-o'],
        [],
      ]) {
        expect(targetFromArgv(argv, 'target-org'), argv.join(' ')).to.equal(undefined);
      }
    });

    it('gives nothing for a flag without a value', () => {
      expect(targetFromArgv(['--target-org'], 'target-org')).to.equal(undefined);
      expect(targetFromArgv(['-o'], 'target-org')).to.equal(undefined);
      expect(targetFromArgv(['--target-org='], 'target-org')).to.equal(undefined);
      expect(targetFromArgv(['--target-org', '--json'], 'target-org')).to.equal(undefined);
      expect(targetFromArgv(['-o', '-v', 'hub'], 'target-org')).to.equal(undefined);
    });

    it('stops at --', () => {
      expect(targetFromArgv(['--', '--target-org', 'ci'], 'target-org')).to.equal(undefined);
      expect(targetFromArgv(['-o', 'ci', '--', '-o', 'other'], 'target-org')).to.equal('ci');
    });
  });

  describe('with files', () => {
    // The user's HOME, and a project and a folder outside any project beside it.
    const userHome = useTempHome();
    const tempDir = useTempDir();
    let base: string;
    let home: string;
    let project: string;
    let outside: string;

    const context = (overrides: Partial<TargetContext> = {}): TargetContext => ({
      argv: [],
      env: {},
      cwd: outside,
      home,
      ...overrides,
    });

    beforeEach(async () => {
      base = tempDir();
      home = userHome();
      project = join(base, 'work', 'project');
      outside = join(base, 'elsewhere');
      await mkdir(join(project, 'force-app', 'main'), { recursive: true });
      await mkdir(outside, { recursive: true });
      await writeJson(join(project, 'sfdx-project.json'), { packageDirectories: [{ path: 'force-app', default: true }] });
    });

    describe('findProjectRoot', () => {
      it('finds the folder holding sfdx-project.json from itself and from below', () => {
        expect(findProjectRoot(project)).to.equal(project);
        expect(findProjectRoot(join(project, 'force-app', 'main'))).to.equal(project);
      });

      it('finds the nearest project', async () => {
        const inner = join(project, 'packages', 'inner');
        await writeJson(join(inner, 'sfdx-project.json'), {});
        expect(findProjectRoot(join(inner, 'src'))).to.equal(inner);
      });

      it('finds none outside a project', () => {
        expect(findProjectRoot(outside)).to.equal(undefined);
        expect(findProjectRoot(join(outside, 'no', 'such', 'folder'))).to.equal(undefined);
      });
    });

    describe('resolveTarget', () => {
      beforeEach(async () => {
        await writeJson(join(project, '.sf', 'config.json'), { 'target-org': 'project-org', 'target-dev-hub': 'project-hub' });
        await writeJson(join(home, '.sf', 'config.json'), { 'target-org': 'global-org', 'target-dev-hub': 'global-hub' });
      });

      const allSources = (): TargetContext =>
        context({
          argv: ['-o', 'flag-org', '-v', 'flag-hub'],
          env: {
            SF_TARGET_ORG: 'env-org',
            SFDX_DEFAULTUSERNAME: 'legacy-env-org',
            SF_TARGET_DEV_HUB: 'env-hub',
            SFDX_DEFAULTDEVHUBUSERNAME: 'legacy-env-hub',
          },
          cwd: join(project, 'force-app', 'main'),
        });

      it('takes the flag first', async () => {
        expect(await resolveTarget('target-org', allSources())).to.equal('flag-org');
        expect(await resolveTarget('target-dev-hub', allSources())).to.equal('flag-hub');
      });

      it('then SF_TARGET_ORG / SF_TARGET_DEV_HUB', async () => {
        const sources = { ...allSources(), argv: ['--json'] };
        expect(await resolveTarget('target-org', sources)).to.equal('env-org');
        expect(await resolveTarget('target-dev-hub', sources)).to.equal('env-hub');
      });

      it('then the legacy SFDX_DEFAULTUSERNAME / SFDX_DEFAULTDEVHUBUSERNAME', async () => {
        const sources = allSources();
        sources.argv = [];
        sources.env = { SF_TARGET_ORG: '', SFDX_DEFAULTUSERNAME: 'legacy-env-org', SFDX_DEFAULTDEVHUBUSERNAME: 'legacy-env-hub' };
        expect(await resolveTarget('target-org', sources)).to.equal('legacy-env-org');
        expect(await resolveTarget('target-dev-hub', sources)).to.equal('legacy-env-hub');
      });

      it('then the config of the project around the current folder', async () => {
        const sources = context({ cwd: join(project, 'force-app', 'main') });
        expect(await resolveTarget('target-org', sources)).to.equal('project-org');
        expect(await resolveTarget('target-dev-hub', sources)).to.equal('project-hub');
      });

      it('then the global config', async () => {
        expect(await resolveTarget('target-org', context())).to.equal('global-org');
        expect(await resolveTarget('target-dev-hub', context())).to.equal('global-hub');
      });

      it('falls back to the global config when the project config lacks the key, has an empty or non-string value, or is not JSON', async () => {
        const sources = context({ cwd: project });
        for (const projectConfig of [{}, { 'target-org': '' }, { 'target-org': 42 }, '{ not json']) {
          await writeJson(join(project, '.sf', 'config.json'), projectConfig);
          expect(await resolveTarget('target-org', sources), JSON.stringify(projectConfig)).to.equal('global-org');
        }
      });

      it('ignores a .sf/config.json in a folder that is not a project', async () => {
        await writeJson(join(outside, '.sf', 'config.json'), { 'target-org': 'not-a-project-org' });
        expect(await resolveTarget('target-org', context({ cwd: outside }))).to.equal('global-org');
      });

      it('gives nothing when no source names a target', async () => {
        await rm(join(home, '.sf'), { recursive: true });
        expect(await resolveTarget('target-org', context())).to.equal(undefined);
        await writeJson(join(home, '.sf', 'config.json'), { 'target-dev-hub': 'global-hub' });
        expect(await resolveTarget('target-org', context())).to.equal(undefined);
      });

      it('reads the global config of the user home when no home is given', async () => {
        expect(await resolveTarget('target-org', { argv: [], env: {}, cwd: outside })).to.equal('global-org');
      });
    });

    describe('resolveUsername', () => {
      beforeEach(async () => {
        await writeJson(join(home, '.sfdx', 'alias.json'), { orgs: { ci: 'ci@acme.com', hub: 'hub@acme.com', odd: 42 } });
      });

      it('turns an alias into its username', async () => {
        expect(await resolveUsername('ci', home)).to.equal('ci@acme.com');
        expect(await resolveUsername('hub', home)).to.equal('hub@acme.com');
      });

      it('leaves a username, an unknown alias and a non-string entry as they are', async () => {
        expect(await resolveUsername('ci@acme.com', home)).to.equal('ci@acme.com');
        expect(await resolveUsername('unknown', home)).to.equal('unknown');
        expect(await resolveUsername('odd', home)).to.equal('odd');
      });

      it('leaves the name as it is without a readable alias file', async () => {
        expect(await resolveUsername('ci', outside)).to.equal('ci');
        await writeJson(join(home, '.sfdx', 'alias.json'), '{"orgs": {"ci": ');
        expect(await resolveUsername('ci', home)).to.equal('ci');
        await writeJson(join(home, '.sfdx', 'alias.json'), { ci: 'ci@acme.com' });
        expect(await resolveUsername('ci', home)).to.equal('ci');
      });

      it('reads the alias file of the user home when no home is given', async () => {
        expect(await resolveUsername('ci')).to.equal('ci@acme.com');
      });
    });
  });
});
