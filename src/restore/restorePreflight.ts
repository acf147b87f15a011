import { evaluateRestore } from '../compat/evaluateRestore';
import type { FactKey, SourceFacts, TargetFacts } from '../compat/facts';
import type { PreconditionResult } from '../compat/preconditionChecks';
import { describeCell } from '../compat/reportText';
import { resolveFacts, type FactAnswerValues, type ResolvedFacts } from '../compat/resolveFacts';
import type { RestoreReport } from '../compat/restoreReport';
import type { CompatRules } from '../compat/rulesModel';
import type { LocalizedText } from '../common/localizedText';
import { targetSlotsFromDevice } from '../compat/deviceFactSlots';
import { formatByteCount } from '../common/byteCount';
import { SNAPSHOT_STATE_FINISHED } from '../backup/format/statusPlist';
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

const TITLES: Record<PreflightCheckId, LocalizedText> = {
  'backup-complete': { en: 'Backup complete', ja: 'バックアップの完全性' },
  'backup-health': { en: 'Backup health (quick check)', ja: 'バックアップの健全性（簡易チェック）' },
  'backup-password': { en: 'Backup password', ja: 'バックアップのパスワード' },
  'backup-encryption': { en: 'What the backup carries', ja: 'バックアップに含まれる内容' },
  'device-paired': { en: 'Device paired', ja: '端末のペアリング' },
  'device-unlocked': { en: 'Device unlocked', ja: '端末のロック解除' },
  'device-activated': { en: 'Device activated', ja: '端末のアクティベーション' },
  'find-my': { en: 'Find My off', ja: '「探す」がオフ' },
  'free-space': { en: 'Free space on the device', ja: '端末の空き容量' },
  'ios-version': { en: 'iOS version', ja: 'iOSバージョン' },
  'compat-verdict': { en: 'Restore compatibility (MDM vendor rules)', ja: '復元の可否（MDMベンダーの条件）' },
};

const NOT_READ: LocalizedText = {
  en: 'Not checked: the device was not read because the backup failed its own checks first.',
  ja: '未確認: バックアップの確認で問題が見つかったため、端末は読み取っていません。',
};

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
  const result: PreflightCheck = { id, title: TITLES[id], status, sentence };
  if (action && status !== 'pass') result.action = action;
  return result;
}

function notRead(id: PreflightCheckId): PreflightCheck {
  return check(id, 'unknown', NOT_READ);
}

function checkBackupComplete(backup: BackupPreflightFacts): PreflightCheck {
  const problems: LocalizedText[] = [];
  if (backup.backupInterrupted) {
    problems.push({ en: 'a backup into this folder was interrupted', ja: 'このフォルダへのバックアップが途中で中断されています' });
  }
  if (backup.missingFiles.length > 0) {
    const files = backup.missingFiles.join(', ');
    problems.push({ en: `the folder lacks ${files}`, ja: `フォルダに ${files} がありません` });
  }
  if (backup.emptyFiles.length > 0) {
    const files = backup.emptyFiles.join(', ');
    problems.push({ en: `${files} ${backup.emptyFiles.length === 1 ? 'is' : 'are'} empty (0 bytes), which makes the device stop with error 205`, ja: `${files} が空（0バイト）で、端末はエラー205で停止します` });
  }
  if (!backup.missingFiles.includes('Status.plist')) {
    if (backup.statusProblem !== undefined) {
      problems.push({ en: `Status.plist cannot be read (${backup.statusProblem})`, ja: `Status.plist を読み取れません（${backup.statusProblem}）` });
    } else if (backup.snapshotState !== SNAPSHOT_STATE_FINISHED) {
      const state = backup.snapshotState === undefined ? 'missing' : `"${backup.snapshotState}"`;
      problems.push({ en: `the backup never finished (Status.plist SnapshotState is ${state}, not "finished")`, ja: `バックアップが完了していません（Status.plist の SnapshotState が ${state} で "finished" ではありません）` });
    }
  }
  if (problems.length === 0) {
    return check('backup-complete', 'pass', {
      en: 'The backup is complete: Status.plist says "finished" and no metadata file is empty.',
      ja: 'バックアップは完全です。Status.plist は "finished" で、空のメタデータファイルはありません。',
    });
  }
  const onlyMissing = backup.missingFiles.length > 0 && backup.missingFiles.length === 4;
  return check(
    'backup-complete',
    'fail',
    { en: `This backup cannot be restored: ${problems.map((p) => p.en).join('; ')}.`, ja: `このバックアップは復元できません: ${problems.map((p) => p.ja).join('、')}。` },
    onlyMissing
      ? {
          en: 'Point to the backup folder itself: the folder named after the device UDID that holds Info.plist and Manifest.plist.',
          ja: 'バックアップフォルダそのもの（端末のUDID名で、Info.plist と Manifest.plist を含むフォルダ）を指定してください。',
        }
      : {
          en: 'Make a new backup of the source device, let it finish, and restore from that one.',
          ja: '復元元の端末で新しいバックアップを最後まで作成し、そのバックアップから復元してください。',
        },
  );
}

/** The full check reads every file; the restore checks run the quick part and point to the full one. */
const FULL_CHECK: LocalizedText = {
  en: `Run the full health check (iosbr verify "<backup folder>", or Verify Backup in VS Code) to check every file of the backup.`,
  ja: 'バックアップの全ファイルを確認するには、完全な健全性チェック（iosbr verify "<バックアップフォルダ>"、または VS Code の「バックアップを検証」）を実行してください。',
};

/**
 * The quick health check's verdict. When the completeness check already failed, the folder's own files
 * (Info.plist, Status.plist, …) are its findings, so only problems with the backed-up files are listed here:
 * one cause is reported once.
 */
function checkBackupHealth(backup: BackupPreflightFacts, completenessFailed: boolean): PreflightCheck {
  const outcome = backup.health;
  if (outcome.kind === 'not-checked') {
    return check(
      'backup-health',
      'unknown',
      { en: `The quick health check could not run: ${outcome.reason}`, ja: `簡易健全性チェックを実行できませんでした: ${outcome.reason}` },
      FULL_CHECK,
    );
  }
  const problems = outcome.health.problems.filter((p) => !completenessFailed || p.domain !== null);
  if (problems.length === 0 && completenessFailed) {
    return check('backup-health', 'unknown', {
      en: "The quick health check found nothing beyond the completeness check's findings above.",
      ja: '簡易健全性チェックでは、上の完全性チェックの指摘以外の問題は見つかりませんでした。',
    });
  }
  if (problems.length === 0) {
    return check('backup-health', 'pass', {
      en: "The quick health check found no problem: the backup's plists agree, Status.plist says it finished and Manifest.db opens. The content files were not read.",
      ja: '簡易健全性チェックで問題は見つかりませんでした（plistの内容が一致し、Status.plist は完了を示し、Manifest.db を開けます）。個々のファイルは読み取っていません。',
    });
  }
  // A few are enough to act on; the full check lists every one.
  const shown = problems.slice(0, 5).map((p) => `${p.domain === null ? '' : `${p.domain}/`}${p.relativePath}: ${p.problem}`);
  const more = problems.length > shown.length ? problems.length - shown.length : 0;
  const list = shown.join(' ');
  return check(
    'backup-health',
    'fail',
    {
      en: `The quick health check found ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}, so the device would likely stop the restore: ${list}${more > 0 ? ` (and ${more} more)` : ''}`,
      ja: `簡易健全性チェックで${problems.length}件の問題が見つかりました。このままでは端末が復元を中断する可能性があります: ${list}${more > 0 ? `（ほか${more}件）` : ''}`,
    },
    {
      en: `Make a new backup of the source device and restore from that one. ${FULL_CHECK.en}`,
      ja: `復元元の端末で新しいバックアップを作成し、そこから復元してください。${FULL_CHECK.ja}`,
    },
  );
}

function checkBackupPassword(backup: BackupPreflightFacts, options: PreflightOptions): PreflightCheck {
  const outcome = backup.password;
  switch (outcome.kind) {
    case 'not-needed':
      return check('backup-password', 'pass', { en: 'The backup is not encrypted, so no password is needed.', ja: 'バックアップは暗号化されていないため、パスワードは不要です。' });
    case 'correct':
      return check('backup-password', 'pass', {
        en: 'The password opens the backup (checked on this computer, before the device was touched).',
        ja: 'パスワードでバックアップを開けることを確認しました（端末に触れる前にこのコンピュータで確認）。',
      });
    case 'wrong':
      return check(
        'backup-password',
        'fail',
        {
          en: 'The password does not open this backup; the device would refuse it with error 207.',
          ja: 'このパスワードではバックアップを開けません。端末はエラー207で拒否します。',
        },
        {
          en: 'Use the password this backup was encrypted with (not the device passcode or the Apple ID password). If it is lost, this backup cannot be restored: make a new encrypted backup of the source device.',
          ja: 'このバックアップを暗号化したときのパスワード（端末のパスコードやApple IDのパスワードではありません）を使ってください。分からない場合このバックアップは復元できないため、復元元の端末で新しい暗号化バックアップを作成してください。',
        },
      );
    case 'missing':
      return check(
        'backup-password',
        options.passwordRequired ? 'fail' : 'unknown',
        { en: 'The backup is encrypted and no password was given, so it was not checked.', ja: 'バックアップは暗号化されていますが、パスワードが指定されていないため確認していません。' },
        { en: 'Give the backup password so it can be checked before the restore.', ja: '復元前に確認できるよう、バックアップのパスワードを指定してください。' },
      );
    case 'keybag-unreadable':
      return check(
        'backup-password',
        'fail',
        { en: `The backup's keybag cannot be read (${outcome.reason}), so no password can open it.`, ja: `バックアップのキーバッグを読み取れないため（${outcome.reason}）、どのパスワードでも開けません。` },
        { en: 'Make a new encrypted backup of the source device and restore from that one.', ja: '復元元の端末で新しい暗号化バックアップを作成し、そこから復元してください。' },
      );
    case 'unknown':
      return check('backup-password', 'unknown', {
        en: `Whether the backup is encrypted is not known: ${outcome.reason}`,
        ja: `バックアップが暗号化されているか分かりません: ${outcome.reason}`,
      });
  }
}

function checkBackupEncryption(backup: BackupPreflightFacts): PreflightCheck {
  if (backup.encrypted === true) {
    return check('backup-encryption', 'pass', {
      en: 'The backup is encrypted, so saved passwords, Wi-Fi settings, website history and Health data come back too.',
      ja: 'バックアップは暗号化されているため、保存したパスワード、Wi-Fi設定、Webサイトの履歴、ヘルスケアのデータも復元されます。',
    });
  }
  if (backup.encrypted === false) {
    return check(
      'backup-encryption',
      'warn',
      {
        en: 'The backup is not encrypted: saved passwords, Wi-Fi settings, website history and Health data are not in it and will not be restored.',
        ja: 'バックアップは暗号化されていません。保存したパスワード、Wi-Fi設定、Webサイトの履歴、ヘルスケアのデータは含まれず、復元されません。',
      },
      {
        en: 'To bring them over, turn on backup encryption on the source device, make a new backup and restore that one.',
        ja: 'これらも移行するには、復元元の端末でバックアップの暗号化をオンにして新しいバックアップを作成し、それを復元してください。',
      },
    );
  }
  return check('backup-encryption', 'unknown', {
    en: 'Whether the backup is encrypted is not known, because its Manifest.plist cannot be read.',
    ja: 'Manifest.plist を読み取れないため、バックアップが暗号化されているか分かりません。',
  });
}

function checkPaired(target: TargetPreflightFacts): PreflightCheck {
  if (target.device.paired) return check('device-paired', 'pass', { en: 'This computer is paired with the device.', ja: 'このコンピュータは端末とペアリング済みです。' });
  return check(
    'device-paired',
    'fail',
    { en: 'This computer is not paired with the device, so nothing can be restored to it.', ja: 'このコンピュータは端末とペアリングされていないため、復元できません。' },
    { en: 'Pair the device with this computer and tap "Trust" on the device, then try again.', ja: '端末をこのコンピュータとペアリングし、端末で「信頼」をタップしてから再度実行してください。' },
  );
}

function checkUnlocked(target: TargetPreflightFacts): PreflightCheck {
  const locked = target.device.passcodeLocked;
  if (locked === false) return check('device-unlocked', 'pass', { en: 'The device is unlocked.', ja: '端末のロックは解除されています。' });
  if (locked === true) {
    return check(
      'device-unlocked',
      'fail',
      { en: 'The device is locked with its passcode; a locked device stops the restore (error 208).', ja: '端末はパスコードでロックされています。ロックされているとエラー208で復元が止まります。' },
      { en: 'Unlock the device and keep it unlocked and awake until the restore is done.', ja: '端末のロックを解除し、復元が終わるまでロック解除・画面オンのままにしてください。' },
    );
  }
  return check(
    'device-unlocked',
    'unknown',
    { en: 'Whether the device is locked could not be read.', ja: '端末がロックされているか読み取れませんでした。' },
    { en: 'Make sure the device is unlocked and stays awake during the restore.', ja: '復元中は端末のロックを解除し、画面をオンのままにしてください。' },
  );
}

function checkActivated(target: TargetPreflightFacts): PreflightCheck {
  const state = target.activationState;
  if (state === undefined) {
    return check('device-activated', 'unknown', { en: 'Whether the device is activated could not be read.', ja: '端末がアクティベート済みか読み取れませんでした。' });
  }
  if (state === 'Unactivated') {
    return check(
      'device-activated',
      'fail',
      { en: 'The device is not activated yet, and it does not start the backup service before activation.', ja: '端末はまだアクティベートされておらず、アクティベート前はバックアップのサービスが起動しません。' },
      {
        en: 'Go on with Setup Assistant on the device until it is activated (connect it to Wi-Fi), then restore from the Apps & Data screen ("Restore from Mac or PC").',
        ja: '端末の初期設定をアクティベートされるまで進め（Wi-Fiに接続）、「Appとデータ」画面の「MacまたはPCから復元」から復元してください。',
      },
    );
  }
  return check('device-activated', 'pass', {
    en: `The device is activated (${state}); restoring while it shows Setup Assistant's Apps & Data screen is fine.`,
    ja: `端末はアクティベート済みです（${state}）。初期設定の「Appとデータ」画面の状態で復元しても問題ありません。`,
  });
}

function checkFindMy(target: TargetPreflightFacts): PreflightCheck {
  const findMy = target.device.findMy;
  if (findMy === false) return check('find-my', 'pass', { en: 'Find My is off on the device.', ja: '端末の「探す」はオフです。' });
  const turnOff: LocalizedText = {
    en: 'On the device open Settings > [your name] > Find My > Find My iPhone and turn it off (the Apple ID password is needed), restore, then turn it back on.',
    ja: '端末の 設定 > [ユーザ名] > 探す > iPhoneを探す をオフにし（Apple IDのパスワードが必要）、復元後にオンに戻してください。',
  };
  if (findMy === true) {
    return check('find-my', 'fail', { en: 'Find My is on; the device refuses a restore while it is on (error 211).', ja: '「探す」がオンです。オンのままでは端末が復元を拒否します（エラー211）。' }, turnOff);
  }
  return check(
    'find-my',
    'unknown',
    { en: 'Whether Find My is on could not be read; if it is on, the device refuses the restore (error 211).', ja: '「探す」の状態を読み取れませんでした。オンの場合、端末は復元を拒否します（エラー211）。' },
    turnOff,
  );
}

function checkFreeSpace(backup: BackupPreflightFacts, target: TargetPreflightFacts): PreflightCheck {
  const need = backup.sizeBytes;
  const have = target.freeBytes;
  if (have === undefined) {
    return check(
      'free-space',
      'unknown',
      { en: `The device's free space could not be read; the backup holds ${formatByteCount(need)}.`, ja: `端末の空き容量を読み取れませんでした。バックアップの容量は ${formatByteCount(need)} です。` },
      { en: `Check that the device has at least ${formatByteCount(need)} free (Settings > General > iPhone Storage).`, ja: `端末に ${formatByteCount(need)} 以上の空きがあるか確認してください（設定 > 一般 > iPhoneストレージ）。` },
    );
  }
  if (have < need) {
    return check(
      'free-space',
      'fail',
      {
        en: `The device has ${formatByteCount(have)} free but the backup holds ${formatByteCount(need)}; the device would stop with error 105 (not enough free space on the device to restore).`,
        ja: `端末の空き容量は ${formatByteCount(have)} ですが、バックアップは ${formatByteCount(need)} あります。端末はエラー105（復元に必要な空き容量不足）で停止します。`,
      },
      {
        en: `Free at least ${formatByteCount(need - have)} on the device (delete apps or media, or erase it), then try again.`,
        ja: `端末で ${formatByteCount(need - have)} 以上の空きを作ってから（Appやメディアの削除、または消去）再度実行してください。`,
      },
    );
  }
  return check('free-space', 'pass', {
    en: `The device has ${formatByteCount(have)} free, enough for the backup's ${formatByteCount(need)}.`,
    ja: `端末の空き容量は ${formatByteCount(have)} で、バックアップの ${formatByteCount(need)} に十分です。`,
  });
}

function checkIosVersion(report: RestoreReport): PreflightCheck {
  const precondition = report.preconditions.find((p) => p.check === IOS_PRECONDITION_CHECK);
  if (!precondition) {
    return check('ios-version', 'unknown', { en: 'The compatibility rules in use do not compare iOS versions.', ja: '使用中の互換性ルールにはiOSバージョンの比較がありません。' });
  }
  if (precondition.status === 'fail') {
    return check('ios-version', 'fail', precondition.why, {
      en: 'Update the device first: set it up as new, update iOS, erase it, then restore. Otherwise the restore is refused ("the software on the iPhone is too old").',
      ja: '先に端末をアップデートしてください（新しい端末として設定 → iOSをアップデート → 消去 → 復元）。そのままでは「iPhone上のソフトウェアが古すぎる」として復元が拒否されます。',
    });
  }
  if (precondition.status === 'unknown') {
    return check('ios-version', 'unknown', precondition.why, {
      en: "Compare the backup's iOS version with the device's before restoring; the device must run the same or a newer iOS.",
      ja: '復元前に、バックアップと端末のiOSバージョンを比較してください。端末は同じか新しいiOSである必要があります。',
    });
  }
  return check('ios-version', 'pass', precondition.why);
}

function checkCompatVerdict(rules: CompatRules, report: RestoreReport): PreflightCheck {
  const others = report.preconditions.filter((p) => p.check !== IOS_PRECONDITION_CHECK);
  const failed = others.filter((p) => p.status === 'fail');
  const cell = report.cell ? { en: describeCell(rules, report.cell, 'en'), ja: describeCell(rules, report.cell, 'ja') } : undefined;
  if (report.tableSupported === 'no') {
    const instead = report.alternativeActions.map((a) => a.title);
    return check(
      'compat-verdict',
      'fail',
      {
        en: `The MDM vendor's rules do not support this restore${cell ? ` (${cell.en})` : ''}.`,
        ja: `MDMベンダーの条件では、この復元はサポート対象外です${cell ? `（${cell.ja}）` : ''}。`,
      },
      instead.length > 0 ? { en: instead.map((t) => t.en).join(' '), ja: instead.map((t) => t.ja).join(' ') } : undefined,
    );
  }
  if (failed.length > 0) return check('compat-verdict', 'fail', joinWhy(failed), { en: failed.map((p) => p.text.en).join(' '), ja: failed.map((p) => p.text.ja).join(' ') });
  if (report.tableSupported === 'yes' && others.every((p) => p.status === 'pass')) {
    return check('compat-verdict', 'pass', {
      en: `Supported by the MDM vendor's rules${cell ? ` (${cell.en})` : ''}; agent after the restore: ${report.agent}, MDM: ${report.mdm}.`,
      ja: `MDMベンダーの条件でサポート対象です${cell ? `（${cell.ja}）` : ''}。復元後のエージェント: ${report.agent}、MDM: ${report.mdm}。`,
    });
  }
  const questions = report.questions.map((q) => q.text);
  return check(
    'compat-verdict',
    'unknown',
    {
      en: "The MDM vendor's rules cannot decide this restore yet: some facts are not known.",
      ja: 'MDMベンダーの条件では、まだ判断できません（不明な事項があります）。',
    },
    questions.length > 0
      ? { en: `Answer: ${questions.map((q) => q.en).join(' ')}`, ja: `確認してください: ${questions.map((q) => q.ja).join(' ')}` }
      : undefined,
  );
}

function joinWhy(results: readonly PreconditionResult[]): LocalizedText {
  return { en: results.map((p) => p.why.en).join(' '), ja: results.map((p) => p.why.ja).join(' ') };
}
