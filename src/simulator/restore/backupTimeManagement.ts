import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../../logger';

/** A device's management state: supervision and MDM enrolment. */
export interface Management {
  supervised: boolean;
  mdm: 'enrolled' | 'none';
}

/** Backups remembered: one per host folder in practice, so a few dozen are plenty. */
const MAX_REMEMBERED = 32;
const MAX_FILE_BYTES = 1024 * 1024;
const FILE_NAME = 'backup-management.json';

/**
 * What the device's management state was when it finished each backup, keyed by the backup's
 * Status.plist UUID, in `<restoreRoot>/backup-management.json`. On a real device that state
 * travels inside the backup (the configuration-profile files of
 * SysSharedContainerDomain-systemgroup.com.apple.configurationprofiles); the simulated dataset has
 * no such files, so a restore onto the same device looks its backup up here instead.
 */
export class BackupTimeManagement {
  private readonly file: string;

  constructor(restoreRoot: string, private readonly log: Logger) {
    this.file = path.join(restoreRoot, FILE_NAME);
  }

  /** The management state recorded for a backup, if this device made it. */
  lookup(uuid: string): Management | undefined {
    return this.readAll()[uuid.toUpperCase()];
  }

  /** Records the state for a finished backup (oldest entries dropped beyond the limit). */
  remember(uuid: string, management: Management): void {
    const all = Object.entries(this.readAll()).filter(([key]) => key !== uuid.toUpperCase());
    all.push([uuid.toUpperCase(), { supervised: management.supervised, mdm: management.mdm }]);
    mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(Object.fromEntries(all.slice(-MAX_REMEMBERED))), { mode: 0o600 });
    renameSync(tmp, this.file);
  }

  private readAll(): Record<string, Management> {
    let parsed: unknown;
    try {
      const bytes = readFileSync(this.file);
      if (bytes.length > MAX_FILE_BYTES) throw new Error('the record is too large');
      parsed = JSON.parse(bytes.toString('utf8'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.log.warn('backup management record unreadable; starting afresh', { reason: (err as Error).message });
      return {};
    }
    const out: Record<string, Management> = {};
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return out;
    for (const [uuid, value] of Object.entries(parsed as Record<string, unknown>)) {
      const v = value as Partial<Management> | null;
      if (v && typeof v.supervised === 'boolean' && (v.mdm === 'enrolled' || v.mdm === 'none')) out[uuid] = { supervised: v.supervised, mdm: v.mdm };
    }
    return out;
  }
}
