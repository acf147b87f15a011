import * as l10n from '@vscode/l10n';
import type { BenchSummary } from '../../kitting/benchRow';

/**
 * The bench in one line for the view's title: "8 devices: 3 running, 4 done, 1 failed" (only the counts that
 * are not zero); empty for an empty bench.
 */
export function benchSummaryText(summary: BenchSummary): string {
  if (summary.total === 0) return '';
  const parts = (
    [
    [summary.running, l10n.t('{0} running', summary.running)],
    [summary.queued, l10n.t('{0} queued', summary.queued)],
    [summary.done, l10n.t('{0} done', summary.done)],
    [summary.failed, l10n.t('{0} failed', summary.failed)],
    [summary.refused, l10n.t('{0} refused', summary.refused)],
    [summary.cancelled, l10n.t('{0} cancelled', summary.cancelled)],
    ] as [number, string][]
  )
    .filter(([count]) => count !== 0)
    .map(([, text]) => text);
  const devices = summary.total === 1 ? l10n.t('1 device') : l10n.t('{0} devices', summary.total);
  return parts.length ? l10n.t('{0}: {1}', devices, parts.join(', ')) : devices;
}
