import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as l10n from '@vscode/l10n';
import { STATUS_PLIST_FILE } from '../../backup/format/statusPlist';
import type { BackupInspection } from '../../backup/inspect/backupInspection';
import { ConcurrencyLimit } from '../../common/concurrencyLimit';
import { abortReason } from '../../common/cancellation';
import { errorMessageForPeople } from '../../common/fileSystemErrorText';

/** The core's inspection, as the Backups view calls it. */
export type InspectBackupFunction = (dir: string, options: { password?: string; signal: AbortSignal }) => Promise<BackupInspection>;

/** How the saved password took part in an inspection. */
export type InspectionPassword =
  /** No password was needed or none is saved: an encrypted backup's protected files stay unread. */
  | 'none'
  /** The saved password was used (the inspection's passwordOutcome says whether it opened the keybag). */
  | 'saved'
  /** A password is saved but the backup's keybag refused it, so what needs it stayed unread. */
  | 'savedRefused';

/** What inspecting one backup gave. */
export type InspectionOutcome =
  | { kind: 'inspected'; inspection: BackupInspection; password: InspectionPassword }
  | { kind: 'failed'; message: string };

/** What the cache needs from its surroundings. */
export interface BackupInspectionsOptions {
  inspect: InspectBackupFunction;
  /** The password remembered for a backup folder (SecretStorage); never asked for here. */
  savedPassword: (dir: string) => PromiseLike<string | undefined>;
  /** Inspections running at once (key derivation costs seconds of CPU each). */
  concurrency: number;
  /** An inspection still running after this long is abandoned (a hostile folder must not keep a node spinning). */
  timeLimitMs: number;
  /** Older results beyond this many folders are dropped. */
  maxEntries?: number;
}

interface Entry {
  key: string;
  outcome: Promise<InspectionOutcome>;
  controller: AbortController;
}

const DEFAULT_MAX_ENTRIES = 200;

/**
 * Inspections of backup folders for the Backups view: run lazily (when a backup node is expanded),
 * a limited number at a time, and kept per folder until its Status.plist changes (every finished
 * backup rewrites it) or a different password is saved for it.
 */
export class BackupInspections {
  private readonly entries = new Map<string, Entry>();
  private readonly limit: ConcurrencyLimit;
  // Saved passwords are compared through a salted digest, so the cache holds no password.
  private readonly salt = randomBytes(16);
  // Inspections stopped by the time limit, whose failure names the limit rather than the abort.
  private readonly timedOut = new WeakSet<AbortController>();
  private disposed = false;

  constructor(private readonly options: BackupInspectionsOptions) {
    this.limit = new ConcurrencyLimit(options.concurrency);
  }

  /**
   * The inspection of a backup folder: the cached one while Status.plist and the saved password are
   * unchanged, else a new one. `encrypted` (from the listing) decides whether the saved password is looked up.
   */
  async get(dir: string, encrypted: boolean | undefined): Promise<InspectionOutcome> {
    if (this.disposed) return { kind: 'failed', message: l10n.t('The Backups view is closing.') };
    const folder = path.resolve(dir);
    // A keychain that cannot be reached (no keyring on a Linux desktop) counts as no saved password.
    const password = encrypted === true ? await Promise.resolve(this.options.savedPassword(folder)).catch(() => undefined) : undefined;
    const key = `${await statusStamp(folder)}|${password === undefined ? 'none' : this.digest(password)}`;
    const cached = this.entries.get(folder);
    this.entries.delete(folder);
    if (cached?.key === key) {
      // Last used goes last, so the cap drops the folders nobody opened for longest.
      this.entries.set(folder, cached);
      return cached.outcome;
    }
    cached?.controller.abort();
    const controller = new AbortController();
    const entry: Entry = { key, controller, outcome: this.run(folder, password, controller) };
    this.entries.set(folder, entry);
    this.trim();
    return entry.outcome;
  }

  /**
   * Forgets one folder's inspection and stops it if it is still running, so the next expansion
   * reads that backup again (its saved password was just remembered or forgotten).
   */
  forget(dir: string): void {
    const folder = path.resolve(dir);
    this.entries.get(folder)?.controller.abort();
    this.entries.delete(folder);
  }

  /** Forgets every cached inspection (the next expansion reads the backups again). */
  clear(): void {
    for (const entry of this.entries.values()) entry.controller.abort();
    this.entries.clear();
  }

  /** Abandons running inspections and forgets the rest. */
  dispose(): void {
    this.disposed = true;
    this.clear();
  }

  private async run(folder: string, password: string | undefined, controller: AbortController): Promise<InspectionOutcome> {
    try {
      return await this.limit.run(async () => {
        const timer = setTimeout(() => {
          this.timedOut.add(controller);
          controller.abort(new Error(l10n.t('Reading the backup took longer than {0} seconds and was stopped.', Math.round(this.options.timeLimitMs / 1000))));
        }, this.options.timeLimitMs);
        try {
          const signal = controller.signal;
          // The race keeps the node from spinning on even if a read ignores the abort.
          if (password === undefined) return { kind: 'inspected', inspection: await untilAborted(this.options.inspect(folder, { signal }), signal), password: 'none' };
          const inspection = await untilAborted(this.options.inspect(folder, { password, signal }), signal);
          return { kind: 'inspected', inspection, password: inspection.passwordOutcome === 'refused' ? 'savedRefused' : 'saved' };
        } finally {
          clearTimeout(timer);
        }
      }, controller.signal);
    } catch (err) {
      const reason: unknown = controller.signal.aborted && this.timedOut.has(controller) ? controller.signal.reason : err;
      return { kind: 'failed', message: errorMessageForPeople(reason) };
    }
  }

  private digest(password: string): string {
    return createHash('sha256').update(this.salt).update(password, 'utf8').digest('hex');
  }

  private trim(): void {
    const max = this.options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    for (const [folder, entry] of this.entries) {
      if (this.entries.size <= max) break;
      entry.controller.abort();
      this.entries.delete(folder);
    }
  }
}

/** The promise's outcome, or a rejection with the signal's reason as soon as it aborts. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortReason(signal));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * What identifies one state of a backup folder: its Status.plist's modification time and size
 * (every backup run rewrites it). Only the file's metadata is read, without following a link.
 */
export async function statusStamp(folder: string): Promise<string> {
  try {
    const stat = await fs.lstat(path.join(folder, STATUS_PLIST_FILE));
    return `${stat.mtimeMs}:${stat.size}`;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable';
  }
}
