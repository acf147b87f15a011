import * as vscode from 'vscode';
import { backupName, type BackupSummary } from '../../../backup/format/backupFolder';
import type { BackupTreeNode } from '../../backups/backupsTreeProvider';
import { backupNodeModel } from '../../backups/backupNodeModel';
import type { CommandDeps } from '../commandDeps';

/**
 * The backup a command works on: the clicked backup node, else the only fitting one, else one chosen
 * from the backup folder in a quick pick. Returns undefined when the user dismissed the pick or no backup fits.
 */
export async function backupFor(
  deps: CommandDeps,
  node: BackupTreeNode | undefined,
  options: { placeHolder: string; filter?: (b: BackupSummary) => boolean },
): Promise<BackupSummary | undefined> {
  if (node && typeof node === 'object' && 'kind' in node && node.kind === 'backup') return node.model.summary;
  const fits = options.filter ?? (() => true);
  const candidates = (await deps.backups.list()).filter(fits);
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No suitable backup in {0}.', deps.backups.root));
    return undefined;
  }
  if (candidates.length === 1) return candidates[0];
  const picked = await vscode.window.showQuickPick(
    candidates.map((summary) => {
      const model = backupNodeModel(summary, deps.locale);
      return { label: backupName(summary), description: `${model.label} · ${model.description}`, detail: summary.dir, summary };
    }),
    { placeHolder: options.placeHolder, matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.summary;
}
