import type { BackupTreeNode } from '../../backups/backupsTreeProvider';
import type { CommandDeps } from '../commandDeps';
import { revealPath } from './revealPath';

/** Reveal in Folder: shows a backup's folder, or the backup folder itself from the view title or palette. */
export async function revealBackup(deps: CommandDeps, node?: BackupTreeNode): Promise<void> {
  const target = node && typeof node === 'object' && 'kind' in node && node.kind === 'backup' ? node.model.dir : deps.backups.root;
  await revealPath(deps, target);
}
