import * as vscode from 'vscode';
import { levelPasses, LineLogger, type Logger, type LogLevel, type WrittenLevel } from '../../common/logger';
import type { ExtensionSettings } from '../settings/extensionSettings';
import { RecentLogLines } from './recentLogLines';

/** The channel's name; the same in every language so support staff can ask for "the log" by name. */
export const LOG_CHANNEL_NAME = 'iOS Backup & Restore';

const FROM_VSCODE: Record<vscode.LogLevel, LogLevel> = {
  [vscode.LogLevel.Off]: 'off',
  [vscode.LogLevel.Trace]: 'trace',
  [vscode.LogLevel.Debug]: 'debug',
  [vscode.LogLevel.Info]: 'info',
  [vscode.LogLevel.Warning]: 'warn',
  [vscode.LogLevel.Error]: 'error',
};

/**
 * The extension's log: a LogOutputChannel ("Developer: Set Log Level…" applies to it) plus the
 * `iosbr.logLevel` setting, adapted to the core's Logger. Debug lines are always kept in memory for
 * the diagnostic report, even when the channel shows less.
 */
export class ExtensionLog implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  readonly recent = new RecentLogLines();
  readonly logger: Logger;

  constructor(settings: ExtensionSettings) {
    this.channel = vscode.window.createOutputChannel(LOG_CHANNEL_NAME, { log: true });
    const shown = (): LogLevel => {
      const configured = settings.logLevel();
      return configured === 'inherit' ? FROM_VSCODE[this.channel.logLevel] : configured;
    };
    // The memory buffer keeps at least debug lines; trace only when the user asked for it.
    const kept = (): LogLevel => {
      const level = shown();
      return levelPasses('debug', level) ? level : 'debug';
    };
    const sink = (level: WrittenLevel, line: string): void => {
      if (levelPasses(level, 'debug')) this.recent.add(level, line);
      if (levelPasses(level, shown())) this.channel[level](line);
    };
    this.logger = new LineLogger(sink, kept);
  }

  /** Brings the channel into view. */
  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
