import { displayString } from '../backup/inspect/displayString';
import type { Lang, LocalizedText } from '../common/localizedText';
import type { BenchDevice, BenchRow, BenchRowState, BenchSummary } from '../kitting/benchRow';
import { formatBenchDuration } from '../kitting/benchDuration';
import { benchFailureCauseText } from '../kitting/benchFailure';
import { REPORT_TEXT } from '../kitting/benchReportText';

/** Longest device name shown: the name comes from the device, so it is untrusted and may be long. */
const NAME_CHARS = 40;
/** Longest cause or sentence on a progress line; the whole of it is in the summary and the JSON. */
const SENTENCE_CHARS = 200;

/** A row's state in a few words, as the progress lines say it: the bench report's words, in the middle of a line. */
export function benchStateWords(state: BenchRowState, lang: Lang): string {
  const words = REPORT_TEXT.states[state][lang];
  return lang === 'en' ? words.charAt(0).toLowerCase() + words.slice(1) : words;
}
/** A text from the device or the engine as one printable line (controls removed, length capped); '' when none. */
export function printable(text: string | undefined, maxChars = SENTENCE_CHARS): string {
  return displayString(text, maxChars) ?? '';
}

/** The device's name as shown, or undefined when it has none yet. */
export function benchDeviceName(device: BenchDevice): string | undefined {
  return displayString(device.name, NAME_CHARS);
}

/** `00008110-…0003`: the UDID's head and tail, enough to tell bench devices apart in a narrow terminal. */
export function shortUdid(udid: string): string {
  return udid.length > 16 ? `${udid.slice(0, 9)}…${udid.slice(-4)}` : udid;
}

/** How a progress line names its device: `<udid> "<name>"`, or the UDID alone until the name is read. */
export function benchDeviceLabel(device: BenchDevice, udid = device.udid): string {
  const name = benchDeviceName(device);
  return name === undefined ? udid : `${udid} "${name}"`;
}

/** How long the row's attempt took, or undefined when it has not both started and ended. */
export function benchRowDurationMs(row: BenchRow): number | undefined {
  return row.startedAt !== undefined && row.endedAt !== undefined ? Math.max(0, row.endedAt - row.startedAt) : undefined;
}

/** Why a failed or refused row stopped, in the language asked for (benchFailureCauseText), made printable. */
export function benchFailureCause(row: BenchRow, lang: Lang): string | undefined {
  if (!row.failure) return undefined;
  return printable(benchFailureCauseText(row.failure, lang)) || undefined;
}

/**
 * The row's state as one phrase, with the row's detail (what the device waits for, files and bytes so far):
 * "backing up 40 % (812 files, 12.0 MB)", "waiting for Trust (Unlock the device, tap …)", "done in 42 s: 2,000 files,
 * 120.0 MB", "failed: <sentence>", "refused: <the failed check>".
 */
export function benchRowStateText(row: BenchRow, lang: Lang): string {
  const words = benchStateWords(row.state, lang);
  const detail = printable(row.detail);
  const transferring = row.state === 'backing-up' || row.state === 'restoring';
  const percent = transferring && row.percent !== undefined ? ` ${Math.max(0, Math.min(100, Math.floor(row.percent)))} %` : '';
  switch (row.state) {
    case 'done': {
      const duration = benchRowDurationMs(row);
      const took = duration === undefined ? '' : lang === 'ja' ? `（${formatBenchDuration(duration, lang)}）` : ` in ${formatBenchDuration(duration, lang)}`;
      // A done restore's detail says when the device did not come back from its restart.
      const summary = printable(row.summary);
      return `${words}${took}${summary ? `: ${summary}` : ''}${detail ? ` (${detail})` : ''}`;
    }
    case 'failed': {
      // The sentence says what happened to this device; the doctor's longer cause is in the summary.
      const sentence = printable(row.failure?.sentence);
      return sentence ? `${words}: ${sentence}` : words;
    }
    case 'refused': {
      // The check that refused the device, in the language asked for.
      const cause = benchFailureCause(row, lang);
      return cause ? `${words}: ${cause}` : words;
    }
    default:
      return `${words}${percent}${detail ? ` (${detail})` : ''}`;
  }
}

/**
 * "8 devices: 6 done, 1 failed, 1 refused" (and the cancelled when there are any); with `active`, the running and
 * queued rows first, as the live block's last line shows them.
 */
export function benchCountsText(summary: BenchSummary, lang: Lang, active = false): string {
  const parts: [number, LocalizedText][] = [
    ...(active ? ([[summary.running, { en: 'running', ja: '実行中' }], [summary.queued, { en: 'queued', ja: '待機中' }]] as [number, LocalizedText][]) : []),
    [summary.done, { en: 'done', ja: '完了' }],
    [summary.failed, { en: 'failed', ja: '失敗' }],
    [summary.refused, { en: 'refused', ja: '拒否' }],
    ...(summary.cancelled > 0 ? ([[summary.cancelled, { en: 'cancelled', ja: 'キャンセル' }]] as [number, LocalizedText][]) : []),
  ];
  if (lang === 'ja') return `${summary.total} 台: ${parts.map(([n, w]) => `${w.ja} ${n}`).join('、')}`;
  return `${summary.total} ${summary.total === 1 ? 'device' : 'devices'}: ${parts.map(([n, w]) => `${n} ${w.en}`).join(', ')}`;
}
