import * as vscode from 'vscode';
import { DeviceBusyError } from '../../device/deviceBusyError';
import type { BenchRow } from '../../kitting/benchRow';
import type { KittingBench } from '../../kitting/kittingBench';
import type { BenchSession } from './benchSession';
import { BENCH_VIEW_ID } from './benchView';

/**
 * Adds one row per device to the bench and shows the Bench view. A device that already has a job on the bench
 * (or another operation running) is refused alone, with its sentence; the other devices are added.
 */
export async function addBenchRows(session: BenchSession, udids: readonly string[], add: (bench: KittingBench, udid: string) => BenchRow): Promise<BenchRow[]> {
  const bench = await session.open();
  const added: BenchRow[] = [];
  const refused: string[] = [];
  for (const udid of udids) {
    try {
      added.push(add(bench, udid));
    } catch (err) {
      if (!(err instanceof DeviceBusyError)) throw err;
      session.logger.info('bench refused a second job for a busy device', { udid, reason: err.message });
      refused.push(err.message);
    }
  }
  for (const row of added) session.logger.info('bench row added', { row: row.id, udid: row.device.udid, operation: row.operation });
  // Shown without waiting: the rows run meanwhile, and the view is where their progress is.
  void vscode.commands.executeCommand(`${BENCH_VIEW_ID}.focus`);
  if (refused.length > 0) void vscode.window.showWarningMessage(refused.join(' '));
  return added;
}
