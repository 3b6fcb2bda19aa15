import { findProjectRoot, globalConfigPath, projectConfigPath } from '../sf/sfFiles.js';
import { readIfExists, withFileLock, writeFileAtomic } from './files.js';
import type { Rollback } from './rollback.js';

/** The config file that --set-default writes, as sf config set does: the project's, or the global one outside a project. */
export const defaultsConfigPath = (cwd = process.cwd()): { path: string; isGlobal: boolean } => {
  const projectRoot = findProjectRoot(cwd);
  return projectRoot ? { path: projectConfigPath(projectRoot), isGlobal: false } : { path: globalConfigPath(), isGlobal: true };
};

/**
 * Sets target-org and/or target-dev-hub to value in config.json, under core's lock and
 * atomically (core itself writes config.json in place); the other settings stay as they are.
 */
export const setDefaults = async (
  path: string,
  value: string,
  targets: { org: boolean; devHub: boolean },
  rollback: Rollback
): Promise<void> => {
  await withFileLock(path, async () => {
    await rollback.before(path);
    const raw = await readIfExists(path);
    const config = raw === undefined || raw.trim() === '' ? {} : (JSON.parse(raw) as Record<string, unknown>);
    if (targets.org) config['target-org'] = value;
    if (targets.devHub) config['target-dev-hub'] = value;
    await writeFileAtomic(path, JSON.stringify(config, null, 2), 0o644);
    await rollback.written(path);
  });
};
