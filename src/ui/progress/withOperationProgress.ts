import * as vscode from 'vscode';
import type { OperationTracker } from '../status/operationTracker';

/** Reports absolute progress (0–100) with an optional message. */
export type ReportProgress = (percent: number | undefined, message?: string) => void;

/**
 * Runs a long operation under a cancellable notification with a percentage, mirrored in the status
 * bar. Core code reports absolute percentages; VS Code wants increments, so this converts. The
 * vscode token is passed on as is: it satisfies the core's CancellationTokenLike.
 */
export async function withOperationProgress<T>(
  operations: OperationTracker,
  title: string,
  task: (report: ReportProgress, token: vscode.CancellationToken) => Promise<T>,
  options: { cancellable?: boolean } = {},
): Promise<T> {
  const handle = operations.begin(title);
  try {
    const cancellable = options.cancellable ?? true;
    return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable }, (progress, token) => {
      let shown = 0;
      const report: ReportProgress = (percent, message) => {
        handle.update(percent, message);
        const target = percent === undefined ? shown : Math.max(0, Math.min(100, percent));
        // The device's estimate may step back; the bar never does.
        const increment = target > shown ? target - shown : undefined;
        if (increment !== undefined) shown = target;
        progress.report({ increment, message });
      };
      return task(report, token);
    });
  } finally {
    handle.end();
  }
}

/** An AbortSignal that aborts when the token is cancelled (for core APIs that take a signal). */
export function abortSignalFor(token: vscode.CancellationToken): AbortSignal {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  else token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}
