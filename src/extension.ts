import * as vscode from 'vscode';

/** Composition root: builds the pieces in dependency order and registers their disposables. */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('iOS Backup & Restore', { log: true });
  context.subscriptions.push(log);
  context.subscriptions.push(vscode.commands.registerCommand('iosbr.log.show', () => log.show()));
}

export function deactivate(): void {}
