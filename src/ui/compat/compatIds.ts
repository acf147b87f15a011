import type { CommandId } from '../commandIds';

/** The webview type of the panel; package.json's `onWebviewPanel:` activation event names it. */
export const COMPAT_VIEW_TYPE = 'iosbr.compatMatrix';

/** The restore command; the panel's restore button runs it. */
export const RESTORE_COMMAND: CommandId = 'iosbr.backups.restore';

/** The full health check of a backup; the restore checks offer it for their backup folder. */
export const VERIFY_BACKUP_COMMAND: CommandId = 'iosbr.backups.verify';
