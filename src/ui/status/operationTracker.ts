import * as vscode from 'vscode';

/** A long operation in progress, as the status bar shows it. */
export interface RunningOperation {
  label: string;
  percent?: number;
  message?: string;
}

/** Handle of one running operation. */
export interface OperationHandle {
  update(percent: number | undefined, message?: string): void;
  end(): void;
}

/** The long operations now running (backups, extractions, password checks), for the status bar. */
export class OperationTracker implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when an operation starts, progresses or ends. */
  readonly onDidChange = this.changed.event;
  private readonly running: RunningOperation[] = [];

  /** Registers a running operation. */
  begin(label: string): OperationHandle {
    const op: RunningOperation = { label };
    this.running.push(op);
    this.changed.fire();
    return {
      update: (percent, message) => {
        op.percent = percent;
        op.message = message;
        this.changed.fire();
      },
      end: () => {
        const index = this.running.indexOf(op);
        if (index >= 0) this.running.splice(index, 1);
        this.changed.fire();
      },
    };
  }

  /** The newest running operation. */
  current(): RunningOperation | undefined {
    return this.running[this.running.length - 1];
  }

  /** How many operations run. */
  get count(): number {
    return this.running.length;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
