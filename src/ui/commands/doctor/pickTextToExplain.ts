import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CommandDeps } from '../commandDeps';

/** Text for the failure doctor, with the lines that tell the reader what was examined. */
export interface TextToExplain {
  text: string;
  /** What the text is (the report document's first line). */
  heading: string;
  /** What was left out or how to read line numbers. */
  notes: string[];
}

/**
 * Characters of a document or selection the doctor reads: more than any failure log holds, and
 * bounded so a huge file cannot stall the extension host (the doctor reads a few megabytes a second).
 */
export const MAX_EXPLAINED_CHARS = 2_000_000;

/** Characters of pasted text quoted in the heading. */
const MAX_QUOTED_CHARS = 120;

/**
 * What to explain. From the editor's context menu (`uri` is the editor's document): its selection,
 * else its text. From the palette: a pick of the selection, the active editor's text, the extension's
 * log and pasted text (straight to the input box when pasting is the only choice). Undefined when dismissed.
 */
export async function pickTextToExplain(deps: CommandDeps, uri: vscode.Uri | undefined): Promise<TextToExplain | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (uri && editor && editor.document.uri.toString() === uri.toString()) {
    return editor.selection.isEmpty ? documentText(editor.document) : selectionText(editor.document, editor.selection);
  }
  const choices: (vscode.QuickPickItem & { take: () => Promise<TextToExplain | undefined> | TextToExplain })[] = [];
  if (editor && !editor.selection.isEmpty) {
    const selection = editor.selection;
    choices.push({ label: `$(selection) ${vscode.l10n.t('The selected text')}`, description: nameOf(editor.document), take: () => selectionText(editor.document, selection) });
  }
  if (editor) {
    choices.push({ label: `$(file) ${vscode.l10n.t("The active editor's text")}`, description: nameOf(editor.document), take: () => documentText(editor.document) });
  }
  const logLines = deps.log.recent.snapshot();
  if (logLines.length > 0) {
    const text = logLines.map((l) => `${l.time.toISOString()} [${l.level}] ${l.text}`).join('\n');
    const heading = vscode.l10n.t({ message: "The extension's log (its last {0} lines)", args: [logLines.length], comment: ['{0} is a number of lines'] });
    choices.push({ label: `$(output) ${vscode.l10n.t("The extension's log")}`, description: vscode.l10n.t({ message: 'last {0} lines', args: [logLines.length], comment: ['{0} is a number of lines'] }), take: () => ({ text, heading, notes: [] }) });
  }
  choices.push({ label: `$(edit) ${vscode.l10n.t('Paste an error code, message or log line…')}`, take: pastedText });
  if (choices.length === 1) return pastedText();
  const picked = await vscode.window.showQuickPick(choices, { placeHolder: vscode.l10n.t('What should the failure doctor explain?') });
  return picked?.take();
}

async function pastedText(): Promise<TextToExplain | undefined> {
  const text = await vscode.window.showInputBox({
    title: vscode.l10n.t('Explain a Restore Error'),
    prompt: vscode.l10n.t('An error code (211, -211, exit status 45), an error name (InvalidHostID), or a message or log line as the tool printed it.'),
    placeHolder: 'ErrorCode 211: Find My iPhone must be disabled before restoring (MBErrorDomain/211)',
    // The person may switch windows to copy the text.
    ignoreFocusOut: true,
    validateInput: (value) => (value.trim() === '' ? vscode.l10n.t('Paste or type what to explain.') : undefined),
  });
  if (text === undefined || text.trim() === '') return undefined;
  const flat = text.replace(/\s+/g, ' ').trim();
  const quoted = flat.length > MAX_QUOTED_CHARS ? `${flat.slice(0, MAX_QUOTED_CHARS)}…` : flat;
  return { text: text.slice(0, MAX_EXPLAINED_CHARS), heading: vscode.l10n.t({ message: 'Pasted: {0}', args: [quoted], comment: ['{0} is the pasted text'] }), notes: [] };
}

function documentText(document: vscode.TextDocument): TextToExplain {
  const all = new vscode.Range(0, 0, document.lineCount, 0);
  return boundedText(document, document.validateRange(all), vscode.l10n.t({ message: 'The text of {0}', args: [nameOf(document)], comment: ['{0} is a file or document name'] }));
}

function selectionText(document: vscode.TextDocument, selection: vscode.Range): TextToExplain {
  const first = selection.start.line + 1;
  const heading = vscode.l10n.t({ message: 'The selected text of {0} (lines {1} to {2})', args: [nameOf(document), first, selection.end.line + 1], comment: ['{0} is a file or document name, {1} and {2} line numbers'] });
  const read = boundedText(document, selection, heading);
  // The doctor counts lines from the start of what it was given.
  if (first > 1) read.notes.push(vscode.l10n.t({ message: 'Line 1 below is line {0} of the document.', args: [first], comment: ['{0} is a line number'] }));
  return read;
}

/** The range's text, or its first whole lines up to MAX_EXPLAINED_CHARS, with a note saying so. */
function boundedText(document: vscode.TextDocument, range: vscode.Range, heading: string): TextToExplain {
  const start = document.offsetAt(range.start);
  if (document.offsetAt(range.end) - start <= MAX_EXPLAINED_CHARS) return { text: document.getText(range), heading, notes: [] };
  let end = document.positionAt(start + MAX_EXPLAINED_CHARS);
  // Whole lines only: a line cut short could read as another code ("ErrorCode 21" of "ErrorCode 211").
  if (end.line > range.start.line) end = new vscode.Position(end.line, 0);
  const examined = Math.max(1, end.line - range.start.line);
  const total = range.end.line - range.start.line + 1;
  const note = vscode.l10n.t({
    message: 'Only the first {0} of {1} lines were examined: the doctor reads at most {2} characters.',
    args: [examined.toLocaleString(), total.toLocaleString(), MAX_EXPLAINED_CHARS.toLocaleString()],
    comment: ['{0} and {1} are numbers of lines, {2} a number of characters'],
  });
  return { text: document.getText(new vscode.Range(range.start, end)), heading, notes: [note] };
}

/** The document's name as its tab shows it. */
function nameOf(document: vscode.TextDocument): string {
  return document.uri.scheme === 'file' ? document.uri.fsPath : path.posix.basename(document.uri.path) || document.uri.toString();
}
