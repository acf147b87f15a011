import * as vscode from 'vscode';
import { backupName, type BackupSummary } from '../../../backup/format/backupFolder';
import type { RestorePreflightResult } from '../../../restore/restorePreflight';
import type { Lang } from '../../../common/localizedText';
import type { MonitoredDevice } from '../../devices/deviceMonitor';
import { confirmAction } from '../../util/confirmAction';

/**
 * The last question before a device is overwritten: a modal that names the device (name, model, UDID), the
 * backup it receives, and every check that warned or could not be told. Returns true only for the button.
 */
export async function confirmRestore(backup: BackupSummary, target: MonitoredDevice, result: RestorePreflightResult, locale: string, lang: Lang): Promise<boolean> {
  const name = target.facts?.name ?? target.udid;
  const source = backupName(backup);
  const date = backup.date ? new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(backup.date) : vscode.l10n.t('unknown date');
  const open = result.checks.filter((c) => c.status === 'warn' || c.status === 'unknown');
  const lines = [
    vscode.l10n.t('Everything on {0} ({1}, UDID {2}) will be replaced by the backup of {3} from {4}.', name, target.facts?.marketingName ?? target.facts?.productType ?? '?', target.udid, source, date),
    ...(open.length > 0 ? ['', vscode.l10n.t('Checks to note:'), ...open.map((c) => `• ${c.title[lang]}: ${c.sentence[lang]}`)] : []),
  ];
  return confirmAction(vscode.l10n.t('Restore {0} to {1}?', source, name), lines.join('\n'), vscode.l10n.t('Restore to {0}', name));
}
