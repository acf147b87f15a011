import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Logger } from '../../common/logger';

/** One finished backup as the device remembers it. */
export interface RememberedBackup {
  /** Status.plist UUID of that backup (the host's folder carries it). */
  uuid: string;
  finishedAt: string;
  mode: 'full' | 'incremental';
  /** Dataset generation it holds. */
  generation: number;
  fileCount: number;
}

/** Backups kept in the record: one per host folder in practice, so a few are plenty. */
const MAX_REMEMBERED = 16;
/** The record is tiny; anything bigger is not ours. */
const MAX_STATE_BYTES = 1024 * 1024;

/**
 * What a simulated device remembers of the backups it made, in
 * `<stateDir>/devices/<udid>/backup-state.json`. A host's previous backup is only used as the base
 * of an incremental one when its Status.plist UUID is listed here, so a folder written by another
 * device, or left from before the state dir was reset, gets a full backup.
 */
export class DeviceBackupState {
  private readonly file: string;

  constructor(stateDir: string, udid: string, private readonly log: Logger) {
    this.file = path.join(stateDir, 'devices', udid.replace(/[^0-9A-Za-z-]/g, '_'), 'backup-state.json');
  }

  /** The remembered backups, newest last; an unreadable record counts as empty. */
  backups(): RememberedBackup[] {
    let text: string;
    try {
      const bytes = readFileSync(this.file);
      if (bytes.length > MAX_STATE_BYTES) throw new Error('the record is too large');
      text = bytes.toString('utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.log.warn('backup record unreadable; starting afresh', { reason: (err as Error).message });
      return [];
    }
    try {
      const parsed: unknown = JSON.parse(text);
      const list = typeof parsed === 'object' && parsed !== null ? (parsed as { backups?: unknown }).backups : undefined;
      return Array.isArray(list) ? list.filter(isRememberedBackup) : [];
    } catch (err) {
      this.log.warn('backup record is not valid JSON; starting afresh', { reason: (err as Error).message });
      return [];
    }
  }

  /** UUIDs of the remembered backups. */
  knownUuids(): Set<string> {
    return new Set(this.backups().map((b) => b.uuid));
  }

  /** Adds a finished backup (dropping the oldest beyond the limit) and writes the record atomically. */
  remember(backup: RememberedBackup): void {
    const backups = [...this.backups().filter((b) => b.uuid !== backup.uuid), backup].slice(-MAX_REMEMBERED);
    mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ version: 1, backups }, null, 2), { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}

function isRememberedBackup(value: unknown): value is RememberedBackup {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.uuid === 'string' && typeof v.finishedAt === 'string' && (v.mode === 'full' || v.mode === 'incremental') && typeof v.generation === 'number' && typeof v.fileCount === 'number';
}
