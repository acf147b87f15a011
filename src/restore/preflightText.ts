import type { Lang, LocalizedText } from '../common/localizedText';
import type { PreflightStatus, RestorePreflightResult } from './restorePreflight';

const STATUS_LABEL: Record<PreflightStatus, LocalizedText> = {
  pass: { en: 'pass', ja: 'OK' },
  warn: { en: 'warn', ja: '注意' },
  fail: { en: 'FAIL', ja: 'NG' },
  unknown: { en: 'unknown', ja: '不明' },
};

const HEADING: LocalizedText = { en: 'Restore checks', ja: '復元前チェック' };
const WHAT_TO_DO: LocalizedText = { en: 'What to do', ja: '対処' };

/** Renders every restore check as text lines in one language: status, title, sentence, and what to do. */
export function formatPreflightChecks(result: RestorePreflightResult, lang: Lang): string[] {
  const lines = [`${HEADING[lang]}:`];
  for (const check of result.checks) {
    lines.push(`  [${STATUS_LABEL[check.status][lang]}] ${check.title[lang]}: ${check.sentence[lang]}`);
    if (check.action) lines.push(`      ${WHAT_TO_DO[lang]}: ${check.action[lang]}`);
  }
  return lines;
}
