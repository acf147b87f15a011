import * as vscode from 'vscode';
import { bundledKnowledgeBase, explainText, formatFailureReport } from '../../../doctor';
import { uiLanguage } from '../../util/uiLanguage';
import type { CommandDeps } from '../commandDeps';
import { pickTextToExplain } from './pickTextToExplain';

/**
 * Explain a Restore Error…: the failure doctor's report (cause, what to check, what to do) on pasted
 * text, the selection, the active editor's text or the extension's log, in a read-only document.
 * What it cannot recognise it reports as unknown, with what it parsed.
 */
export async function explainRestoreError(deps: CommandDeps, uri?: unknown): Promise<void> {
  // From the editor's context menu VS Code passes the document's URI; from the palette nothing.
  const chosen = await pickTextToExplain(deps, uri instanceof vscode.Uri ? uri : undefined);
  if (!chosen) return;
  const report = explainText(chosen.text, bundledKnowledgeBase());
  deps.logger.info('failure doctor explained text', { lines: report.linesRead, findings: report.findings.length + report.omittedFindings, recognised: report.recognised });
  await deps.doctorReports.show(vscode.l10n.t('Failure Explanation'), [chosen.heading, ...chosen.notes, '', ...formatFailureReport(report, uiLanguage(deps.locale))]);
}
