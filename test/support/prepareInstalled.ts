/**
 * Packs and installs the plugin once for a whole test run (see installedPlugin.ts) and prints the
 * data folder: the test command hands it to every NUT process in SF_CC_INSTALLED_PLUGIN_DATA.
 * Usage: node --import tsx test/support/prepareInstalled.ts
 */
import { installedPluginData } from './installedPlugin.js';
import { NODE, REPO_ROOT, SF_RUN } from './sfSandbox.js';

const { dataDir } = await installedPluginData(REPO_ROOT, NODE, SF_RUN, process.env, { keep: true });
process.stdout.write(`${dataDir}\n`);
