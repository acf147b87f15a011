import * as vscode from 'vscode';
import { DEVICE_LOG_SCHEME } from './deviceLogDocuments';

/** How close to the end the view must be to keep following new lines. */
const FOLLOW_SLACK_LINES = 2;

/**
 * Keeps editors that show the end of a streaming device log at its end as lines arrive, like
 * `tail -f`; an editor scrolled up to read stays where it is.
 */
export function followDeviceLogTail(): vscode.Disposable {
  const lineCounts = new Map<string, number>();
  const changes = vscode.workspace.onDidChangeTextDocument((event) => {
    const document = event.document;
    if (document.uri.scheme !== DEVICE_LOG_SCHEME) return;
    const key = document.uri.toString();
    const before = lineCounts.get(key) ?? 0;
    lineCounts.set(key, document.lineCount);
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document !== document) continue;
      const lastVisible = editor.visibleRanges[editor.visibleRanges.length - 1]?.end.line ?? 0;
      if (lastVisible < before - 1 - FOLLOW_SLACK_LINES) continue;
      const end = new vscode.Position(Math.max(0, document.lineCount - 1), 0);
      editor.revealRange(new vscode.Range(end, end), vscode.TextEditorRevealType.Default);
    }
  });
  const closes = vscode.workspace.onDidCloseTextDocument((document) => lineCounts.delete(document.uri.toString()));
  return vscode.Disposable.from(changes, closes);
}
