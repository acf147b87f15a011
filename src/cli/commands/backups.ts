import * as path from 'node:path';
import { listBackups, type BackupSummary } from '../../backup/format/backupFolder';
import { formatByteCount } from '../../common/byteCount';
import { backupRootFromArgs } from '../backupArgs';
import { command } from '../context';

/** `backups [--dir <root>]`: lists the backups under a backup root. */
export const backupsCommand = command({
  usage: 'backups [--dir <root>] [--json]',
  summary: 'list local backups: udid, device name, iOS version, date, encrypted, size, complete/incomplete',
  flags: { values: ['dir'] },
  async run(ctx) {
    const root = backupRootFromArgs(ctx);
    const backups = await listBackups(root);
    if (ctx.json) {
      ctx.out(JSON.stringify(backups.map(backupJson), null, 2) + '\n');
      return 0;
    }
    if (backups.length === 0) {
      ctx.note(`No backups in ${root}.`);
      return 0;
    }
    ctx.out(formatBackupTable(backups) + '\n');
    return 0;
  },
});

/** The JSON shape of one listed backup. */
function backupJson(b: BackupSummary): Record<string, unknown> {
  return {
    udid: b.udid ?? null,
    deviceName: b.deviceName ?? null,
    productType: b.productType ?? null,
    iosVersion: b.iOSVersion ?? null,
    date: b.date?.toISOString() ?? null,
    encrypted: b.encrypted ?? null,
    sizeBytes: b.sizeBytes,
    complete: b.complete,
    incompleteReason: b.incompleteReason ?? null,
    dir: b.dir,
    notes: b.notes,
  };
}

/** The `backups` table: one row per backup folder, columns padded to fit. */
function formatBackupTable(backups: readonly BackupSummary[]): string {
  const header = ['UDID', 'NAME', 'IOS', 'DATE', 'ENCRYPTED', 'SIZE', 'STATE', 'FOLDER'];
  const rows = backups.map((b) => [
    b.udid ?? '?',
    b.deviceName ?? '?',
    b.iOSVersion ?? '?',
    b.date ? b.date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '?',
    b.encrypted === undefined ? '?' : b.encrypted ? 'yes' : 'no',
    formatByteCount(b.sizeBytes),
    b.complete ? 'complete' : `incomplete: ${b.incompleteReason ?? 'unknown reason'}`,
    path.basename(b.dir),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}
