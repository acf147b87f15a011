import * as vscode from 'vscode';
import { presentError, type ErrorPresentation } from '../errors/errorPresentation';
import { uiLanguage } from '../util/uiLanguage';
import type { CommandDeps } from './commandDeps';
import type { CommandId } from '../commandIds';
import { commandTarget } from './commandTarget';

/** A command handler: deps first, then what VS Code passes (the clicked node and the multi-selection). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each handler declares its own node types; VS Code passes them untyped
export type CommandHandler = (deps: CommandDeps, ...args: any[]) => unknown;

/** One row of the command table. */
export interface CommandEntry {
  id: CommandId;
  run: CommandHandler;
  /** What the command does, for "… failed" messages. */
  operation: () => string;
}

/**
 * Registers one command with the behaviour every command shares: an info line saying what the
 * user did, a record for the diagnostic report, quiet cancellation, and one way of showing errors.
 */
export function registerCommandEntry(deps: CommandDeps, entry: CommandEntry): vscode.Disposable {
  return vscode.commands.registerCommand(entry.id, async (...args: unknown[]) => {
    const target = commandTarget(args[0]);
    const record = deps.history.start(entry.id, target);
    deps.logger.info('command started', { command: entry.id, target });
    try {
      await entry.run(deps, ...args);
      await deps.history.finish(record, 'succeeded');
    } catch (err) {
      const presentation = presentError(err, entry.operation(), uiLanguage(deps.locale));
      if (presentation.quiet) {
        await deps.history.finish(record, 'cancelled');
        deps.logger.info(presentation.message, { command: entry.id });
        return;
      }
      await deps.history.finish(record, 'failed', err);
      deps.logger.error('command failed', { command: entry.id, code: (err as { code?: string }).code, target, reason: presentation.detail ?? presentation.message });
      void showFailure(deps, presentation, err);
    }
  });
}

/**
 * Shows a failure with the actions that help: the failure doctor's cause and fix with its full
 * explanation when it recognises the failure, the log, a diagnostic report, and the demo devices
 * when usbmuxd is missing.
 */
export async function showFailure(deps: CommandDeps, presentation: ErrorPresentation, err: unknown): Promise<void> {
  const openLog = vscode.l10n.t('Open Log');
  const report = vscode.l10n.t('Export Diagnostic Report');
  const demo = vscode.l10n.t('Start Demo Devices');
  const explain = vscode.l10n.t('Show Explanation');
  // The doctor (its knowledge base and matcher) loads on the first failure rather than at activation.
  const { explainFailure } = await import('../doctor/failureExplanation');
  const explanation = explainFailure(err, deps.locale);
  const actions = [...(explanation ? [explain] : []), ...(presentation.offerDemo && !deps.demo.running ? [demo, openLog] : [openLog, report])];
  const failure = presentation.detail && presentation.detail !== presentation.message ? `${presentation.message} (${presentation.detail})` : presentation.message;
  const choice = await vscode.window.showErrorMessage(explanation ? `${failure} ${explanation.sentence}` : failure, ...actions);
  if (choice === openLog) deps.log.show();
  else if (choice === report) await vscode.commands.executeCommand('iosbr.diagnostics.export');
  else if (choice === demo) await vscode.commands.executeCommand('iosbr.demo.start');
  else if (choice === explain && explanation) await deps.doctorReports.show(vscode.l10n.t('Failure Explanation'), [failure, '', ...explanation.reportLines]);
}
