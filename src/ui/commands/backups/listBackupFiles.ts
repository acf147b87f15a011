import * as vscode from 'vscode';
import { formatByteCount } from '../../../common/byteCount';
import type { BackupTreeNode } from '../../backups/backupsTreeProvider';
import { backupNodeModel } from '../../backups/backupNodeModel';
import type { CommandDeps } from '../commandDeps';
import { openBackupReader } from './openBackupReader';
import { backupFor } from './pickBackup';

/** List Files: opens a document listing every file of a backup (domain, path, size). */
export async function listBackupFiles(deps: CommandDeps, node?: BackupTreeNode): Promise<void> {
  const backup = await backupFor(deps, node, { placeHolder: vscode.l10n.t('Choose the backup to list'), filter: (b) => b.complete });
  if (!backup) return;
  const reader = await openBackupReader(deps, backup);
  let lines: string[];
  let count = 0;
  try {
    const model = backupNodeModel(backup, deps.locale);
    lines = [`# ${backup.deviceName ?? backup.udid} · ${model.label} · ${backup.dir}`, `# ${vscode.l10n.t('domain')}\t${vscode.l10n.t('path')}\t${vscode.l10n.t('size')}`];
    for await (const entry of reader.iterateEntries()) {
      if (entry.kind !== 'file') continue;
      count++;
      lines.push(`${entry.domain}\t${entry.relativePath}\t${entry.size === undefined ? '?' : formatByteCount(entry.size)}`);
    }
  } finally {
    reader.close();
  }
  deps.logger.info('backup listed', { backup: backup.dir, files: count });
  const document = await vscode.workspace.openTextDocument({ language: 'plaintext', content: lines.join('\n') + '\n' });
  await vscode.window.showTextDocument(document, { preview: true });
}
