import type { FactKey } from '../../compat/facts';
import type { SelectionRequest } from './selectionRequest';
import type { FactAnswer, FactAnswers } from './compatSelection';
import type { RestoreChecksRun } from './restoreChecksRun';

/**
 * What the commands ask of the Restore Compatibility panel: open it on a selection, show the restore checks
 * for a backup and a target device there, and share the answers the engineer gave about facts nobody could read.
 */
export interface CompatPanelControl {
  /** Opens (or reveals) the panel and selects what a Check Restore Compatibility invocation asked for; settles when it is open. */
  open(request: SelectionRequest): Promise<void>;
  /** Opens (or reveals) the panel on this backup and target and shows the checks' state there (in the order asked; a failure is logged). */
  showRestoreChecks(run: RestoreChecksRun): void;
  /** The answers given in the panel while it compares this backup and target (none otherwise). */
  answers(backupDir: string, targetUdid: string): FactAnswers;
  /** Records an answer given outside the panel (a question the restore command asked), so the panel shows it. */
  answer(fact: FactKey, value: FactAnswer): void;
}
