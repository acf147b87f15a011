import * as vscode from 'vscode';
import { findErrorCodeMentions } from '../../deviceLog/findErrorCodeMentions';
import { explainMbError } from '../../deviceLog/mbErrorExplanations';

/**
 * Explains MobileBackup error codes under the mouse ("ErrorCode 104", "MBErrorDomain/211"): what
 * the code means and what to do, from the failure knowledge base, in the UI language.
 */
export class ErrorCodeHoverProvider implements vscode.HoverProvider {
  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const line = document.lineAt(position.line).text;
    const mention = findErrorCodeMentions(line).find((m) => position.character >= m.start && position.character <= m.end);
    if (!mention) return undefined;
    const explanation = explainMbError(mention.code);
    const text = new vscode.MarkdownString();
    text.appendMarkdown(`**MBErrorDomain/${mention.code}**\n\n`);
    if (explanation) {
      // The knowledge base's English sentences are the keys of the l10n bundle.
      text.appendText(vscode.l10n.t(explanation.meaning));
      text.appendMarkdown(`\n\n**${vscode.l10n.t('What to do')}:** `);
      text.appendText(vscode.l10n.t(explanation.fix));
    } else {
      text.appendText(vscode.l10n.t('This code is not in the failure knowledge base. Look at the device log lines just before it for the reason.'));
    }
    return new vscode.Hover(text, new vscode.Range(position.line, mention.start, position.line, mention.end));
  }
}
