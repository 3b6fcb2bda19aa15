import { Config, SfProject } from '@salesforce/core';
import { globalConfigPath, projectConfigPath } from '../preflight/sfFiles.js';

/** The config file that --set-default writes: the project's, or the global one outside a project. */
export const defaultsConfigPath = async (): Promise<{ path: string; isGlobal: boolean }> => {
  const projectPath = await SfProject.resolveProjectPath().catch(() => undefined);
  return projectPath ? { path: projectConfigPath(projectPath), isGlobal: false } : { path: globalConfigPath(), isGlobal: true };
};

/** Sets target-org and/or target-dev-hub to value, the way sf config set does. */
export const setDefaults = async (value: string, isGlobal: boolean, targets: { org: boolean; devHub: boolean }): Promise<void> => {
  const config = await Config.create({ isGlobal });
  if (targets.org) config.set('target-org', value);
  if (targets.devHub) config.set('target-dev-hub', value);
  await config.write();
};
