import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';

/** Path under HOME -> what is there: "dir <mode>", "file <mode> <sha256>" or "link <target>". */
export type SfStateSnapshot = Record<string, string>;

/** The folders of HOME that hold sf's state: auth files, aliases, key, config. */
export const SF_STATE_FOLDERS = ['.sf', '.sfdx'] as const;

/**
 * The one exclusion: sf appends to its own log (~/.sf/sf-YYYY-MM-DD.log) on every run, whatever
 * the command does, so *.log files directly in ~/.sf are left out (and ~/.sf itself when it holds
 * nothing else, as on a fresh HOME after the first sf run). Everything else counts: every file's
 * bytes and mode, every folder (a left-over "<file>.lock" folder too), every link.
 */
const excluded = (relativePath: string): boolean => /^\.sf\/[^/]+\.log$/.test(relativePath);

/** What is at relativePath and below it, leaving out every path that `skip` names. */
const walk = async (home: string, relativePath: string, skip: (relativePath: string) => boolean): Promise<Array<[string, string]>> => {
  const path = join(home, relativePath);
  let info;
  try {
    info = await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const mode = (info.mode & 0o7777).toString(8);
  if (info.isSymbolicLink()) return [[relativePath, `link ${await readlink(path)}`]];
  if (!info.isDirectory()) {
    const digest = createHash('sha256').update(await readFile(path)).digest('hex');
    return [[relativePath, `file ${mode} ${digest}`]];
  }
  const kept = (await readdir(path)).sort().filter((name) => !skip(`${relativePath}/${name}`));
  if (relativePath === '.sf' && kept.length === 0) return [];
  const below = await Promise.all(kept.map((name) => walk(home, `${relativePath}/${name}`, skip)));
  return [[relativePath, `dir ${mode}`], ...below.flat()];
};

/** The text of each of sf's log files (~/.sf/*.log) under a HOME. */
export const sfLogTexts = async (home: string): Promise<string[]> => {
  const names = await readdir(join(home, '.sf')).catch(() => [] as string[]);
  return Promise.all(names.filter((name) => excluded(`.sf/${name}`)).map((name) => readFile(join(home, '.sf', name), 'utf8')));
};

/** A byte-for-byte fingerprint of sf's state under a HOME (see `excluded` for the one exclusion). */
export const snapshotSfState = async (home: string): Promise<SfStateSnapshot> =>
  Object.fromEntries((await Promise.all(SF_STATE_FOLDERS.map((folder) => walk(home, folder, excluded)))).flat());

/** What a whole-HOME snapshot leaves out: sf's logs (appended on every run) and caches (oclif's, npm's, tsx's compile cache in the temp folder). */
const notState = (relativePath: string): boolean =>
  excluded(relativePath) || /^\.(cache|npm)(\/|$)/.test(relativePath) || /^\.tmp\/tsx-[^/]*(\/|$)/.test(relativePath);

/**
 * A byte-for-byte fingerprint of all of a HOME but logs and caches: a failed login must change
 * nothing anywhere under HOME (not only in ~/.sf and ~/.sfdx: a hostile answer could aim elsewhere).
 */
export const snapshotHome = async (home: string): Promise<SfStateSnapshot> => {
  const names = (await readdir(home)).sort().filter((name) => !notState(name));
  return Object.fromEntries((await Promise.all(names.map((name) => walk(home, name, notState)))).flat());
};
