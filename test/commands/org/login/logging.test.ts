import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import sinon from 'sinon';
import { Logger } from '@salesforce/core/logger';
import { stubSfCommandUx } from '@salesforce/sf-plugins-core';
import LoginClientCredentials from '../../../../src/commands/org/login/client-credentials.js';
import { rejection } from '../../../support/rejection.js';
import { useTempHome } from '../../../support/tempHome.js';

type LoggerStatics = { rootLogger?: unknown };
const ours = Logger as unknown as LoggerStatics;
const projectRoot = fileURLToPath(new URL('../../../..', import.meta.url));
// eslint-plugin-sf-plugin, a dev dependency, brings its own @salesforce/core: a stand-in for the
// core of the sf CLI that runs an installed copy of this plugin.
const otherCopy = join(projectRoot, 'node_modules', 'eslint-plugin-sf-plugin');

/**
 * No TestContext here on purpose: it replaces the root logger, and this test is about which root
 * logger the command's copy of @salesforce/core ends up with when sf runs it.
 */
describe('org login client-credentials: one log writer', () => {
  const sandbox = sinon.createSandbox();
  let savedRoot: unknown;
  // SF_ENV=test: the stand-in CLI's root logger keeps its lines in memory instead of writing ~/.sf.
  useTempHome({ SF_ENV: 'test' });

  before(function () {
    if (!existsSync(join(otherCopy, 'node_modules', '@salesforce', 'core', 'package.json'))) this.skip();
  });

  beforeEach(() => {
    savedRoot = ours.rootLogger;
    ours.rootLogger = undefined;
    stubSfCommandUx(sandbox);
  });

  afterEach(() => {
    sandbox.restore();
    ours.rootLogger = savedRoot;
  });

  it("logs through the sf CLI's root logger from the command's first step, before SfCommand reads the config", async () => {
    const host = (createRequire(join(otherCopy, 'package.json'))('@salesforce/core/logger') as { Logger: typeof Logger }).Logger;
    expect(host).not.to.equal(Logger);

    // sf runs the command with its own root as the config root. login.salesforce.com is refused
    // after SfCommand has read the config, before any request.
    const run = LoginClientCredentials.run(['--client-id', 'id', '--instance-url', 'https://login.salesforce.com'], otherCopy);
    const error = await rejection(run);
    expect(error.name).to.match(/^GenericLoginHost/);

    // Had SfCommand's config read come first, our core would have made a root logger of its own:
    // a second log writer, which kept sf alive after the command had finished.
    expect(ours.rootLogger).to.equal(host.getRoot());
  });
});
