import { createHash } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';

/**
 * Backup passwords the user chose to remember, one per backup folder, kept only in VS Code's
 * SecretStorage (the OS keychain). Nothing else in the extension stores a password.
 */
export class BackupPasswordStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<string>();
  /**
   * Fires with the backup folder (resolved to an absolute path) after its password was remembered or
   * forgotten, so what was read with the old one (the Backups view's inspection) is read again.
   * Never carries the password.
   */
  readonly onDidChange: vscode.Event<string> = this.changed.event;

  constructor(private readonly secrets: vscode.SecretStorage) {}

  /** The remembered password of a backup folder. */
  get(backupDir: string): Thenable<string | undefined> {
    return this.secrets.get(this.key(backupDir));
  }

  /** Remembers the password of a backup folder. */
  async remember(backupDir: string, password: string): Promise<void> {
    await this.secrets.store(this.key(backupDir), password);
    this.changed.fire(path.resolve(backupDir));
  }

  /** Forgets the password of a backup folder. */
  async forget(backupDir: string): Promise<void> {
    await this.secrets.delete(this.key(backupDir));
    this.changed.fire(path.resolve(backupDir));
  }

  dispose(): void {
    this.changed.dispose();
  }

  // A hash of the folder keeps the key short and the path out of the keychain's item names.
  private key(backupDir: string): string {
    return `iosbr.backupPassword.${createHash('sha256').update(path.resolve(backupDir)).digest('hex')}`;
  }
}
