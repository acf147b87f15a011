import * as os from 'node:os';
import * as vscode from 'vscode';
import { renderDiagnosticReport } from '../../diagnostics/diagnosticReport';
import { revealPath } from '../backups/revealPath';
import type { CommandDeps } from '../commandDeps';

/** A file name with the local date and time, e.g. iosbr-diagnostics-20250131-1405.md. */
function reportFileName(now: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `iosbr-diagnostics-${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}-${pad(now.getHours())}${pad(now.getMinutes())}.md`;
}

/** Export Diagnostic Report: writes a Markdown report (devices, operations, errors, recent log lines) to a chosen file. */
export async function exportDiagnosticReport(deps: CommandDeps): Promise<void> {
  const now = new Date();
  const target = await vscode.window.showSaveDialog({
    defaultUri: vscode.Uri.file(`${os.homedir()}/${reportFileName(now)}`),
    filters: { Markdown: ['md'] },
    saveLabel: vscode.l10n.t('Save Report'),
  });
  if (!target) return;
  const report = renderDiagnosticReport({
    generatedAt: now,
    extension: deps.extension,
    host: {
      appName: vscode.env.appName,
      appVersion: vscode.version,
      platform: process.platform,
      arch: process.arch,
      node: process.versions.node,
      language: vscode.env.language,
      remoteName: vscode.env.remoteName,
    },
    usbmuxd: { address: deps.endpoint.addressText, demo: deps.endpoint.usingDemo, state: deps.monitor.state, error: deps.monitor.lastError?.message },
    backupFolder: deps.backups.root,
    devices: deps.monitor.devices().map((d) => ({ udid: d.udid, connectionType: d.connection.connectionType, facts: d.facts, error: d.factsError?.message })),
    operations: deps.history.all(),
    logLines: deps.log.recent.snapshot(200),
  });
  await vscode.workspace.fs.writeFile(target, Buffer.from(report, 'utf8'));
  deps.logger.info('diagnostic report written', { file: target.fsPath });
  const open = vscode.l10n.t('Open');
  const reveal = vscode.l10n.t('Reveal in Folder');
  void vscode.window.showInformationMessage(vscode.l10n.t('Diagnostic report saved to {0}.', target.fsPath), open, reveal).then((choice) => {
    if (choice === open) void vscode.window.showTextDocument(target);
    else if (choice === reveal) void revealPath(deps, target.fsPath);
  });
}
