import * as vscode from 'vscode';
import { errorMessageForPeople } from '../../common/fileSystemErrorText';
import { themeIcon, treeItem } from '../util/treeItem';

/** Shown instead of backups when the backup folder cannot be read; clicking it tries again. */
export class BackupFolderProblemNode {
  readonly kind = 'problem';

  constructor(
    readonly root: string,
    readonly error: Error,
  ) {}

  /** The tree item: a warning naming the folder, with the reason as tooltip. */
  toTreeItem(): vscode.TreeItem {
    return treeItem(vscode.l10n.t('Cannot read the backup folder'), vscode.TreeItemCollapsibleState.None, {
      id: 'backup-folder-problem',
      description: this.root,
      tooltip: errorMessageForPeople(this.error),
      iconPath: themeIcon('warning'),
      contextValue: 'backupFolderProblem',
      command: { command: 'iosbr.backups.refresh', title: vscode.l10n.t('Try again') },
    });
  }
}
