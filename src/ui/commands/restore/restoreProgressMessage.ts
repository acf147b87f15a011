import * as vscode from 'vscode';
import { formatByteCount } from '../../../backup/engine/byteCount';
import type { RestoreProgress } from '../../../backup/restore/restoreProgress';

/** The progress notification's line for a restore phase. */
export function restoreProgressMessage(p: RestoreProgress): string {
  switch (p.phase) {
    case 'checking':
      return vscode.l10n.t('Checking the backup and the device…');
    case 'preparing':
      return vscode.l10n.t('Preparing the device…');
    case 'waiting-for-device':
      return vscode.l10n.t('Waiting for the device…');
    case 'transferring':
      return vscode.l10n.t('{0} files, {1}', p.filesSent, formatByteCount(p.bytesSent));
    case 'finishing':
      return vscode.l10n.t('Finishing…');
  }
}
