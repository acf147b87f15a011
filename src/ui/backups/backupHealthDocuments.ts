import * as vscode from 'vscode';

/** The URI scheme of the health reports (read-only documents). */
export const BACKUP_HEALTH_SCHEME = 'iosbr-backup-health';

/** Reports kept for reopening (a closed tab can be reopened); older ones are dropped. */
const KEPT_REPORTS = 20;

/**
 * The read-only Markdown documents that show Verify Backup's reports. Read-only, so closing one
 * never asks to save it; Save As (or copy) puts it in a ticket.
 */
export class BackupHealthDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly registration: vscode.Disposable;
  private shown = 0;

  constructor() {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(BACKUP_HEALTH_SCHEME, this);
  }

  /** Opens a report in an editor; `title` names its tab (with .md, so it opens as Markdown). */
  async show(title: string, lines: readonly string[]): Promise<void> {
    // The number keeps each report its own document; the title stays the tab's name.
    const uri = vscode.Uri.from({ scheme: BACKUP_HEALTH_SCHEME, path: `/${++this.shown}/${fileNameFor(title)}.md` });
    this.texts.set(uri.toString(), lines.join('\n') + '\n');
    if (this.texts.size > KEPT_REPORTS) this.texts.delete(this.texts.keys().next().value as string);
    const document = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), 'markdown');
    await vscode.window.showTextDocument(document, { preview: false });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? vscode.l10n.t('This report is no longer kept. Run Verify Backup again to see it.') + '\n';
  }

  dispose(): void {
    this.registration.dispose();
    this.texts.clear();
  }
}

/** A file name from a title: no path separators or characters file systems refuse. */
function fileNameFor(title: string): string {
  return title.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '-').trim() || 'backup-health';
}
