import * as vscode from 'vscode';
import { ReadOnlyDocuments } from '../util/readOnlyDocuments';

/** The URI scheme of the health reports (read-only documents). */
export const BACKUP_HEALTH_SCHEME = 'iosbr-backup-health';

/** The read-only Markdown documents that show Verify Backup's reports. */
export class BackupHealthDocuments extends ReadOnlyDocuments {
  constructor() {
    super({
      scheme: BACKUP_HEALTH_SCHEME,
      language: 'markdown',
      extension: '.md',
      fallbackName: 'backup-health',
      noLongerKept: () => vscode.l10n.t('This report is no longer kept. Run Verify Backup again to see it.'),
    });
  }
}
