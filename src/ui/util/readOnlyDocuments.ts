import * as vscode from 'vscode';

/** Reports kept for reopening (a closed tab can be reopened); older ones are dropped. */
const KEPT_REPORTS = 20;

/** What tells one kind of read-only report from another. */
export interface ReadOnlyDocumentsKind {
  /** The URI scheme the reports are served on. */
  scheme: string;
  /** The language the editor shows them in. */
  language: string;
  /** Appended to the tab's name (e.g. ".md"), or empty. */
  extension: string;
  /** The tab's name when the title has none left after cleaning. */
  fallbackName: string;
  /** What a reopened tab says once its report was dropped (localized when called). */
  noLongerKept: () => string;
}

/**
 * Reports shown as read-only documents (a TextDocumentContentProvider on their own scheme): closing one
 * never asks to save it, and Save As or copy puts it in a ticket. The last reports are kept so a closed
 * tab can be reopened.
 */
export class ReadOnlyDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly registration: vscode.Disposable;
  private shown = 0;

  constructor(private readonly kind: ReadOnlyDocumentsKind) {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(kind.scheme, this);
  }

  /** Opens a report in an editor; `title` names its tab. */
  async show(title: string, lines: readonly string[]): Promise<void> {
    // The number keeps each report its own document; the title stays the tab's name.
    const uri = vscode.Uri.from({ scheme: this.kind.scheme, path: `/${++this.shown}/${this.fileNameFor(title)}${this.kind.extension}` });
    this.texts.set(uri.toString(), lines.join('\n') + '\n');
    if (this.texts.size > KEPT_REPORTS) this.texts.delete(this.texts.keys().next().value as string);
    const document = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), this.kind.language);
    await vscode.window.showTextDocument(document, { preview: false });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? this.kind.noLongerKept() + '\n';
  }

  dispose(): void {
    this.registration.dispose();
    this.texts.clear();
  }

  /** A file name from a title: no path separators or characters file systems refuse. */
  private fileNameFor(title: string): string {
    return title.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '-').trim() || this.kind.fallbackName;
  }
}
