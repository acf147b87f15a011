import { evaluateRestore } from '../compat/evaluateRestore';
import type { FactKey, SourceFacts, TargetFacts } from '../compat/facts';
import { describeCell } from '../compat/reportText';
import { resolveFacts, type FactAnswerValues, type ResolvedFacts } from '../compat/resolveFacts';
import type { RestoreReport } from '../compat/restoreReport';
import type { CompatRules } from '../compat/rulesModel';
import type { LocalizedText } from '../common/localizedText';
import { targetSlotsFromDevice } from '../compat/deviceFactSlots';
import { formatByteCount } from '../common/byteCount';
import { SNAPSHOT_STATE_FINISHED } from '../backup/format/statusPlist';
import { joinTexts, PREFLIGHT_TEXT as T } from './preflightText';
import type { BackupPreflightFacts, CompatAnswers, RestorePreflightFacts, TargetPreflightFacts } from './restorePreflightFacts';

/** pass: fine; warn: fine but the engineer should know; fail: the restore must not start; unknown: could not be told. */
export type PreflightStatus = 'pass' | 'warn' | 'fail' | 'unknown';

/** The checks made before every restore (docs/failure-sources.md#preflight-checks), in the order they are shown. */
export const PREFLIGHT_CHECK_IDS = [
  'backup-complete',
  'backup-health',
  'backup-password',
  'backup-encryption',
  'device-paired',
  'device-unlocked',
  'device-activated',
  'find-my',
  'free-space',
  'ios-version',
  'compat-verdict',
] as const;

/** The name of one restore check. */
export type PreflightCheckId = (typeof PREFLIGHT_CHECK_IDS)[number];

/** One check's outcome: a sentence saying what was found and, unless it passed, what to do. */
export interface PreflightCheck {
  id: PreflightCheckId;
  title: LocalizedText;
  status: PreflightStatus;
  sentence: LocalizedText;
  action?: LocalizedText;
}

/** How the checks are judged. */
export interface PreflightOptions {
  /** A restore is about to start, so an encrypted backup without a password fails (preflight alone only notes it). */
  passwordRequired: boolean;
}

/** The outcome of all checks plus the compatibility report they include. */
export interface RestorePreflightResult {
  checks: PreflightCheck[];
  /** The compatibility report of the MDM vendor's document (verdict, preconditions, post-restore actions). */
  report: RestoreReport;
  /** What was read from the backup folder. */
  backup: BackupPreflightFacts;
  /** What was read from the device; absent when it was not read. */
  target?: TargetPreflightFacts;
  sourceFacts: SourceFacts;
  targetFacts: TargetFacts;
  /** Where each fact came from, or why it is unknown (the same resolution the compatibility panel shows). */
  provenance: Pick<ResolvedFacts, 'origins' | 'unknown' | 'unusedAnswers' | 'overriddenReads'>;
  /** A check failed: the restore must not start. */
  blocked: boolean;
  /** Every check passed or only warned. */
  clear: boolean;
}

/** The precondition of the MDM vendor's document that compares iOS versions; it is shown as its own check. */
const IOS_PRECONDITION_CHECK = 'target-ios-at-least-backup-ios';

/** Runs every restore check on gathered facts; pure, so each case is unit-tested without a device. */
export function evaluateRestorePreflight(facts: RestorePreflightFacts, options: PreflightOptions): RestorePreflightResult {
  const resolved = resolveRestorePreflightFacts(facts);
  const { source: sourceFacts, target: targetFacts } = resolved;
  const report = evaluateRestore(facts.rules, sourceFacts, targetFacts);
  const { backup, target } = facts;
  const checks: PreflightCheck[] = [
    checkBackupComplete(backup),
    checkBackupHealth(backup, checkBackupComplete(backup).status === 'fail'),
    checkBackupPassword(backup, options),
    checkBackupEncryption(backup),
    target ? checkPaired(target) : notRead('device-paired'),
    target ? checkUnlocked(target) : notRead('device-unlocked'),
    target ? checkActivated(target) : notRead('device-activated'),
    target ? checkFindMy(target) : notRead('find-my'),
    target ? checkFreeSpace(backup, target) : notRead('free-space'),
    target ? checkIosVersion(report) : notRead('ios-version'),
    target ? checkCompatVerdict(facts.rules, report) : notRead('compat-verdict'),
  ];
  const result: RestorePreflightResult = {
    checks,
    report,
    backup,
    sourceFacts,
    targetFacts,
    provenance: { origins: resolved.origins, unknown: resolved.unknown, unusedAnswers: resolved.unusedAnswers, overriddenReads: resolved.overriddenReads },
    blocked: checks.some((c) => c.status === 'fail'),
    clear: checks.every((c) => c.status === 'pass' || c.status === 'warn'),
  };
  if (target) result.target = target;
  return result;
}

/** True when the checks that need only the backup folder already stop the restore (the device is then not read). */
export function backupChecksBlock(backup: BackupPreflightFacts, options: PreflightOptions): boolean {
  const complete = checkBackupComplete(backup);
  return [complete, checkBackupHealth(backup, complete.status === 'fail'), checkBackupPassword(backup, options)].some((c) => c.status === 'fail');
}

/**
 * The compatibility facts of the restore checks, by the same resolution the panel uses (resolveFacts): the
 * backup's own files and the target device first, the engineer's answers only for what they do not tell.
 */
export function resolveRestorePreflightFacts(facts: Pick<RestorePreflightFacts, 'backup' | 'target' | 'answers'>): ResolvedFacts {
  const targetSlots = facts.target
    ? targetSlotsFromDevice(facts.target.device)
    : {
        // The device is not read when the backup already fails its own checks.
        'target.udid': { reason: NOT_READ_REASON },
        'target.iosVersion': { reason: NOT_READ_REASON },
        'target.supervised': { reason: NOT_READ_REASON },
        'target.adeRestoreFromBackupAllowed': { reason: { code: 'management-site' as const } },
      };
  const overrides: FactAnswerValues = facts.answers.targetSupervisedAtRestore === undefined ? {} : { 'target.supervised': facts.answers.targetSupervisedAtRestore };
  return resolveFacts({ ...facts.backup.source, ...targetSlots }, answerValues(facts.answers), overrides);
}

const NOT_READ_REASON = { code: 'device-unreadable' as const, detail: 'The device was not read because the backup failed its own checks first.' };

/** The answers of the CLI flags and the restore command, keyed by fact. */
export function answerValues(answers: CompatAnswers): FactAnswerValues {
  const values: FactAnswerValues = {};
  const put = (fact: FactKey, value: boolean | undefined): void => {
    if (value !== undefined) values[fact] = value;
  };
  put('target.supervised', answers.targetSupervised);
  put('target.adeRestoreFromBackupAllowed', answers.adeRestoreFromBackupAllowed);
  put('source.supervisedAtBackup', answers.sourceSupervisedAtBackup);
  put('source.mdmEnrolledAtBackup', answers.sourceMdmEnrolledAtBackup);
  return values;
}

function check(id: PreflightCheckId, status: PreflightStatus, sentence: LocalizedText, action?: LocalizedText): PreflightCheck {
  const result: PreflightCheck = { id, title: T.titles[id], status, sentence };
  if (action && status !== 'pass') result.action = action;
  return result;
}

function notRead(id: PreflightCheckId): PreflightCheck {
  return check(id, 'unknown', T.notRead);
}

function checkBackupComplete(backup: BackupPreflightFacts): PreflightCheck {
  const problems: LocalizedText[] = [];
  if (backup.backupInterrupted) problems.push(T.complete.interrupted);
  if (backup.missingFiles.length > 0) problems.push(T.complete.lacks(backup.missingFiles.join(', ')));
  if (backup.emptyFiles.length > 0) problems.push(T.complete.empty(backup.emptyFiles.join(', '), backup.emptyFiles.length));
  if (!backup.missingFiles.includes('Status.plist')) {
    if (backup.statusProblem !== undefined) problems.push(T.complete.statusUnreadable(backup.statusProblem));
    else if (backup.snapshotState !== SNAPSHOT_STATE_FINISHED) problems.push(T.complete.notFinished(backup.snapshotState === undefined ? 'missing' : `"${backup.snapshotState}"`));
  }
  if (problems.length === 0) return check('backup-complete', 'pass', T.complete.pass);
  const onlyMissing = backup.missingFiles.length > 0 && backup.missingFiles.length === 4;
  return check('backup-complete', 'fail', T.complete.fail(problems), onlyMissing ? T.complete.pointToFolder : T.complete.makeNew);
}

/**
 * The quick health check's verdict. When the completeness check already failed, the folder's own files
 * (Info.plist, Status.plist, …) are its findings, so only problems with the backed-up files are listed here:
 * one cause is reported once.
 */
function checkBackupHealth(backup: BackupPreflightFacts, completenessFailed: boolean): PreflightCheck {
  const outcome = backup.health;
  if (outcome.kind === 'not-checked') return check('backup-health', 'unknown', T.health.notChecked(outcome.reason), T.health.fullCheck);
  const problems = outcome.health.problems.filter((p) => !completenessFailed || p.domain !== null);
  if (problems.length === 0) return completenessFailed ? check('backup-health', 'unknown', T.health.nothingMore) : check('backup-health', 'pass', T.health.pass);
  // A few are enough to act on; the full check lists every one.
  const shown = problems.slice(0, 5).map((p) => `${p.domain === null ? '' : `${p.domain}/`}${p.relativePath}: ${p.problem}`);
  return check('backup-health', 'fail', T.health.fail(problems.length, shown.join(' '), problems.length - shown.length), T.health.makeNew);
}

function checkBackupPassword(backup: BackupPreflightFacts, options: PreflightOptions): PreflightCheck {
  const outcome = backup.password;
  switch (outcome.kind) {
    case 'not-needed':
      return check('backup-password', 'pass', T.password.notNeeded);
    case 'correct':
      return check('backup-password', 'pass', T.password.correct);
    case 'wrong':
      return check('backup-password', 'fail', T.password.wrong, T.password.useTheRightOne);
    case 'missing':
      return check('backup-password', options.passwordRequired ? 'fail' : 'unknown', T.password.missing, T.password.giveIt);
    case 'keybag-unreadable':
      return check('backup-password', 'fail', T.password.keybagUnreadable(outcome.reason), T.password.makeNewEncrypted);
    case 'unknown':
      return check('backup-password', 'unknown', T.password.unknown(outcome.reason));
  }
}

function checkBackupEncryption(backup: BackupPreflightFacts): PreflightCheck {
  if (backup.encrypted === true) return check('backup-encryption', 'pass', T.encryption.encrypted);
  if (backup.encrypted === false) return check('backup-encryption', 'warn', T.encryption.notEncrypted, T.encryption.turnOn);
  return check('backup-encryption', 'unknown', T.encryption.unknown);
}

function checkPaired(target: TargetPreflightFacts): PreflightCheck {
  return target.device.paired ? check('device-paired', 'pass', T.paired.pass) : check('device-paired', 'fail', T.paired.fail, T.paired.pair);
}

function checkUnlocked(target: TargetPreflightFacts): PreflightCheck {
  const locked = target.device.passcodeLocked;
  if (locked === false) return check('device-unlocked', 'pass', T.unlocked.pass);
  if (locked === true) return check('device-unlocked', 'fail', T.unlocked.fail, T.unlocked.unlock);
  return check('device-unlocked', 'unknown', T.unlocked.unknown, T.unlocked.keepUnlocked);
}

function checkActivated(target: TargetPreflightFacts): PreflightCheck {
  const state = target.activationState;
  if (state === undefined) return check('device-activated', 'unknown', T.activated.unknown);
  if (state === 'Unactivated') return check('device-activated', 'fail', T.activated.fail, T.activated.activate);
  return check('device-activated', 'pass', T.activated.pass(state));
}

function checkFindMy(target: TargetPreflightFacts): PreflightCheck {
  const findMy = target.device.findMy;
  if (findMy === false) return check('find-my', 'pass', T.findMy.pass);
  return check('find-my', findMy === true ? 'fail' : 'unknown', findMy === true ? T.findMy.fail : T.findMy.unknown, T.findMy.turnOff);
}

function checkFreeSpace(backup: BackupPreflightFacts, target: TargetPreflightFacts): PreflightCheck {
  const need = backup.sizeBytes;
  const have = target.freeBytes;
  if (have === undefined) return check('free-space', 'unknown', T.freeSpace.unknown(formatByteCount(need)), T.freeSpace.checkIt(formatByteCount(need)));
  if (have < need) return check('free-space', 'fail', T.freeSpace.fail(formatByteCount(have), formatByteCount(need)), T.freeSpace.makeRoom(formatByteCount(need - have)));
  return check('free-space', 'pass', T.freeSpace.pass(formatByteCount(have), formatByteCount(need)));
}

function checkIosVersion(report: RestoreReport): PreflightCheck {
  const precondition = report.preconditions.find((p) => p.check === IOS_PRECONDITION_CHECK);
  if (!precondition) return check('ios-version', 'unknown', T.iosVersion.notCompared);
  if (precondition.status === 'fail') return check('ios-version', 'fail', precondition.why, T.iosVersion.updateFirst);
  if (precondition.status === 'unknown') return check('ios-version', 'unknown', precondition.why, T.iosVersion.compare);
  return check('ios-version', 'pass', precondition.why);
}

function checkCompatVerdict(rules: CompatRules, report: RestoreReport): PreflightCheck {
  const others = report.preconditions.filter((p) => p.check !== IOS_PRECONDITION_CHECK);
  const failed = others.filter((p) => p.status === 'fail');
  const cell = report.cell ? { en: describeCell(rules, report.cell, 'en'), ja: describeCell(rules, report.cell, 'ja') } : undefined;
  const { documentTitle, documentVersion } = rules.identity;
  const source = { en: `${documentTitle.en}, Ver ${documentVersion}`, ja: `${documentTitle.ja} Ver ${documentVersion}` };
  if (report.tableSupported === 'no') {
    const instead = report.alternativeActions.map((a) => a.title);
    return check('compat-verdict', 'fail', T.verdict.notSupported(source, cell), instead.length > 0 ? joinTexts(instead) : undefined);
  }
  if (failed.length > 0) return check('compat-verdict', 'fail', joinTexts(failed.map((p) => p.why)), joinTexts(failed.map((p) => p.text)));
  if (report.tableSupported === 'yes' && others.every((p) => p.status === 'pass')) {
    return check('compat-verdict', 'pass', T.verdict.supported(source, cell, report.agent, report.mdm));
  }
  const questions = report.questions.map((q) => q.text);
  return check('compat-verdict', 'unknown', T.verdict.undecided(source), questions.length > 0 ? T.verdict.answer(questions) : undefined);
}
