import * as vscode from 'vscode';
import type { Logger } from '../../common/logger';
import type { BenchRow, BenchSummary } from '../../kitting/benchRow';
import type { KittingBench } from '../../kitting/kittingBench';
import type { BackupLibrary } from '../backups/backupLibrary';
import type { UsbmuxEndpoint } from '../devices/usbmuxEndpoint';
import type { BenchSettings } from './benchSettings';

/**
 * The extension's one kitting bench, made on first use: its code (the backup and restore engines, the checks)
 * loads then, not at activation. An empty bench is made again on next use when the usbmuxd address, the backup
 * folder or the jobs setting changed meanwhile; a bench with rows keeps them (and its settings) until they are
 * cleared, so the report still has them.
 */
export class BenchSession implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<BenchRow | undefined>();
  /** Fires for every row change (undefined: the whole bench changed). Listeners debounce. */
  readonly onDidChange = this.changed.event;
  private bench: KittingBench | undefined;
  private made: { client: unknown; root: string; jobs: number } | undefined;
  private subscription: { dispose(): void } | undefined;
  private opening: Promise<KittingBench> | undefined;

  constructor(
    private readonly endpoint: UsbmuxEndpoint,
    private readonly backups: BackupLibrary,
    private readonly settings: BenchSettings,
    /** The bench's log, for what the view and the commands do with it too. */
    readonly logger: Logger,
  ) {}

  /** The rows, in the order added ([] before the bench is first used). */
  get rows(): readonly BenchRow[] {
    return this.bench?.rows ?? [];
  }

  /** The bench if it was made; commands that only act on rows (Cancel, Retry, Export) need no more. */
  get current(): KittingBench | undefined {
    return this.bench;
  }

  summary(): BenchSummary {
    return this.bench?.summary() ?? { total: 0, running: 0, queued: 0, done: 0, failed: 0, refused: 0, cancelled: 0 };
  }

  /** The bench, made (and its code loaded) on first use. */
  async open(): Promise<KittingBench> {
    this.opening ??= this.make().finally(() => (this.opening = undefined));
    return this.opening;
  }

  dispose(): void {
    this.subscription?.dispose();
    this.bench?.dispose();
    this.changed.dispose();
  }

  private async make(): Promise<KittingBench> {
    const wanted = { client: this.endpoint.client, root: this.backups.root, jobs: this.settings.jobs() };
    const made = this.made;
    const same = made !== undefined && made.client === wanted.client && made.root === wanted.root && made.jobs === wanted.jobs;
    if (this.bench && (same || this.bench.rows.length > 0)) return this.bench;
    const { KittingBench } = await import('../../kitting/kittingBench');
    this.subscription?.dispose();
    this.bench?.dispose();
    const bench = new KittingBench({ mux: wanted.client, backupRoot: wanted.root, jobs: wanted.jobs, logger: this.logger });
    this.bench = bench;
    this.made = wanted;
    this.subscription = bench.onDidChange((row) => {
      // A finished backup shows up in the Backups view at once.
      if (row.operation === 'backup' && row.state === 'done') this.backups.invalidate();
      this.changed.fire(row);
    });
    this.logger.info('bench ready', { usbmuxd: this.endpoint.addressText, backupRoot: wanted.root, jobs: wanted.jobs });
    this.changed.fire(undefined);
    return bench;
  }

  /** Tells the views that rows were dropped or the bench was replaced (row events cover the rest). */
  notifyChanged(): void {
    this.changed.fire(undefined);
  }
}
