import * as vscode from 'vscode';
import { explainError, formatFailureReport, shortAdvice } from '../../doctor';
import { uiLanguage } from '../util/uiLanguage';

/** What the failure doctor says about a failed command, ready for the notification and the report document. */
export interface FailureExplanation {
  /** The sentence appended to the notification: why, and what to do first. */
  sentence: string;
  /** The whole report for the "Show Explanation" document. */
  reportLines: string[];
}

/**
 * The doctor's explanation of a command's failure in the UI language, or undefined when it does not
 * recognise the failure (the notification then says only what failed: the doctor never guesses).
 */
export function explainFailure(err: unknown, locale: string): FailureExplanation | undefined {
  const lang = uiLanguage(locale);
  const report = explainError(err);
  const advice = shortAdvice(report, lang);
  if (!advice) return undefined;
  const sentence = vscode.l10n.t({ message: 'Why: {0} What to do: {1}', args: [advice.cause, advice.fix], comment: ['{0} is the cause, {1} the first thing to do; both are sentences from the failure knowledge base'] });
  return { sentence, reportLines: formatFailureReport(report, lang) };
}
