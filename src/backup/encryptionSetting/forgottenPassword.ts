/**
 * What to tell someone who needs a backup password they do not know (the "the password could not be set" write-up: Apple's path on
 * iOS 11 and later). Kept as data so the CLI and the UI say the same thing.
 */
export const FORGOTTEN_PASSWORD_GUIDANCE = {
  en: [
    'Forgot the backup password? It cannot be recovered, but on iOS 11 or later it can be removed on the device:',
    '  Settings > General > Transfer or Reset iPhone > Reset > Reset All Settings, then enter the device passcode.',
    '  This resets settings such as display brightness, Home Screen layout, wallpaper and vibration patterns; no data is deleted.',
    '  Old encrypted backups still need the old password. Afterwards make a new backup and set a new backup password.',
  ],
  ja: [
    'バックアップのパスワードを忘れた場合：パスワードは復元できませんが、iOS 11 以降ではデバイス上で削除できます。',
    '  「設定」>「一般」>「転送またはiPhoneをリセット」>「リセット」>「すべての設定をリセット」を選び、デバイスのパスコードを入力します。',
    '  画面の明るさ、ホーム画面のレイアウト、壁紙、バイブレーションなどの設定がリセットされますが、データは削除されません。',
    '  既存の暗号化バックアップには古いパスワードが必要です。その後、新しいバックアップを作成し新しいパスワードを設定してください。',
  ],
} as const;
