import * as vscode from 'vscode';
import { backupName, type BackupSummary } from '../../../backup/format/backupFolder';
import type { MonitoredDevice } from '../../devices/deviceMonitor';
import { modelText } from '../../devices/deviceNodeModel';
import { confirmAction } from '../../util/confirmAction';

/** The most devices the question lists one by one; a longer batch names the rest by count (a modal has no scroll bar). */
const LISTED_DEVICES = 20;

/**
 * The one question before a batch restore: a modal naming every target (name, model, UDID) and what it loses,
 * plus, when asked for, the devices in Setup Assistant that attach later. True only for the button.
 */
export async function confirmBatchRestore(backup: BackupSummary, targets: readonly MonitoredDevice[], fromNowOn: boolean, locale: string): Promise<boolean> {
  const source = backupName(backup);
  const date = backup.date ? new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(backup.date) : vscode.l10n.t('unknown date');
  const listed = targets.slice(0, LISTED_DEVICES).map((t) => `• ${t.facts?.name ?? t.udid} (${[modelText(t.facts), `UDID ${t.udid}`].filter(Boolean).join(', ')})`);
  const more = targets.length > LISTED_DEVICES ? [vscode.l10n.t('… and {0} more devices', targets.length - LISTED_DEVICES)] : [];
  const lines = [
    ...(targets.length > 0 ? [vscode.l10n.t('Everything on these devices (apps, data, settings) will be erased and replaced by the backup of {0} from {1}:', source, date), ...listed, ...more] : []),
    ...(fromNowOn
      ? ['', vscode.l10n.t('Also every device attached from now on that is still in Setup Assistant (never a device already set up, nor {0} itself), until the bench is cleared.', source)]
      : []),
    '',
    vscode.l10n.t('The restore checks run on each device first; a device that fails them is left untouched.'),
  ];
  const [question, button] =
    targets.length === 0
      ? [vscode.l10n.t('Restore {0} to every device attached from now on?', source), vscode.l10n.t('Restore to Devices Attached from Now On')]
      : targets.length === 1
        ? [vscode.l10n.t('Restore {0} to {1}?', source, targets[0].facts?.name ?? targets[0].udid), vscode.l10n.t('Restore to {0}', targets[0].facts?.name ?? targets[0].udid)]
        : [vscode.l10n.t('Restore {0} to {1} devices?', source, targets.length), vscode.l10n.t('Restore to {0} Devices', targets.length)];
  return confirmAction(question, lines.join('\n'), button);
}
