import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { benchReportCsv, benchReportMarkdown } from '../../../kitting/benchReport';
import { uiLanguage } from '../../util/uiLanguage';
import type { CommandDeps } from '../commandDeps';

/** bench-report-YYYY-MM-DD-HHMM (local time, as the person at the bench reads the clock). */
export function benchReportBaseName(at: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return `bench-report-${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}-${two(at.getHours())}${two(at.getMinutes())}`;
}

/**
 * "Export Bench Report…": every row of the bench as Markdown or CSV (chosen by the file's type in the save
 * dialog), in the UI language, for the ticket; then offers to open it.
 */
export async function exportBenchReport(deps: CommandDeps): Promise<void> {
  const rows = deps.bench.rows;
  if (rows.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('The bench is empty: there is nothing to report yet.'));
    return;
  }
  const now = new Date();
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(deps.backups.root);
  const target = await vscode.window.showSaveDialog({
    title: vscode.l10n.t('Export Bench Report'),
    defaultUri: vscode.Uri.joinPath(folder, `${benchReportBaseName(now)}.md`),
    filters: { [vscode.l10n.t('Markdown')]: ['md'], [vscode.l10n.t('CSV (spreadsheet)')]: ['csv'] },
  });
  if (!target) return;
  const lang = uiLanguage(deps.locale);
  const csv = path.extname(target.fsPath).toLowerCase() === '.csv';
  const text = csv ? benchReportCsv(rows, lang) : benchReportMarkdown(rows, lang, now);
  await writeFile(target.fsPath, text, 'utf8');
  deps.logger.info('bench report written', { file: target.fsPath, rows: rows.length, format: csv ? 'csv' : 'markdown' });
  const open = vscode.l10n.t('Open');
  const choice = await vscode.window.showInformationMessage(vscode.l10n.t('Bench report saved to {0}.', target.fsPath), open);
  if (choice === open) await vscode.window.showTextDocument(target);
}
