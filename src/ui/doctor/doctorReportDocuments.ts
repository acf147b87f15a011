import * as vscode from 'vscode';
import { ReadOnlyDocuments } from '../util/readOnlyDocuments';

/** The URI scheme of the failure doctor's reports (read-only documents). */
export const DOCTOR_REPORT_SCHEME = 'iosbr-doctor';

/** The language of the reports (package.json): plain text that wraps, so long causes and fixes stay in view. */
export const DOCTOR_REPORT_LANGUAGE = 'iosbr-failure-explanation';

/** The read-only documents that show the failure doctor's reports, in a language of their own that wraps long lines. */
export class DoctorReportDocuments extends ReadOnlyDocuments {
  constructor() {
    super({
      scheme: DOCTOR_REPORT_SCHEME,
      language: DOCTOR_REPORT_LANGUAGE,
      extension: '',
      fallbackName: 'report',
      noLongerKept: () => vscode.l10n.t('This explanation is no longer kept. Run Explain a Restore Error again to see it.'),
    });
  }
}
