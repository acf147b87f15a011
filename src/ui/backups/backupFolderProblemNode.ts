import * as vscode from 'vscode';
import { errorMessageForPeople } from '../../common/fileSystemErrorText';

/** Shown instead of backups when the backup folder cannot be read; clicking it tries again. */
export class BackupFolderProblemNode {
  readonly kind = 'problem';

  constructor(
    readonly root: string,
    readonly error: Error,
  ) {}

  /** The tree item: a warning naming the folder, with the reason as tooltip. */
  toTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Cannot read the backup folder'), vscode.TreeItemCollapsibleState.None);
    item.id = 'backup-folder-problem';
    item.description = this.root;
    item.tooltip = errorMessageForPeople(this.error);
    item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
    item.contextValue = 'backupFolderProblem';
    item.command = { command: 'iosbr.backups.refresh', title: vscode.l10n.t('Try again') };
    return item;
  }
}
