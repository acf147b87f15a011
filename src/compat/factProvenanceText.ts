import type { FactKey } from './facts';
import type { FactOrigin, UnknownReason } from './factProvenance';
import type { ResolvedFacts } from './resolveFacts';
import type { Lang, LocalizedText } from '../common/localizedText';

/** What each fact is called in the CLI's lines. */
const FACT_LABEL: Readonly<Record<FactKey, LocalizedText>> = {
  'source.udid': { en: 'Backup device UDID', ja: 'バックアップ端末のUDID' },
  'source.iosVersion': { en: 'Backup iOS version', ja: 'バックアップ時のiOSバージョン' },
  'source.supervisedAtBackup': { en: 'Supervised when backed up', ja: 'バックアップ時の監視状態' },
  'source.mdmEnrolledAtBackup': { en: 'MDM-enrolled when backed up', ja: 'バックアップ時のMDM登録' },
  'target.udid': { en: 'Target UDID', ja: '復元先のUDID' },
  'target.iosVersion': { en: 'Target iOS version', ja: '復元先のiOSバージョン' },
  'target.supervised': { en: 'Target supervised', ja: '復元先の監視状態' },
  'target.adeRestoreFromBackupAllowed': { en: 'ADE profile allows restore from backup', ja: 'ADE定義プロファイルでバックアップからの復元を許可' },
};

/** Where a known fact came from, in words. */
export function factOriginText(origin: FactOrigin): LocalizedText {
  switch (origin.kind) {
    case 'device':
      return { en: 'read from the device', ja: '端末から読み取り' };
    case 'backup':
      return { en: `read from the backup's ${origin.file}`, ja: `バックアップの ${origin.file} から読み取り` };
    case 'answer':
      return { en: 'answered by you', ja: 'あなたの回答' };
  }
}

/** Why a fact is unknown, by reason: a sentence, or (a function) one the reader's own detail completes. */
const UNKNOWN_REASON_TEXT: Readonly<Record<UnknownReason['code'], LocalizedText | ((detail: string) => LocalizedText)>> = {
  'no-source': { en: 'No source is chosen.', ja: '復元元が選ばれていません。' },
  'no-target': { en: 'No target device is chosen.', ja: '復元先の端末が選ばれていません。' },
  'device-detached': { en: 'The device is not attached, so this cannot be read.', ja: '端末が接続されていないため読み取れません。' },
  'device-reading': { en: 'The device is still being read.', ja: '端末を読み取り中です。' },
  'device-unreadable': (detail) => withDetail('The device could not be read', '端末を読み取れませんでした', detail),
  'device-limited': (detail) => withDetail('The device did not tell', '端末から取得できませんでした', detail),
  'device-not-reported': { en: 'The device did not report this.', ja: '端末はこの値を報告しませんでした。' },
  'backup-reading': { en: 'The backup is still being read.', ja: 'バックアップを読み取り中です。' },
  'backup-unreadable': (detail) => withDetail('The backup could not be read', 'バックアップを読み取れませんでした', detail),
  'backup-not-recorded': { en: "The backup's plists do not record this.", ja: 'バックアップのplistに記録されていません。' },
  'backup-encrypted-needs-password': (detail) =>
    withDetail('The backup is encrypted: its password is needed to read the configuration-profile store', 'バックアップは暗号化されています。構成プロファイルの情報を読むにはパスワードが必要です', detail),
  // The detail says the same thing again in the inspection's words; the label alone is the sentence.
  'backup-wrong-password': {
    en: 'The password does not open the backup, so its configuration-profile store could not be decrypted.',
    ja: 'パスワードでバックアップを開けないため、構成プロファイルの情報を復号できませんでした。',
  },
  'backup-store-absent': (detail) => withDetail('The backup holds no configuration-profile store', 'バックアップに構成プロファイルの情報がありません', detail),
  'backup-file-unreadable': (detail) => withDetail('A file of the configuration-profile store could not be read', '構成プロファイルのファイルを読み取れませんでした', detail),
  'management-site': { en: 'This is a setting on the MDM management site; it cannot be read from the device.', ja: 'これはMDM管理サイトの設定のため、端末からは読み取れません。' },
  'malformed-version': (detail) => ({ en: `The reported version "${detail}" is not an iOS version.`, ja: `報告されたバージョン「${detail}」はiOSのバージョンではありません。` }),
};

/** Why a fact is unknown, in one sentence (the reader's own sentence is kept where there is one). */
export function unknownReasonText(reason: UnknownReason): LocalizedText {
  const text = UNKNOWN_REASON_TEXT[reason.code];
  return typeof text === 'function' ? text('detail' in reason ? reason.detail : '') : text;
}

/**
 * One line per fact of the source (the backup): its value and the file it came from, or why it is unknown
 * (the CLI prints these under the backup line, so nothing is taken on trust).
 */
export function sourceFactLines(resolved: Pick<ResolvedFacts, 'origins' | 'unknown' | 'source'>, lang: Lang): string[] {
  const keys: FactKey[] = ['source.udid', 'source.iosVersion', 'source.supervisedAtBackup', 'source.mdmEnrolledAtBackup'];
  const values: Record<string, string | boolean | null | undefined> = {
    'source.udid': resolved.source.udid,
    'source.iosVersion': resolved.source.iosVersion,
    'source.supervisedAtBackup': resolved.source.supervisedAtBackup,
    'source.mdmEnrolledAtBackup': resolved.source.mdmEnrolledAtBackup,
  };
  return keys.map((fact) => {
    const origin = resolved.origins[fact];
    const reason = resolved.unknown[fact];
    const label = FACT_LABEL[fact][lang];
    if (origin !== undefined) return `${label}: ${valueText(values[fact], lang)} (${factOriginText(origin)[lang]})`;
    const why = reason === undefined ? '' : ` (${unknownReasonText(reason)[lang]})`;
    return `${label}: ${lang === 'ja' ? '不明' : 'unknown'}${why}`;
  });
}

function valueText(value: string | boolean | null | undefined, lang: Lang): string {
  if (typeof value === 'boolean') return value ? (lang === 'ja' ? 'はい' : 'yes') : lang === 'ja' ? 'いいえ' : 'no';
  return value ?? '?';
}

function withDetail(en: string, ja: string, detail: string): LocalizedText {
  const trimmed = detail.trim();
  if (trimmed === '') return { en: `${en}.`, ja: `${ja}。` };
  // The detail is the reader's own sentence (English); Japanese keeps it as written.
  return { en: `${en}: ${trimmed}`, ja: `${ja}: ${trimmed}` };
}
