import type { RestorePreflightResult } from '../../restore/restorePreflight';
import { sameUdid, type CompatSelection } from './compatSelection';

/**
 * The restore checks the restore command ran for one backup and one target device: still running, or done
 * with every check's outcome. The panel shows them while it compares that same pair.
 */
export type RestoreChecksRun = { backupDir: string; targetUdid: string } & (
  | { state: 'running' }
  | { state: 'done'; result: RestorePreflightResult }
  /** The checks did not finish (cancelled, the device went away); `reason` is one sentence for the page. */
  | { state: 'stopped'; reason: string }
);

/** True when the panel's selection compares the backup and device the checks were run for. */
export function checksMatchSelection(run: RestoreChecksRun, selection: CompatSelection): boolean {
  return selection.source?.kind === 'backup' && selection.source.dir === run.backupDir && sameUdid(selection.targetUdid, run.targetUdid);
}
