import { homedir } from 'node:os';
import { findProjectRoot, globalConfigPath, projectConfigPath, readAliases, readJsonObject } from './sfFiles.js';

/**
 * Finds which org a command targets, without @salesforce/core: its flags, then the environment,
 * then the project's and the user's sf config, in the order sf itself uses.
 * Kept dependency-free because the renewal hook runs it before every sf command.
 */

export type TargetKind = 'target-org' | 'target-dev-hub';

/** Flag spellings sf accepts for each target, deprecated ones included (-u, --targetusername). */
const FLAG_NAMES: Record<TargetKind, { long: string[]; short: string[] }> = {
  'target-org': { long: ['--target-org', '--targetusername'], short: ['-o', '-u'] },
  'target-dev-hub': { long: ['--target-dev-hub', '--targetdevhubusername'], short: ['-v'] },
};

const ENV_NAMES: Record<TargetKind, string[]> = {
  'target-org': ['SF_TARGET_ORG', 'SFDX_DEFAULTUSERNAME'],
  'target-dev-hub': ['SF_TARGET_DEV_HUB', 'SFDX_DEFAULTDEVHUBUSERNAME'],
};

/** The value of --target-org / -o (or --target-dev-hub / -v) in argv, in any of oclif's spellings. */
export const targetFromArgv = (argv: string[], kind: TargetKind): string | undefined => {
  const { long, short } = FLAG_NAMES[kind];
  let found: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') break;
    if (long.includes(arg) || short.includes(arg)) {
      found = argv[i + 1];
      continue;
    }
    const withValue = [...long, ...short].find((name) => arg.startsWith(`${name}=`));
    if (withValue) {
      found = arg.slice(withValue.length + 1);
      continue;
    }
    const glued = short.find((name) => !arg.startsWith('--') && arg.startsWith(name) && arg.length > name.length);
    if (glued) found = arg.slice(glued.length);
  }
  return found && !found.startsWith('-') ? found : undefined;
};

export type TargetContext = {
  argv: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  home?: string;
};

/** The alias or username a command targets for one kind of target, or undefined. */
export const resolveTarget = async (kind: TargetKind, context: TargetContext): Promise<string | undefined> => {
  const fromArgv = targetFromArgv(context.argv, kind);
  if (fromArgv) return fromArgv;
  for (const name of ENV_NAMES[kind]) {
    const value = context.env[name];
    if (value) return value;
  }
  const projectRoot = findProjectRoot(context.cwd);
  const configs = [
    ...(projectRoot ? [projectConfigPath(projectRoot)] : []),
    globalConfigPath(context.home ?? homedir()),
  ];
  for (const path of configs) {
    // eslint-disable-next-line no-await-in-loop
    const value = (await readJsonObject(path))?.[kind];
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
};

/** Reads ~/.sfdx/alias.json and turns an alias into its username; a username stays as it is. */
export const resolveUsername = async (aliasOrUsername: string, home = homedir()): Promise<string> => {
  const username = (await readAliases(home))[aliasOrUsername];
  return typeof username === 'string' ? username : aliasOrUsername;
};
