import type { Lang } from '../common/localizedText';
import type { BenchRow, BenchSummary } from '../kitting/benchRow';
import { benchCountsText, benchDeviceName, benchRowStateText, shortUdid } from './benchRowText';
import { cutToColumns, padToColumns, textColumns } from './terminalColumns';

/** The widest name column; longer names are cut so the state stays in view. */
const NAME_COLUMNS = 24;

/**
 * The live block a terminal shows during a batch: one line per device (short UDID, name, state with percent and
 * files) and the counts, each line cut to the terminal's width so that none wraps (a wrapped line would break the
 * redraw in place, which moves the cursor up by lines).
 */
export function benchBlockLines(rows: readonly BenchRow[], summary: BenchSummary, lang: Lang, columns: number): string[] {
  const names = rows.map((row) => benchDeviceName(row.device) ?? '');
  const nameWidth = Math.min(NAME_COLUMNS, Math.max(0, ...names.map(textColumns)));
  // The last column is left free: some terminals wrap when a line fills it.
  const width = Math.max(1, columns - 1);
  const lines = rows.map((row, i) => {
    const name = nameWidth > 0 ? `${padToColumns(cutToColumns(names[i], nameWidth), nameWidth)}  ` : '';
    return cutToColumns(`${shortUdid(row.device.udid)}  ${name}${benchRowStateText(row, lang)}`, width);
  });
  return [...lines, cutToColumns(benchCountsText(summary, lang, true), width)];
}
