import * as vscode from 'vscode';

/** What the bench does by itself when a device attaches (off by default). */
export type BenchAttachAction = 'nothing' | 'backUp' | 'restoreBackup';

const ATTACH_ACTIONS: readonly BenchAttachAction[] = ['nothing', 'backUp', 'restoreBackup'];
const DEFAULT_JOBS = 4;
const MAX_JOBS = 16;

/** The `iosbr.bench.*` settings, read fresh each time so edits apply at once. */
export interface BenchSettings {
  /** Devices worked on at once, 1–16. */
  jobs(): number;
  whenDeviceAttaches(): BenchAttachAction;
  /** The backup folder the automation restores; empty when not set. */
  backupToRestore(): string;
  /** Fires when any bench setting changed. */
  onDidChange: vscode.Event<void>;
}

/** The bench settings of the `iosbr` configuration; values out of range fall back to the default or the nearest bound. */
export function benchSettings(): BenchSettings & vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('iosbr.bench');
  const subscription = vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('iosbr.bench')) changed.fire();
  });
  return {
    jobs: () => {
      const value = config().get<number>('jobs', DEFAULT_JOBS);
      return typeof value === 'number' && Number.isFinite(value) ? Math.min(MAX_JOBS, Math.max(1, Math.round(value))) : DEFAULT_JOBS;
    },
    whenDeviceAttaches: () => {
      const value = config().get<string>('whenDeviceAttaches', 'nothing') as BenchAttachAction;
      return ATTACH_ACTIONS.includes(value) ? value : 'nothing';
    },
    backupToRestore: () => config().get<string>('backupToRestore', '').trim(),
    onDidChange: changed.event,
    dispose: () => {
      subscription.dispose();
      changed.dispose();
    },
  };
}
