import type { Lang, LocalizedText } from '../common/localizedText';
import type { BenchCheck, BenchRow, BenchRowState } from '../kitting/benchRow';
import { benchDeviceLabel, benchRowStateText, printable } from './benchRowText';

/** Percent is reported in steps of this size, so a log gets about ten lines per device and transfer. */
const PERCENT_STEP = 10;

const CHECK_WORDS: Readonly<Record<'warn' | 'fail', LocalizedText>> = {
  fail: { en: 'check failed', ja: 'チェック失敗' },
  warn: { en: 'check warning', ja: 'チェック警告' },
};

/** What was last printed of a row. */
interface Printed {
  state: BenchRowState;
  attempt: number;
  step: number;
  checks: boolean;
}

/** The restore checks a person must read: the failed ones first, then the warnings. */
export function noteworthyChecks(checks: readonly BenchCheck[]): BenchCheck[] {
  return [...checks.filter((c) => c.status === 'fail'), ...checks.filter((c) => c.status === 'warn')];
}

/** `<label>: check failed: <title>` lines for a row's failed and warned checks. */
export function benchCheckLines(row: BenchRow, lang: Lang): string[] {
  const label = benchDeviceLabel(row.device);
  return noteworthyChecks(row.checks ?? []).map((c) => `${label}: ${CHECK_WORDS[c.status as 'warn' | 'fail'][lang]}: ${printable(c.title[lang])}`);
}

/**
 * The progress of a batch as plain lines, for a stderr that is not a terminal (a log, a CI job): one line when a
 * row changes state or its percent passes a step of 10 %, and a restore's failed and warned checks once they are
 * known. Every line starts with the device's UDID and name, so the lines of concurrent devices can be told apart.
 */
export class BenchEventLines {
  private readonly printed = new Map<string, Printed>();

  constructor(private readonly lang: Lang) {}

  /** The lines a row's new snapshot calls for (none when nothing worth a line changed). */
  linesFor(row: BenchRow): string[] {
    const before = this.printed.get(row.id);
    const step = row.percent === undefined ? -1 : Math.floor(Math.max(0, Math.min(100, row.percent)) / PERCENT_STEP);
    const now: Printed = { state: row.state, attempt: row.attempt, step, checks: row.checks !== undefined };
    const lines: string[] = [];
    const restarted = before !== undefined && before.attempt !== row.attempt;
    if (now.checks && (!before?.checks || restarted)) lines.push(...benchCheckLines(row, this.lang));
    const moved = before === undefined || restarted || before.state !== row.state || step > before.step;
    if (moved) lines.push(`${benchDeviceLabel(row.device)}: ${benchRowStateText(row, this.lang)}`);
    // The step is remembered only when printed, so a percent that went back (a new phase) is printed again when it passes the last one.
    this.printed.set(row.id, moved || before === undefined ? now : { ...now, step: before.step });
    return lines;
  }
}
