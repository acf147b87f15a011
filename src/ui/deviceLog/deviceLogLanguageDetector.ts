import * as vscode from 'vscode';
import { looksLikeDeviceLog } from '../../deviceLog/deviceLogFirstLine';

/** The language id of device logs (package.json contributes it with the grammar). */
export const DEVICE_LOG_LANGUAGE = 'ios-device-log';

/** Languages a saved device log may open as before we look at its first line. */
const CLAIMABLE = new Set(['log', 'plaintext']);

/**
 * Gives `.log` and text files whose first line is a device log record the device log language.
 * A language's `firstLine` never wins over a file extension another language owns (`.log` belongs
 * to VS Code's Log language), so the check runs when such a document opens.
 */
export function watchForDeviceLogFiles(): vscode.Disposable {
  const claim = (document: vscode.TextDocument) => {
    if (!CLAIMABLE.has(document.languageId) || document.lineCount === 0) return;
    if (looksLikeDeviceLog(document.lineAt(0).text)) void vscode.languages.setTextDocumentLanguage(document, DEVICE_LOG_LANGUAGE);
  };
  vscode.workspace.textDocuments.forEach(claim);
  return vscode.workspace.onDidOpenTextDocument(claim);
}
