import * as vscode from 'vscode';
import { createLogFilter, type LogFilterSpec } from '../../../deviceLog/logFilter';
import { SYSLOG_LEVELS } from '../../../services/syslog/syslogLevel';
import type { DeviceLogSession } from '../../deviceLog/deviceLogSession';
import type { CommandDeps } from '../commandDeps';
import { targetDeviceLogSession } from './targetDeviceLogSession';

type FilterPart = 'process' | 'level' | 'match' | 'clear';

/** Applies a changed spec; an invalid one was already refused by the input's validation. */
function apply(session: DeviceLogSession, spec: LogFilterSpec): void {
  session.setFilter(createLogFilter(spec));
}

/** The validation message for a spec, or undefined when it is valid. */
function problemWith(spec: LogFilterSpec): string | undefined {
  try {
    createLogFilter(spec);
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/**
 * Filter Device Log: change the process, minimum level or regular expression of the active device
 * log while it streams; the document is re-filtered at once from everything kept.
 */
export async function filterDeviceLog(deps: CommandDeps, uri?: vscode.Uri): Promise<void> {
  const session = targetDeviceLogSession(deps, uri);
  if (!session) return;
  const spec: LogFilterSpec = { ...session.view.filter.spec };
  const any = vscode.l10n.t('(any)');
  const parts: Array<vscode.QuickPickItem & { part: FilterPart }> = [
    { part: 'process', label: `$(symbol-event) ${vscode.l10n.t('Process')}`, description: spec.process ?? any },
    { part: 'level', label: `$(warning) ${vscode.l10n.t('Minimum level')}`, description: spec.level ?? any },
    { part: 'match', label: `$(regex) ${vscode.l10n.t('Line matches')}`, description: spec.match ?? any },
    { part: 'clear', label: `$(clear-all) ${vscode.l10n.t('Clear all filters')}` },
  ];
  const picked = await vscode.window.showQuickPick(parts, { placeHolder: vscode.l10n.t({ message: 'Filter the log of {0}', args: [session.deviceName], comment: ['{0} is the device name'] }) });
  if (!picked) return;
  if (picked.part === 'clear') return apply(session, {});
  if (picked.part === 'level') {
    const levels = [{ label: vscode.l10n.t('Any level'), level: undefined as string | undefined }, ...SYSLOG_LEVELS.map((level) => ({ label: level, level }))];
    const level = await vscode.window.showQuickPick(levels, { placeHolder: vscode.l10n.t('Show this level and more severe ones') });
    if (level) apply(session, { ...spec, level: level.level });
    return;
  }
  const isProcess = picked.part === 'process';
  const value = await vscode.window.showInputBox({
    value: (isProcess ? spec.process : spec.match) ?? '',
    prompt: isProcess
      ? vscode.l10n.t('Process names or pids, separated by "|" (for example BackupAgent2|backupd). Empty shows every process.')
      : vscode.l10n.t('A regular expression tested against each line; /pattern/i ignores case. Empty shows every line.'),
    validateInput: (text) => problemWith(isProcess ? { ...spec, process: text } : { ...spec, match: text }),
  });
  if (value === undefined) return;
  apply(session, isProcess ? { ...spec, process: value || undefined } : { ...spec, match: value || undefined });
}
