// Type-only and erased at build time: it tells @vscode/l10n-dev that the `l10n.t('…')` calls below are VS Code's,
// so `l10n-dev export` extracts them. At run time `l10n` is the parameter, which the panel sets to vscode.l10n.
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- read by l10n-dev export, not by the code (see above)
import type { l10n } from 'vscode';
import type { Verdict } from '../../compat/restoreReport';
import type { AnswerProblem } from './factAnswerKinds';
import type { UnknownReason } from './restoreFacts';
import type { PageText } from './compatViewModel';

type L10nArg = string | number | boolean;

/**
 * The part of `vscode.l10n` the panel uses, as a structural type: the host passes `vscode.l10n`, tests a plain
 * formatter, and the view model stays free of `vscode`. Calls keep the `l10n.t('…')` shape so the strings can be
 * extracted with @vscode/l10n-dev.
 */
export interface L10nLike {
  t(message: string, ...args: L10nArg[]): string;
  t(options: { message: string; args?: L10nArg[]; comment: string | string[] }): string;
}

/** Every host-side text of the panel (the vendor's texts come from the rules file instead). */
export interface CompatStrings {
  title: string;
  page: PageText;
  sourceLabel: string;
  targetLabel: string;
  sourcePlaceholder: string;
  targetPlaceholder: string;
  deviceOption(name: string): string;
  backupOption(name: string): string;
  notAttached(label: string): string;
  unnamedDevice: string;
  iosVersion(version: string): string;
  verdictHeadline: Record<Verdict, string>;
  caseLabel: string;
  agentAfter: string;
  mdmAfter: string;
  remarks: string;
  dependsOnAnswers: string;
  tableSaysNo: string;
  preconditionFailed(number: number, why: string): string;
  preconditionOpen(number: number): string;
  possibleCases(count: number): string;
  openQuestions(count: number): string;
  yourCase: string;
  possibleCase: string;
  status: Record<'pass' | 'fail' | 'unknown' | 'info', string>;
  neededFor(list: string): string;
  neededForCell: string;
  neededForPrecondition(number: number): string;
  answeredByYou: string;
  unknownReason(reason: UnknownReason): string;
  /** A fact read from a file of the backup, and that file. */
  readFromBackup(value: string, file: string): string;
  supervisedAtBackup: string;
  mdmEnrolledAtBackup: string;
  answerProblem: Record<AnswerProblem, string>;
  afterRestoreHeading: string;
  insteadHeading: string;
  noStepsNeeded: string;
  moreStepsMayApply: string;
  reference(text: string): string;
  methodLabel: string;
  citation(product: string, title: string, version: string, date: string, verifiedIos: string): string;
  usbmuxUnreachable(problem: string): string;
  lookingForDevices: string;
  sourceDetached(udid: string): string;
  targetDetached(udid: string): string;
  backupUnreadable(detail: string): string;
  useThisBackup: string;
  notABackupFolder(folder: string): string;
  restoreChecksHeading: string;
  restoreChecksRunning: string;
  restoreChecksStopped(reason: string): string;
  restoreChecksBlocked(count: number): string;
  restoreChecksClear: string;
  restoreChecksOpen(count: number): string;
  checkStatus: Record<'pass' | 'warn' | 'fail' | 'unknown', string>;
  restoreButton: string;
  restoreButtonDescription(backup: string, device: string): string;
  verifyBackupButton: string;
  verifyBackupButtonDescription: string;
}

/** Builds the panel's texts through the given l10n (vscode.l10n in the extension). */
export function createCompatStrings(l10n: L10nLike): CompatStrings {
  return {
    title: l10n.t('Restore Compatibility'),
    page: {
      selectionHeading: l10n.t('What to restore'),
      browseBackup: l10n.t('Choose Backup Folder…'),
      refresh: l10n.t('Refresh'),
      verdictHeading: l10n.t('Verdict'),
      questionsHeading: l10n.t('Questions'),
      questionsIntro: l10n.t('These facts could not be read from the devices or the backup. Answer what you know; nothing is guessed.'),
      noQuestions: l10n.t('Nothing is left to ask.'),
      preconditionsHeading: l10n.t('Preconditions'),
      tablesHeading: l10n.t('Compatibility tables'),
      methodHeading: l10n.t('Restore procedure'),
      requirementsHeading: l10n.t('You need'),
      stepsHeading: l10n.t('Steps'),
      examplesLabel: l10n.t('Examples'),
      yes: l10n.t('Yes'),
      no: l10n.t('No'),
      apply: l10n.t('Apply'),
      clearAnswer: l10n.t('Clear answer'),
      aboutHeading: l10n.t('About these rules'),
    },
    sourceLabel: l10n.t('Source (device or backup)'),
    targetLabel: l10n.t('Target device'),
    sourcePlaceholder: l10n.t('Choose a source…'),
    targetPlaceholder: l10n.t('Choose a target device…'),
    deviceOption: (name) => l10n.t({ message: 'Device: {0}', args: [name], comment: ['{0} is the device name'] }),
    backupOption: (name) => l10n.t({ message: 'Backup: {0}', args: [name], comment: ['{0} is the name of the device the backup was made on'] }),
    notAttached: (label) => l10n.t({ message: '{0} (not attached)', args: [label], comment: ['{0} is a device name or UDID'] }),
    unnamedDevice: l10n.t('Unnamed device'),
    iosVersion: (version) => l10n.t({ message: 'iOS {0}', args: [version], comment: ['{0} is an iOS version such as 16.1'] }),
    verdictHeadline: {
      yes: l10n.t('Restore supported'),
      no: l10n.t('Restore not supported'),
      unknown: l10n.t('Not decided yet'),
    },
    caseLabel: l10n.t('Case'),
    agentAfter: l10n.t('Agent authentication after the restore'),
    mdmAfter: l10n.t('MDM authentication after the restore'),
    remarks: l10n.t('Remarks'),
    dependsOnAnswers: l10n.t('Depends on the open questions'),
    tableSaysNo: l10n.t('The compatibility table marks this case as not supported.'),
    preconditionFailed: (number, why) =>
      l10n.t({ message: 'Precondition {0} is not met: {1}', args: [number, why], comment: ['{0} is the precondition number', '{1} says why'] }),
    preconditionOpen: (number) => l10n.t({ message: 'Precondition {0} is not decided yet.', args: [number], comment: ['{0} is the precondition number'] }),
    possibleCases: (count) => l10n.t({ message: '{0} cases of the tables are still possible.', args: [count], comment: ['{0} is a number of table rows'] }),
    openQuestions: (count) =>
      count === 1
        ? l10n.t('1 question below needs an answer.')
        : l10n.t({ message: '{0} questions below need an answer.', args: [count], comment: ['{0} is a number of questions'] }),
    yourCase: l10n.t('Your case'),
    possibleCase: l10n.t('Possible case'),
    status: {
      pass: l10n.t('Met'),
      fail: l10n.t('Not met'),
      unknown: l10n.t('Unknown'),
      info: l10n.t('Note'),
    },
    neededFor: (list) => l10n.t({ message: 'Decides: {0}', args: [list], comment: ['{0} lists what the answer decides'] }),
    neededForCell: l10n.t('which case of the tables applies'),
    neededForPrecondition: (number) => l10n.t({ message: 'precondition {0}', args: [number], comment: ['{0} is the precondition number'] }),
    answeredByYou: l10n.t('Answered by you.'),
    unknownReason: (reason) => unknownReasonText(l10n, reason),
    readFromBackup: (value, file) =>
      l10n.t({ message: '{0} (from the backup\'s {1})', args: [value, file], comment: ['{0} is Yes or No', '{1} names a file of the backup'] }),
    supervisedAtBackup: l10n.t('Supervised when backed up'),
    mdmEnrolledAtBackup: l10n.t('MDM-enrolled when backed up'),
    answerProblem: {
      'not-boolean': l10n.t('Choose Yes or No.'),
      empty: l10n.t('Enter a value.'),
      'not-ios-version': l10n.t('Enter an iOS version such as 16.1.'),
    },
    afterRestoreHeading: l10n.t('After the restore'),
    insteadHeading: l10n.t('Instead'),
    noStepsNeeded: l10n.t('No further steps are needed after the restore.'),
    moreStepsMayApply: l10n.t('More steps may apply once the questions are answered.'),
    reference: (text) => l10n.t({ message: 'See: {0}', args: [text], comment: ['{0} names a section of the vendor manual'] }),
    methodLabel: l10n.t('Restore method'),
    citation: (product, title, version, date, verifiedIos) =>
      l10n.t({
        message: 'Source: {0}, "{1}" Ver {2} ({3}), verified on iOS {4}.',
        args: [product, title, version, date, verifiedIos],
        comment: ['{0} product', '{1} document title', '{2} document version', '{3} date', '{4} iOS version'],
      }),
    usbmuxUnreachable: (problem) =>
      l10n.t({ message: 'Devices cannot be listed: {0}', args: [problem], comment: ['{0} is the usbmuxd error sentence'] }),
    lookingForDevices: l10n.t('Looking for devices…'),
    sourceDetached: (udid) =>
      l10n.t({ message: 'The source device {0} is not attached; its facts are unknown until it is reconnected.', args: [udid], comment: ['{0} is a UDID'] }),
    targetDetached: (udid) =>
      l10n.t({ message: 'The target device {0} is not attached; its facts are unknown until it is reconnected.', args: [udid], comment: ['{0} is a UDID'] }),
    backupUnreadable: (detail) => l10n.t({ message: 'The backup could not be read: {0}', args: [detail], comment: ['{0} says why'] }),
    useThisBackup: l10n.t('Use This Backup'),
    notABackupFolder: (folder) => l10n.t({ message: '{0} is not a backup folder.', args: [folder], comment: ['{0} is a folder path'] }),
    restoreChecksHeading: l10n.t('Restore checks'),
    restoreChecksRunning: l10n.t('Checking the backup and the device…'),
    restoreChecksStopped: (reason) =>
      l10n.t({ message: 'The checks did not finish: {0}', args: [reason], comment: ['{0} says why (one sentence)'] }),
    restoreChecksBlocked: (count) =>
      count === 1
        ? l10n.t('1 check failed: the restore cannot start.')
        : l10n.t({ message: '{0} checks failed: the restore cannot start.', args: [count], comment: ['{0} is a number of checks'] }),
    restoreChecksClear: l10n.t('Every check passed: the restore can start.'),
    restoreChecksOpen: (count) =>
      count === 1
        ? l10n.t('Nothing stops the restore, but 1 check could not be told.')
        : l10n.t({ message: 'Nothing stops the restore, but {0} checks could not be told.', args: [count], comment: ['{0} is a number of checks'] }),
    checkStatus: {
      pass: l10n.t('Passed'),
      warn: l10n.t('Warning'),
      fail: l10n.t('Failed'),
      unknown: l10n.t('Unknown'),
    },
    restoreButton: l10n.t('Restore to This Device…'),
    verifyBackupButton: l10n.t('Verify Backup'),
    verifyBackupButtonDescription: l10n.t('The restore checks ran the quick health check only. Verify Backup checks every file of the backup and lists what is damaged.'),
    restoreButtonDescription: (backup, device) =>
      l10n.t({
        message: 'Run the restore checks, then restore the backup of {0} to {1} after you confirm.',
        args: [backup, device],
        comment: ['{0} is the name of the device the backup was made on', '{1} is the target device name'],
      }),
  };
}

function unknownReasonText(l10n: L10nLike, reason: UnknownReason): string {
  switch (reason.code) {
    case 'no-source':
      return l10n.t('No source is chosen.');
    case 'no-target':
      return l10n.t('No target device is chosen.');
    case 'device-detached':
      return l10n.t('The device is not attached, so this cannot be read.');
    case 'device-reading':
      return l10n.t('The device is still being read.');
    case 'device-unreadable':
      return l10n.t({ message: 'The device could not be read: {0}', args: [reason.detail], comment: ['{0} is the error sentence'] });
    case 'device-limited':
      return l10n.t({ message: 'The device did not tell: {0}', args: [reason.detail], comment: ['{0} says why (e.g. not paired)'] });
    case 'device-not-reported':
      return l10n.t('The device did not report this.');
    case 'backup-reading':
      return l10n.t('The backup is still being read.');
    case 'backup-unreadable':
      return l10n.t({ message: 'The backup could not be read: {0}', args: [reason.detail], comment: ['{0} says why'] });
    case 'backup-not-recorded':
      return l10n.t('The backup does not record this.');
    case 'backup-encrypted-needs-password':
      return l10n.t('The backup is encrypted: its password is needed to read the device state at backup time. Verify the backup password and let VS Code remember it, or answer here.');
    case 'backup-wrong-password':
      return l10n.t('The saved password does not open the backup, so the device state at backup time could not be read.');
    case 'backup-store-absent':
      return l10n.t({ message: 'The backup does not show the device state at backup time: {0}', args: [reason.detail], comment: ['{0} says why (one sentence)'] });
    case 'backup-file-unreadable':
      return l10n.t({ message: 'A file of the backup that records the device state could not be read: {0}', args: [reason.detail], comment: ['{0} says which file and why'] });
    case 'management-site':
      return l10n.t('This is a setting on the MDM management site; it cannot be read from the device.');
    case 'malformed-version':
      return l10n.t({ message: 'The reported version "{0}" is not an iOS version.', args: [reason.detail], comment: ['{0} is the reported text'] });
  }
}
