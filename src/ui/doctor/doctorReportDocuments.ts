import * as vscode from 'vscode';

/** The URI scheme of the failure doctor's reports (read-only documents). */
export const DOCTOR_REPORT_SCHEME = 'iosbr-doctor';

/** The language of the reports (package.json): plain text that wraps, so long causes and fixes stay in view. */
export const DOCTOR_REPORT_LANGUAGE = 'iosbr-failure-explanation';

/** Reports kept for reopening (a closed tab can be reopened); older ones are dropped. */
const KEPT_REPORTS = 20;

/**
 * The read-only documents that show the failure doctor's reports: a TextDocumentContentProvider on
 * the `iosbr-doctor` scheme, in a language of their own that wraps long lines. Read-only, so closing
 * one never asks to save it.
 */
export class DoctorReportDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly registration: vscode.Disposable;
  private shown = 0;

  constructor() {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(DOCTOR_REPORT_SCHEME, this);
  }

  /** Opens a report in an editor; `title` names its tab. */
  async show(title: string, lines: readonly string[]): Promise<void> {
    // The number keeps each report its own document; the title stays the tab's name.
    const uri = vscode.Uri.from({ scheme: DOCTOR_REPORT_SCHEME, path: `/${++this.shown}/${fileNameFor(title)}` });
    this.texts.set(uri.toString(), lines.join('\n') + '\n');
    if (this.texts.size > KEPT_REPORTS) this.texts.delete(this.texts.keys().next().value as string);
    const document = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), DOCTOR_REPORT_LANGUAGE);
    await vscode.window.showTextDocument(document, { preview: false });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? vscode.l10n.t('This explanation is no longer kept. Run Explain a Restore Error again to see it.') + '\n';
  }

  dispose(): void {
    this.registration.dispose();
    this.texts.clear();
  }
}

/** A file name from a title: no path separators or characters file systems refuse. */
function fileNameFor(title: string): string {
  return title.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '-').trim() || 'report';
}
