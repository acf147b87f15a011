import type { BenchTreeNode } from '../../bench/benchTreeProvider';
import type { CommandDeps } from '../commandDeps';

/** The row ids a row command works on: the multi-selection, else the clicked row (a detail line counts as its row). */
function rowIdsOf(node: BenchTreeNode | undefined, nodes: readonly BenchTreeNode[] | undefined): string[] {
  const chosen = nodes && nodes.length > 1 ? nodes : node ? [node] : [];
  return [...new Set(chosen.map((n) => (n.kind === 'benchRow' ? n.row.id : n.parent.row.id)))];
}

/** Cancel: stops the chosen queued or running rows; the other devices go on. */
export function cancelBenchRow(deps: CommandDeps, node?: BenchTreeNode, nodes?: BenchTreeNode[]): void {
  const bench = deps.bench.current;
  for (const id of rowIdsOf(node, nodes)) bench?.cancel(id);
}

/** Retry: runs the chosen finished rows again (the attempt count goes up). */
export function retryBenchRow(deps: CommandDeps, node?: BenchTreeNode, nodes?: BenchTreeNode[]): void {
  const bench = deps.bench.current;
  for (const id of rowIdsOf(node, nodes)) bench?.retry(id);
}

/** Cancel All: stops every queued and running row, and the restore to devices attached later. */
export function cancelAllBenchRows(deps: CommandDeps): void {
  deps.benchAutomation.stopRestoringToNextDevices();
  deps.bench.current?.cancelAll();
}

/** Clear Finished: drops the rows that are done, failed, refused or cancelled (export the report first to keep them). */
export function clearFinishedBenchRows(deps: CommandDeps): void {
  const bench = deps.bench.current;
  if (!bench) return;
  bench.clearFinished();
  if (bench.rows.length === 0) deps.benchAutomation.stopRestoringToNextDevices();
  deps.bench.notifyChanged();
}
