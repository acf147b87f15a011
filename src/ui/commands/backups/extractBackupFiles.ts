import * as vscode from 'vscode';
import { formatByteCount } from '../../../common/byteCount';
import { backupName } from '../../../backup/format/backupFolder';
import { withOperationProgress } from '../../progress/withOperationProgress';
import type { BackupTreeNode } from '../../backups/backupsTreeProvider';
import type { CommandDeps } from '../commandDeps';
import { openBackupReader } from './openBackupReader';
import { backupFor } from './pickBackup';
import { revealPath } from './revealPath';

/** How many skipped entries are written to the log one by one. */
const SKIPPED_LOG_LIMIT = 50;

/** Extract Files: copies (decrypted) files of one domain or of all domains out of a backup into a folder. */
export async function extractBackupFiles(deps: CommandDeps, node?: BackupTreeNode): Promise<void> {
  const backup = await backupFor(deps, node, { placeHolder: vscode.l10n.t('Choose the backup to extract from'), filter: (b) => b.complete });
  if (!backup) return;
  const reader = await openBackupReader(deps, backup);
  try {
    const counts = new Map<string, number>();
    for await (const entry of reader.iterateEntries()) if (entry.kind === 'file') counts.set(entry.domain, (counts.get(entry.domain) ?? 0) + 1);
    const all = { label: vscode.l10n.t('All domains'), description: vscode.l10n.t('{0} files', [...counts.values()].reduce((a, b) => a + b, 0)), domain: undefined as string | undefined };
    const domains = [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([domain, n]) => ({ label: domain, description: vscode.l10n.t('{0} files', n), domain }));
    const choice = await vscode.window.showQuickPick([all, ...domains], { placeHolder: vscode.l10n.t('Which files to extract'), matchOnDescription: true });
    if (!choice) return;
    const [folder] =
      (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: vscode.l10n.t('Extract Here') })) ?? [];
    if (!folder) return;
    const result = await withOperationProgress(deps.operations, vscode.l10n.t('Extracting from the backup of {0}', backupName(backup)), (report, token) =>
      reader.extract(folder.fsPath, {
        domain: choice.domain,
        token,
        onProgress: (p) => report((p.entriesDone / Math.max(1, p.entriesTotal)) * 100, vscode.l10n.t('{0} of {1} items, {2}', p.entriesDone, p.entriesTotal, formatByteCount(p.bytesWritten))),
      }),
    );
    for (const s of [...result.skipped].sort((a, b) => Number(b.failed) - Number(a.failed)).slice(0, SKIPPED_LOG_LIMIT)) deps.logger.warn(s.failed ? 'not extracted' : 'skipped', { file: `${s.domain}/${s.relativePath}`, reason: s.reason });
    deps.logger.info('extracted', { backup: backup.dir, out: folder.fsPath, files: result.filesWritten, bytes: result.bytesWritten, skipped: result.skipped.length });
    const reveal = vscode.l10n.t('Reveal in Folder');
    const openLog = vscode.l10n.t('Open Log');
    const summary = vscode.l10n.t('Extracted {0} files ({1}) to {2}.', result.filesWritten, formatByteCount(result.bytesWritten), folder.fsPath);
    // A file that could not be read or written is a failure the engineer must see, not a quiet "skipped" (links are left out on purpose).
    const failed = result.skipped.filter((s) => s.failed).length;
    const leftOut = result.skipped.length - failed;
    const skipped = leftOut ? ' ' + vscode.l10n.t('{0} items were skipped; the log says why.', leftOut) : '';
    const notExtracted = failed ? ' ' + vscode.l10n.t('{0} files could not be extracted; the log says why, and everything else was written.', failed) : '';
    const show = failed ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void show(summary + notExtracted + skipped, reveal, openLog).then((picked) => {
      if (picked === reveal) void revealPath(deps, folder.fsPath);
      else if (picked === openLog) deps.log.show();
    });
  } finally {
    reader.close();
  }
}
