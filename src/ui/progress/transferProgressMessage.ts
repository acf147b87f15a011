import * as vscode from 'vscode';
import { formatByteCount } from '../../common/byteCount';
import type { TransferPhase } from '../../backup/transfer/transferProgressTracker';

/** The progress notification's line for a backup or restore phase, with the files and bytes moved so far. */
export function transferProgressMessage(phase: TransferPhase | 'checking', files: number, bytes: number): string {
  return {
    checking: vscode.l10n.t('Checking the backup and the device…'),
    preparing: vscode.l10n.t('Preparing…'),
    'waiting-for-device': vscode.l10n.t('Waiting for the device…'),
    transferring: vscode.l10n.t('{0} files, {1}', files, formatByteCount(bytes)),
    finishing: vscode.l10n.t('Finishing…'),
  }[phase];
}
