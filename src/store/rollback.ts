import { readIfExists, restoreFile, withFileLock } from './files.js';

/** What to undo if a later step fails: a file's bytes before it was first written, or any other step. */
export class Rollback {
  private readonly saved = new Map<string, string | undefined>();
  private readonly undos: Array<() => Promise<void>> = [];

  /** Call with the file's lock held, if it has one: restore() takes that lock again. */
  public async before(path: string): Promise<void> {
    if (!this.saved.has(path)) this.saved.set(path, await readIfExists(path));
  }

  public add(undo: () => Promise<void>): void {
    this.undos.push(undo);
  }

  public async restore(): Promise<void> {
    await Promise.all([
      ...[...this.saved].map(([path, bytes]) => withFileLock(path, () => restoreFile(path, bytes)).catch(() => undefined)),
      ...this.undos.map((undo) => undo().catch(() => undefined)),
    ]);
  }
}
