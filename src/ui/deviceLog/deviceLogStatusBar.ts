import * as vscode from 'vscode';
import { describeLogFilter } from '../../deviceLog/logFilter';
import type { DeviceLogDocuments } from './deviceLogDocuments';

/** Context keys the editor title menu uses to show Pause or Resume. */
const PAUSED_KEY = 'iosbr.deviceLog.paused';
const STREAMING_KEY = 'iosbr.deviceLog.streaming';

/**
 * While a device log is the active editor: a status bar item with its state, line counts and filter
 * (click to change the filter), and the context keys that pick the editor title buttons.
 */
export class DeviceLogStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('iosbr.deviceLog', vscode.StatusBarAlignment.Left, 40);
  private readonly subscriptions: vscode.Disposable[];
  private contextState = '';

  constructor(private readonly documents: DeviceLogDocuments) {
    this.item.name = vscode.l10n.t('Device Log');
    this.item.command = 'iosbr.deviceLog.filter';
    this.subscriptions = [
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      documents.onDidChange((uri) => {
        if (uri.toString() === vscode.window.activeTextEditor?.document.uri.toString()) this.update();
      }),
    ];
    this.update();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }

  private update(): void {
    const session = this.documents.sessionOf(vscode.window.activeTextEditor?.document.uri);
    const paused = session?.view.paused ?? false;
    const streaming = session?.state === 'streaming';
    const state = `${paused}/${streaming}`;
    if (state !== this.contextState) {
      this.contextState = state;
      void vscode.commands.executeCommand('setContext', PAUSED_KEY, paused);
      void vscode.commands.executeCommand('setContext', STREAMING_KEY, streaming);
    }
    if (!session) {
      this.item.hide();
      return;
    }
    const stats = session.view.stats();
    const icon = session.state === 'ended' ? '$(debug-stop)' : paused ? '$(debug-pause)' : '$(pulse)';
    const filter = describeLogFilter(session.view.filter);
    this.item.text = `${icon} ${vscode.l10n.t({ message: '{0} of {1} lines', args: [stats.shown.toLocaleString(), stats.received.toLocaleString()], comment: ['{0} lines shown, {1} lines received'] })}${filter ? ` $(filter) ${filter}` : ''}`;
    this.item.tooltip = [
      session.deviceName,
      session.state === 'ended' ? vscode.l10n.t('Stream ended') : paused ? vscode.l10n.t('Paused: lines keep arriving and show when you resume') : vscode.l10n.t('Streaming'),
      filter ? vscode.l10n.t({ message: 'Filter: {0}', args: [filter], comment: ['{0} is the filter, such as process=BackupAgent2 level≥Error'] }) : vscode.l10n.t('No filter'),
      vscode.l10n.t('Click to change the filter'),
    ].join('\n');
    this.item.show();
  }
}
