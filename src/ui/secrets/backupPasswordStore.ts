import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type * as vscode from 'vscode';

/**
 * Backup passwords the user chose to remember, one per backup folder, kept only in VS Code's
 * SecretStorage (the OS keychain). Nothing else in the extension stores a password.
 */
export class BackupPasswordStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  /** The remembered password of a backup folder. */
  get(backupDir: string): Thenable<string | undefined> {
    return this.secrets.get(this.key(backupDir));
  }

  /** Remembers the password of a backup folder. */
  remember(backupDir: string, password: string): Thenable<void> {
    return this.secrets.store(this.key(backupDir), password);
  }

  /** Forgets the password of a backup folder. */
  forget(backupDir: string): Thenable<void> {
    return this.secrets.delete(this.key(backupDir));
  }

  // A hash of the folder keeps the key short and the path out of the keychain's item names.
  private key(backupDir: string): string {
    return `iosbr.backupPassword.${createHash('sha256').update(path.resolve(backupDir)).digest('hex')}`;
  }
}
