import type { LocalizedText } from '../common/localizedText';
import type { DeviceFacts } from '../device/deviceFacts';

/**
 * The bench's optional automation (off by default): when a device attaches, back it up, or restore one backup
 * to it. `backupUdid` is the UDID of the device the backup was made on (its Info.plist); when absent, the
 * backup folder's name is taken for it, as backups are kept in `<root>/<udid>/`.
 */
export type BenchAutomationSetting = { mode: 'off' } | { mode: 'back-up' } | { mode: 'restore'; backupDir: string; backupUdid?: string };

/** What to do with a device that just attached. */
export type AttachDecision = 'back-up' | 'restore' | { skip: LocalizedText };

const SKIP = {
  off: { en: 'the bench automation is off.', ja: '作業台の自動処理はオフです。' },
  seen: {
    en: 'it was already handled once in this bench session; use Retry on its row to run it again.',
    ja: 'この作業台のセッションで既に一度処理しました。もう一度行うには、その行の「再試行」を使ってください。',
  },
  sameDevice: {
    en: 'it is the device the backup was made from; restoring its own backup to it is never done automatically.',
    ja: 'バックアップ元の端末です。自分自身のバックアップを自動で復元することはありません。',
  },
  setupFinished: {
    en: 'it has finished Setup Assistant, so it may be in use; the bench restores automatically only to devices still on the setup screens.',
    ja: '初期設定（設定アシスタント）が完了しており、使用中の可能性があります。作業台が自動で復元するのは初期設定画面の端末だけです。',
  },
  setupUnknown: {
    en: 'whether it is still in Setup Assistant could not be read (unlock it, tap "Trust" and attach it again); the bench restores automatically only to devices known to be on the setup screens.',
    ja: '初期設定中かどうかを読み取れませんでした（ロックを解除し「信頼」をタップしてから接続し直してください）。作業台が自動で復元するのは初期設定画面であると確認できた端末だけです。',
  },
  inSetup: {
    en: 'it is still in Setup Assistant, so there is nothing to back up yet (the device would refuse with error 212).',
    ja: 'まだ初期設定中のため、バックアップする内容がありません（端末はエラー212で拒否します）。',
  },
} satisfies Record<string, LocalizedText>;

/**
 * Decides what the automation does with a device that attached. A restore can overwrite a device, so it never
 * happens by surprise: only to a device known to be in Setup Assistant (DeviceFacts.setupDone === false),
 * never to the backup's own device, and once per device per bench session. A backup skips a device still in
 * Setup Assistant. A device it acts on is recorded in `seen` (the bench session's memory), so the next attach
 * of the same device is skipped.
 */
export function decideOnAttach(device: DeviceFacts, setting: BenchAutomationSetting, seen: Set<string>): AttachDecision {
  if (setting.mode === 'off') return { skip: SKIP.off };
  const key = normalized(device.udid);
  if (seen.has(key)) return { skip: SKIP.seen };
  if (setting.mode === 'back-up') {
    if (device.setupDone === false) return { skip: SKIP.inSetup };
    seen.add(key);
    return 'back-up';
  }
  const backupUdid = setting.backupUdid ?? lastPathSegment(setting.backupDir);
  if (normalized(backupUdid) === key) return { skip: SKIP.sameDevice };
  if (device.setupDone === true) return { skip: SKIP.setupFinished };
  if (device.setupDone !== false) return { skip: SKIP.setupUnknown };
  seen.add(key);
  return 'restore';
}

/** UDIDs are compared without dashes and case (hosts and devices spell them both ways). */
function normalized(udid: string): string {
  return udid.replace(/-/g, '').toLowerCase();
}

/** The folder's own name, whichever separator the path uses. */
function lastPathSegment(dir: string): string {
  const parts = dir.split(/[\\/]+/).filter((p) => p.length > 0);
  return parts.length > 0 ? parts[parts.length - 1] : dir;
}
