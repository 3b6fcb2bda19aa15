import { readIfExists, restoreFile, withFileLock } from './files.js';

/**
 * What to undo if a later step of a login fails. A file is put back only when it still holds what
 * this login wrote: a file that another process has written since keeps that process's bytes.
 */
export class Rollback {
  private readonly saved = new Map<string, { before: string | undefined; written?: string }>();
  private readonly undos: Array<() => Promise<void>> = [];

  /** Call with the file's lock held, before writing it. */
  public async before(path: string): Promise<void> {
    if (!this.saved.has(path)) this.saved.set(path, { before: await readIfExists(path) });
  }

  /** Call with the file's lock held, after writing it: what restore() expects to find there. */
  public async written(path: string): Promise<void> {
    const entry = this.saved.get(path);
    if (entry) entry.written = await readIfExists(path);
  }

  public add(undo: () => Promise<void>): void {
    this.undos.push(undo);
  }

  public async restore(): Promise<void> {
    await Promise.all([
      ...[...this.saved].map(([path, { before, written }]) =>
        withFileLock(path, async () => {
          if ((await readIfExists(path)) === written) await restoreFile(path, before);
        }).catch(() => undefined)
      ),
      ...this.undos.map((undo) => undo().catch(() => undefined)),
    ]);
  }
}
