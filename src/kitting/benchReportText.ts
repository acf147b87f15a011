import type { LocalizedText } from '../common/localizedText';
import type { BenchOperation, BenchRowState } from './benchRow';

/** The words of the bench report, both languages. */
export const REPORT_TEXT = {
  title: { en: 'Kitting bench report', ja: 'キッティング作業台レポート' },
  generated: { en: 'Generated', ja: '作成日時' },
  columns: {
    device: { en: 'Device', ja: '端末' },
    model: { en: 'Model', ja: 'モデル' },
    serial: { en: 'Serial', ja: 'シリアル番号' },
    ios: { en: 'iOS', ja: 'iOS' },
    operation: { en: 'Operation', ja: '作業' },
    result: { en: 'Result', ja: '結果' },
    duration: { en: 'Duration', ja: '所要時間' },
    cause: { en: 'Cause', ja: '原因' },
    nextSteps: { en: 'Next steps', ja: '次の手順' },
  },
  operations: { backup: { en: 'Backup', ja: 'バックアップ' }, restore: { en: 'Restore', ja: '復元' } } satisfies Record<BenchOperation, LocalizedText>,
  states: {
    queued: { en: 'Queued', ja: '待機中' },
    'waiting-for-trust': { en: 'Waiting for Trust', ja: '「信頼」待ち' },
    checking: { en: 'Checking', ja: 'チェック中' },
    'waiting-for-passcode': { en: 'Waiting for the passcode', ja: 'パスコード入力待ち' },
    'backing-up': { en: 'Backing up', ja: 'バックアップ中' },
    restoring: { en: 'Restoring', ja: '復元中' },
    restarting: { en: 'Restarting', ja: '再起動中' },
    done: { en: 'Done', ja: '完了' },
    failed: { en: 'Failed', ja: '失敗' },
    refused: { en: 'Refused by the checks', ja: 'チェックで中止' },
    cancelled: { en: 'Cancelled', ja: 'キャンセル' },
  } satisfies Record<BenchRowState, LocalizedText>,
  summary: {
    en: (s: { total: number; done: number; failed: number; refused: number; cancelled: number; running: number; queued: number }): string =>
      `${s.total} ${s.total === 1 ? 'device' : 'devices'}: ${s.done} done, ${s.failed} failed, ${s.refused} refused, ${s.cancelled} cancelled, ${s.running} running, ${s.queued} queued.`,
    ja: (s: { total: number; done: number; failed: number; refused: number; cancelled: number; running: number; queued: number }): string =>
      `${s.total} 台：完了 ${s.done}、失敗 ${s.failed}、チェックで中止 ${s.refused}、キャンセル ${s.cancelled}、実行中 ${s.running}、待機中 ${s.queued}。`,
  },
  stepsBelow: { en: (n: number): string => `${n} ${n === 1 ? 'step' : 'steps'}, below`, ja: (n: number): string => `${n} 件（下記）` },
  error: { en: 'Error', ja: 'エラー' },
  details: { en: 'Details', ja: '詳細' },
  afterRestore: { en: 'After the restore', ja: '復元後の手順' },
  noRows: { en: 'No devices on the bench.', ja: '作業台に端末はありません。' },
} as const;
