/**
 * Packs and installs the plugin once for a whole test run (see installedPlugin.ts) and prints the
 * data folder: the test command hands it to every NUT process in SF_CC_INSTALLED_PLUGIN_DATA.
 * Usage: node --import tsx test/support/prepareInstalled.ts
 */
import { installedPluginData } from './installedPlugin.js';

const { dataDir } = await installedPluginData({ keep: true });
process.stdout.write(`${dataDir}\n`);
