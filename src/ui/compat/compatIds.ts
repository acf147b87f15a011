/** The webview type of the panel; package.json's `onWebviewPanel:` activation event names it. */
export const COMPAT_VIEW_TYPE = 'iosbr.compatMatrix';

/** The command that opens the panel (palette, and the device/backup tree context menus). */
export const COMPAT_SHOW_COMMAND = 'iosbr.compat.show';

/** The restore command (registered with the other commands); the panel's restore button runs it. */
export const RESTORE_COMMAND = 'iosbr.backups.restore';

/** The full health check of a backup (registered with the other commands); the restore checks offer it for their backup folder. */
export const VERIFY_BACKUP_COMMAND = 'iosbr.backups.verify';
