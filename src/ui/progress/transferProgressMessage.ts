import * as vscode from 'vscode';
import { formatByteCount } from '../../common/byteCount';
import type { TransferPhase } from '../../backup/transfer/transferProgressTracker';

/** The progress notification's line for a backup or restore phase, with the files and bytes moved so far. */
export function transferProgressMessage(phase: TransferPhase | 'checking', files: number, bytes: number): string {
  switch (phase) {
    case 'checking':
      return vscode.l10n.t('Checking the backup and the device…');
    case 'preparing':
      return vscode.l10n.t('Preparing…');
    case 'waiting-for-device':
      return vscode.l10n.t('Waiting for the device…');
    case 'transferring':
      return vscode.l10n.t('{0} files, {1}', files, formatByteCount(bytes));
    case 'finishing':
      return vscode.l10n.t('Finishing…');
  }
}
