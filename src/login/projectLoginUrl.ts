import { join } from 'node:path';
import { isLoopbackHost, isMyDomainHost } from '../oauth/trust.js';
import { textOf } from '../sf/sfFiles.js';
import { loadMessages } from '../shared/messages.js';
import { normalizeInstanceUrl } from './instanceUrl.js';

const messages = loadMessages('input');

/**
 * The login URL of a project, for a login without --instance-url. sf itself reads a project's
 * login URL from three places, the first set one winning: the FORCE_SFDC_LOGIN_URL variable, an
 * sfdcLoginUrl key in sf's configuration (the project's .sf/config.json, else ~/.sf/config.json),
 * then sfdcLoginUrl in sfdx-project.json. A cloned project brings the last two with it. The plugin
 * takes sfdx-project.json's value only when every place that sets one agrees with it, when sf's
 * own check of the merged value passes, and when it names a My Domain (or this machine, for local
 * tests): the URL it sends the secret to is then exactly the one that was checked.
 */

/** What the project and sf's configuration hold, as the plugin reads them (see readProjectUrls). */
export type ProjectUrls = {
  /** The project's sfdx-project.json. */
  file: string;
  /** Its sfdcLoginUrl, if set. */
  own?: string;
  /** The values that override it in sf, each with where it comes from, in sf's order. */
  overrides: Array<{ value: string; where: string }>;
  /** What sf ends up with: the sfdcLoginUrl of core's merged project configuration (throws as core does). */
  merged: () => Promise<unknown>;
};

/** A setting's value, as textOf, but white space alone counts as unset too. */
const text = (value: unknown): string | undefined => (textOf(value)?.trim() ? (value as string) : undefined);

/** The project around the current folder, read through @salesforce/core, or undefined outside a project. */
export const readProjectUrls = async (env: NodeJS.ProcessEnv = process.env): Promise<ProjectUrls | undefined> => {
  // Loaded only here: with --instance-url, the login never needs them.
  const { SfProject, ConfigAggregator } = await import('./projectCore.js');
  const project = await SfProject.resolve().catch(() => undefined);
  if (!project) return undefined;
  const own = text((project.getSfProjectJson().getContents() as { sfdcLoginUrl?: unknown }).sfdcLoginUrl);
  const overrides: ProjectUrls['overrides'] = [];
  const fromEnv = text(env.FORCE_SFDC_LOGIN_URL);
  if (fromEnv) overrides.push({ value: fromEnv, where: messages.getMessage('where.EnvVariable', ['FORCE_SFDC_LOGIN_URL']) });
  const config = await ConfigAggregator.create({ projectPath: project.getPath() });
  const fromConfig = text(config.getConfig().sfdcLoginUrl);
  if (fromConfig) overrides.push({ value: fromConfig, where: config.getPath('sfdcLoginUrl') ?? messages.getMessage('where.Config') });
  return {
    file: join(project.getPath(), 'sfdx-project.json'),
    own,
    overrides,
    merged: async () => (await project.resolveProjectConfig()).sfdcLoginUrl,
  };
};

/** Whether a project URL that normalizes names a My Domain or this machine; undefined when it does not normalize (resolveInstanceUrl says why). */
const namesMyDomain = (url: string): boolean | undefined => {
  try {
    const { hostname } = new URL(normalizeInstanceUrl(url).url);
    return isMyDomainHost(hostname) || isLoopbackHost(hostname);
  } catch {
    return undefined;
  }
};

/**
 * Checks a project's login URLs (see above) and returns the one to log in to, or undefined when
 * sfdx-project.json sets none (the login then asks for --instance-url). Every refusal names the
 * file or setting and says to pass --instance-url; no error of core counts as a pass.
 */
export const checkProjectUrls = async (urls: ProjectUrls | undefined): Promise<string | undefined> => {
  if (!urls?.own) return undefined;
  const { file, own } = urls;
  const other = urls.overrides.find((override) => override.value.trim() !== own.trim());
  if (other) throw messages.createError('error.ProjectLoginUrlOverridden', [own, file, other.value, other.where]);
  let merged: unknown;
  try {
    merged = await urls.merged();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if ((error as Error)?.name === 'InvalidProjectLoginUrlError') throw messages.createError('error.ProjectLoginUrlRefused', [file, reason], [], error);
    throw messages.createError('error.ProjectConfigUnreadable', [file, reason], [], error);
  }
  if (typeof merged !== 'string' || merged.trim() !== own.trim()) {
    throw messages.createError('error.ProjectLoginUrlOverridden', [own, file, text(merged) ?? '', messages.getMessage('where.Merged')]);
  }
  if (namesMyDomain(own) === false) throw messages.createError('error.ProjectLoginUrlNotMyDomain', [own, file]);
  return own;
};

/** The login URL of the project around the current folder, checked (see checkProjectUrls). */
export const projectLoginUrl = async (): Promise<string | undefined> => {
  let urls: ProjectUrls | undefined;
  try {
    urls = await readProjectUrls();
  } catch (error) {
    // sf's configuration could not be read (a broken .sf/config.json): nothing is known to agree.
    throw messages.createError('error.ProjectConfigUnreadable', [process.cwd(), error instanceof Error ? error.message : String(error)], [], error);
  }
  return checkProjectUrls(urls);
};
