import type { BackupProgress } from '../backup/engine/backupProgress';
import type { TransferProgress } from '../backup/transfer/transferProgressTracker';
import { formatByteCount } from '../common/byteCount';
import type { RestoreProgress } from '../restore/restoreProgress';
import type { CliContext } from './context';

/** Shortest pause between two progress lines, so a fast transfer does not flood the terminal or a log. */
const PROGRESS_INTERVAL_MS = 1000;

/** Prints progress lines on stderr when something visible changed, at most once a second. */
function progressPrinter<P extends TransferProgress<string, object>>(ctx: CliContext, lineOf: (p: P) => string): (p: P) => void {
  let lastAt = 0;
  let lastPhase = '';
  let lastPercent = -1;
  return (p) => {
    const now = Date.now();
    const percent = Math.floor(p.percent ?? -1);
    const changed = p.phase !== lastPhase || percent !== lastPercent;
    if (!changed && now - lastAt < PROGRESS_INTERVAL_MS) return;
    if (changed && p.phase === lastPhase && now - lastAt < PROGRESS_INTERVAL_MS / 4) return;
    lastAt = now;
    lastPhase = p.phase;
    lastPercent = percent;
    ctx.note(lineOf(p));
  };
}

/** One progress line: the phases without counters in words, else percent (from the device), files, bytes, rate. */
function transferLine(verb: string, phaseWords: Partial<Record<string, string>>, p: TransferProgress<string, object>, files: number, bytes: number): string {
  const words = phaseWords[p.phase];
  if (words !== undefined) return `${verb}: ${words}`;
  if (p.phase === 'waiting-for-device' && p.percent === undefined) return `${verb}: waiting for the device…`;
  const percent = p.percent === undefined ? '' : `${Math.floor(p.percent)}% · `;
  return `${verb}: ${percent}${files} files · ${formatByteCount(bytes)} · ${formatByteCount(p.bytesPerSecond)}/s`;
}

/** Backup progress on stderr (also the backups of the encryption workaround). */
export function backupProgressPrinter(ctx: CliContext): (p: BackupProgress) => void {
  return progressPrinter(ctx, (p: BackupProgress) => transferLine('Backing up', { preparing: 'preparing…' }, p, p.filesReceived, p.bytesReceived));
}

const RESTORE_PHASE_WORDS = { checking: 'checking the backup and the device…', preparing: 'preparing the device…', finishing: 'finishing…' };

/** Restore progress on stderr. */
export function restoreProgressPrinter(ctx: CliContext): (p: RestoreProgress) => void {
  return progressPrinter(ctx, (p: RestoreProgress) => transferLine('Restoring', RESTORE_PHASE_WORDS, p, p.filesSent, p.bytesSent));
}
