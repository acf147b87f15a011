import type { Lang, LocalizedText } from '../common/localizedText';
import type { PreflightCheckId, PreflightStatus, RestorePreflightResult } from './restorePreflight';

type Text = LocalizedText;

/** The full check reads every file; the restore checks run the quick part and point to the full one. */
const FULL_CHECK: Text = {
  en: `Run the full health check (iosbr verify "<backup folder>", or Verify Backup in VS Code) to check every file of the backup.`,
  ja: 'バックアップの全ファイルを確認するには、完全な健全性チェック（iosbr verify "<バックアップフォルダ>"、または VS Code の「バックアップを検証」）を実行してください。',
};

/** Every sentence the restore checks say, by check; restorePreflight.ts picks one by what it found. */
export const PREFLIGHT_TEXT = {
  titles: {
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
  } satisfies Record<PreflightCheckId, Text>,
  notRead: {
    en: 'Not checked: the device was not read because the backup failed its own checks first.',
    ja: '未確認: バックアップの確認で問題が見つかったため、端末は読み取っていません。',
  },
  complete: {
    interrupted: { en: 'a backup into this folder was interrupted', ja: 'このフォルダへのバックアップが途中で中断されています' },
    lacks: (files: string): Text => ({ en: `the folder lacks ${files}`, ja: `フォルダに ${files} がありません` }),
    empty: (files: string, count: number): Text => ({ en: `${files} ${count === 1 ? 'is' : 'are'} empty (0 bytes), which makes the device stop with error 205`, ja: `${files} が空（0バイト）で、端末はエラー205で停止します` }),
    statusUnreadable: (problem: string): Text => ({ en: `Status.plist cannot be read (${problem})`, ja: `Status.plist を読み取れません（${problem}）` }),
    notFinished: (state: string): Text => ({ en: `the backup never finished (Status.plist SnapshotState is ${state}, not "finished")`, ja: `バックアップが完了していません（Status.plist の SnapshotState が ${state} で "finished" ではありません）` }),
    pass: {
      en: 'The backup is complete: Status.plist says "finished" and no metadata file is empty.',
      ja: 'バックアップは完全です。Status.plist は "finished" で、空のメタデータファイルはありません。',
    },
    fail: (problems: readonly Text[]): Text => ({ en: `This backup cannot be restored: ${problems.map((p) => p.en).join('; ')}.`, ja: `このバックアップは復元できません: ${problems.map((p) => p.ja).join('、')}。` }),
    pointToFolder: {
      en: 'Point to the backup folder itself: the folder named after the device UDID that holds Info.plist and Manifest.plist.',
      ja: 'バックアップフォルダそのもの（端末のUDID名で、Info.plist と Manifest.plist を含むフォルダ）を指定してください。',
    },
    makeNew: {
      en: 'Make a new backup of the source device, let it finish, and restore from that one.',
      ja: '復元元の端末で新しいバックアップを最後まで作成し、そのバックアップから復元してください。',
    },
  },
  health: {
    fullCheck: FULL_CHECK,
    notChecked: (reason: string): Text => ({ en: `The quick health check could not run: ${reason}`, ja: `簡易健全性チェックを実行できませんでした: ${reason}` }),
    nothingMore: {
      en: "The quick health check found nothing beyond the completeness check's findings above.",
      ja: '簡易健全性チェックでは、上の完全性チェックの指摘以外の問題は見つかりませんでした。',
    },
    pass: {
      en: "The quick health check found no problem: the backup's plists agree, Status.plist says it finished and Manifest.db opens. The content files were not read.",
      ja: '簡易健全性チェックで問題は見つかりませんでした（plistの内容が一致し、Status.plist は完了を示し、Manifest.db を開けます）。個々のファイルは読み取っていません。',
    },
    fail: (count: number, list: string, more: number): Text => ({
      en: `The quick health check found ${count === 1 ? 'a problem' : `${count} problems`}, so the device would likely stop the restore: ${list}${more > 0 ? ` (and ${more} more)` : ''}`,
      ja: `簡易健全性チェックで${count}件の問題が見つかりました。このままでは端末が復元を中断する可能性があります: ${list}${more > 0 ? `（ほか${more}件）` : ''}`,
    }),
    makeNew: { en: `Make a new backup of the source device and restore from that one. ${FULL_CHECK.en}`, ja: `復元元の端末で新しいバックアップを作成し、そこから復元してください。${FULL_CHECK.ja}` },
  },
  password: {
    notNeeded: { en: 'The backup is not encrypted, so no password is needed.', ja: 'バックアップは暗号化されていないため、パスワードは不要です。' },
    correct: {
      en: 'The password opens the backup (checked on this computer, before the device was touched).',
      ja: 'パスワードでバックアップを開けることを確認しました（端末に触れる前にこのコンピュータで確認）。',
    },
    wrong: { en: 'The password does not open this backup; the device would refuse it with error 207.', ja: 'このパスワードではバックアップを開けません。端末はエラー207で拒否します。' },
    useTheRightOne: {
      en: 'Use the password this backup was encrypted with (not the device passcode or the Apple ID password). If it is lost, this backup cannot be restored: make a new encrypted backup of the source device.',
      ja: 'このバックアップを暗号化したときのパスワード（端末のパスコードやApple IDのパスワードではありません）を使ってください。分からない場合このバックアップは復元できないため、復元元の端末で新しい暗号化バックアップを作成してください。',
    },
    missing: { en: 'The backup is encrypted and no password was given, so it was not checked.', ja: 'バックアップは暗号化されていますが、パスワードが指定されていないため確認していません。' },
    giveIt: { en: 'Give the backup password so it can be checked before the restore.', ja: '復元前に確認できるよう、バックアップのパスワードを指定してください。' },
    keybagUnreadable: (reason: string): Text => ({ en: `The backup's keybag cannot be read (${reason}), so no password can open it.`, ja: `バックアップのキーバッグを読み取れないため（${reason}）、どのパスワードでも開けません。` }),
    makeNewEncrypted: { en: 'Make a new encrypted backup of the source device and restore from that one.', ja: '復元元の端末で新しい暗号化バックアップを作成し、そこから復元してください。' },
    unknown: (reason: string): Text => ({ en: `Whether the backup is encrypted is not known: ${reason}`, ja: `バックアップが暗号化されているか分かりません: ${reason}` }),
  },
  encryption: {
    encrypted: {
      en: 'The backup is encrypted, so saved passwords, Wi-Fi settings, website history and Health data come back too.',
      ja: 'バックアップは暗号化されているため、保存したパスワード、Wi-Fi設定、Webサイトの履歴、ヘルスケアのデータも復元されます。',
    },
    notEncrypted: {
      en: 'The backup is not encrypted: saved passwords, Wi-Fi settings, website history and Health data are not in it and will not be restored.',
      ja: 'バックアップは暗号化されていません。保存したパスワード、Wi-Fi設定、Webサイトの履歴、ヘルスケアのデータは含まれず、復元されません。',
    },
    turnOn: {
      en: 'To bring them over, turn on backup encryption on the source device, make a new backup and restore that one.',
      ja: 'これらも移行するには、復元元の端末でバックアップの暗号化をオンにして新しいバックアップを作成し、それを復元してください。',
    },
    unknown: { en: 'Whether the backup is encrypted is not known, because its Manifest.plist cannot be read.', ja: 'Manifest.plist を読み取れないため、バックアップが暗号化されているか分かりません。' },
  },
  paired: {
    pass: { en: 'This computer is paired with the device.', ja: 'このコンピュータは端末とペアリング済みです。' },
    fail: { en: 'This computer is not paired with the device, so nothing can be restored to it.', ja: 'このコンピュータは端末とペアリングされていないため、復元できません。' },
    pair: { en: 'Pair the device with this computer and tap "Trust" on the device, then try again.', ja: '端末をこのコンピュータとペアリングし、端末で「信頼」をタップしてから再度実行してください。' },
  },
  unlocked: {
    pass: { en: 'The device is unlocked.', ja: '端末のロックは解除されています。' },
    fail: { en: 'The device is locked with its passcode; a locked device stops the restore (error 208).', ja: '端末はパスコードでロックされています。ロックされているとエラー208で復元が止まります。' },
    unlock: { en: 'Unlock the device and keep it unlocked and awake until the restore is done.', ja: '端末のロックを解除し、復元が終わるまでロック解除・画面オンのままにしてください。' },
    unknown: { en: 'Whether the device is locked could not be read.', ja: '端末がロックされているか読み取れませんでした。' },
    keepUnlocked: { en: 'Make sure the device is unlocked and stays awake during the restore.', ja: '復元中は端末のロックを解除し、画面をオンのままにしてください。' },
  },
  activated: {
    unknown: { en: 'Whether the device is activated could not be read.', ja: '端末がアクティベート済みか読み取れませんでした。' },
    fail: { en: 'The device is not activated yet, and it does not start the backup service before activation.', ja: '端末はまだアクティベートされておらず、アクティベート前はバックアップのサービスが起動しません。' },
    activate: {
      en: 'Go on with Setup Assistant on the device until it is activated (connect it to Wi-Fi), then restore from the Apps & Data screen ("Restore from Mac or PC").',
      ja: '端末の初期設定をアクティベートされるまで進め（Wi-Fiに接続）、「Appとデータ」画面の「MacまたはPCから復元」から復元してください。',
    },
    pass: (state: string): Text => ({
      en: `The device is activated (${state}); restoring while it shows Setup Assistant's Apps & Data screen is fine.`,
      ja: `端末はアクティベート済みです（${state}）。初期設定の「Appとデータ」画面の状態で復元しても問題ありません。`,
    }),
  },
  findMy: {
    pass: { en: 'Find My is off on the device.', ja: '端末の「探す」はオフです。' },
    turnOff: {
      en: 'On the device open Settings > [your name] > Find My > Find My iPhone and turn it off (the Apple ID password is needed), restore, then turn it back on.',
      ja: '端末の 設定 > [ユーザ名] > 探す > iPhoneを探す をオフにし（Apple IDのパスワードが必要）、復元後にオンに戻してください。',
    },
    fail: { en: 'Find My is on; the device refuses a restore while it is on (error 211).', ja: '「探す」がオンです。オンのままでは端末が復元を拒否します（エラー211）。' },
    unknown: { en: 'Whether Find My is on could not be read; if it is on, the device refuses the restore (error 211).', ja: '「探す」の状態を読み取れませんでした。オンの場合、端末は復元を拒否します（エラー211）。' },
  },
  freeSpace: {
    unknown: (need: string): Text => ({ en: `The device's free space could not be read; the backup holds ${need}.`, ja: `端末の空き容量を読み取れませんでした。バックアップの容量は ${need} です。` }),
    checkIt: (need: string): Text => ({ en: `Check that the device has at least ${need} free (Settings > General > iPhone Storage).`, ja: `端末に ${need} 以上の空きがあるか確認してください（設定 > 一般 > iPhoneストレージ）。` }),
    fail: (have: string, need: string): Text => ({
      en: `The device has ${have} free but the backup holds ${need}; the device would stop with error 105 (not enough free space on the device to restore).`,
      ja: `端末の空き容量は ${have} ですが、バックアップは ${need} あります。端末はエラー105（復元に必要な空き容量不足）で停止します。`,
    }),
    makeRoom: (missing: string): Text => ({ en: `Free at least ${missing} on the device (delete apps or media, or erase it), then try again.`, ja: `端末で ${missing} 以上の空きを作ってから（Appやメディアの削除、または消去）再度実行してください。` }),
    pass: (have: string, need: string): Text => ({ en: `The device has ${have} free, enough for the backup's ${need}.`, ja: `端末の空き容量は ${have} で、バックアップの ${need} に十分です。` }),
  },
  iosVersion: {
    notCompared: { en: 'The compatibility rules in use do not compare iOS versions.', ja: '使用中の互換性ルールにはiOSバージョンの比較がありません。' },
    updateFirst: {
      en: 'Update the device first: set it up as new, update iOS, erase it, then restore. Otherwise the restore is refused ("the software on the iPhone is too old").',
      ja: '先に端末をアップデートしてください（新しい端末として設定 → iOSをアップデート → 消去 → 復元）。そのままでは「iPhone上のソフトウェアが古すぎる」として復元が拒否されます。',
    },
    compare: {
      en: "Compare the backup's iOS version with the device's before restoring; the device must run the same or a newer iOS.",
      ja: '復元前に、バックアップと端末のiOSバージョンを比較してください。端末は同じか新しいiOSである必要があります。',
    },
  },
  verdict: {
    // The sentence names the rules' own document (title and version), so a reader knows which vendor's word it is.
    notSupported: (source: Text, cell: Text | undefined): Text => ({
      en: `The MDM vendor's document (${source.en}) does not support this restore${cell ? ` (${cell.en})` : ''}.`,
      ja: `MDMベンダーの資料（${source.ja}）では、この復元はサポート対象外です${cell ? `（${cell.ja}）` : ''}。`,
    }),
    supported: (source: Text, cell: Text | undefined, agent: string, mdm: string): Text => ({
      en: `The MDM vendor's document (${source.en}) supports this restore${cell ? ` (${cell.en})` : ''}; agent after the restore: ${agent}, MDM: ${mdm}.`,
      ja: `MDMベンダーの資料（${source.ja}）でサポート対象です${cell ? `（${cell.ja}）` : ''}。復元後のエージェント: ${agent}、MDM: ${mdm}。`,
    }),
    undecided: (source: Text): Text => ({
      en: `Whether the MDM vendor's document (${source.en}) supports this restore cannot be decided yet: some facts are not known.`,
      ja: `MDMベンダーの資料（${source.ja}）でサポート対象かどうか、まだ判断できません（不明な事項があります）。`,
    }),
    answer: (questions: readonly Text[]): Text => ({ en: `Answer: ${questions.map((q) => q.en).join(' ')}`, ja: `確認してください: ${questions.map((q) => q.ja).join(' ')}` }),
  },
} as const;

/** The texts joined by a space in each language (several reasons or actions said as one). */
export function joinTexts(texts: readonly Text[]): Text {
  return { en: texts.map((t) => t.en).join(' '), ja: texts.map((t) => t.ja).join(' ') };
}

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
