import type { Lang } from '../common/localizedText';
import type { BenchRow } from '../kitting/benchRow';
import { KittingBench } from '../kitting/kittingBench';
import type { UsbmuxClient } from '../usbmux/usbmuxClient';
import { benchRowJson } from './benchJson';
import { BenchProgress, stderrTerminal, type StderrTerminal } from './benchProgress';
import { benchSummaryLines } from './benchSummaryTable';
import type { CliContext } from './context';
import { EXIT_FAILED, EXIT_OK } from './presentError';

/**
 * How long Ctrl-C waits for the cancelled rows to stop (each removes its partial files and tells its device) before
 * the summary is printed anyway; below cli.ts's grace period, so the summary is still printed.
 */
const CANCEL_WAIT_MS = 2_500;

/** What a batch command hands the bench: where usbmuxd and the backups are, how many devices at once, and its rows. */
export interface BenchRunSpec {
  mux: UsbmuxClient;
  backupRoot: string;
  jobs: number;
  lang: Lang;
  /** Adds the batch's rows, in the order the summary lists them. */
  addRows(bench: KittingBench): void;
  /** stderr's terminal (the default reads process.stderr). */
  terminal?: StderrTerminal;
}

/** Resolves after `ms`; the timer does not keep the process alive by itself. */
function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/**
 * Runs a batch on a kitting bench: progress per device on stderr while it runs, then the summary table (or, with
 * --json, the per-device results) on stdout. Ctrl-C cancels every row. Exit 0 only when every device is done.
 */
export async function runBench(ctx: CliContext, spec: BenchRunSpec): Promise<number> {
  const terminal = 'terminal' in spec ? spec.terminal : stderrTerminal();
  const bench = new KittingBench({ mux: spec.mux, backupRoot: spec.backupRoot, jobs: spec.jobs, logger: ctx.logger });
  const progress = new BenchProgress({ source: bench, note: (text) => ctx.note(text), lang: spec.lang, terminal });
  const changes = bench.onDidChange((row) => progress.update(row));
  const cancelled = new Promise<void>((resolve) => {
    const onAbort = (): void => {
      bench.cancelAll();
      resolve();
    };
    if (ctx.signal.aborted) onAbort();
    else ctx.signal.addEventListener('abort', onAbort, { once: true });
  });
  let rows: readonly BenchRow[];
  try {
    spec.addRows(bench);
    await Promise.race([bench.whenIdle(), cancelled.then(() => Promise.race([bench.whenIdle(), delay(CANCEL_WAIT_MS)]))]);
    rows = bench.rows;
    progress.finish();
    const summary = bench.summary();
    if (ctx.json) ctx.out(JSON.stringify(rows.map(benchRowJson), null, 2) + '\n');
    else ctx.out(benchSummaryLines(rows, summary, spec.lang, { withChecks: terminal !== undefined }).join('\n') + '\n');
  } finally {
    changes.dispose();
    bench.dispose();
  }
  return rows.length > 0 && rows.every((row) => row.state === 'done') && !ctx.signal.aborted ? EXIT_OK : EXIT_FAILED;
}
