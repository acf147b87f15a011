import assert from 'node:assert/strict';
import { benchRowJson } from '../../../src/cli/benchJson';
import { benchSummaryLines } from '../../../src/cli/benchSummaryTable';
import type { BenchRow } from '../../../src/kitting/benchRow';
import { summarizeBench } from '../../../src/kitting/benchSummary';
import { benchRow } from './benchRowFixtures';

const checks = [
  { id: 'find-my', status: 'fail' as const, title: { en: 'Find My is on', ja: '「探す」がオン' } },
  { id: 'free-space', status: 'warn' as const, title: { en: 'Free space is tight', ja: '空き容量が少ない' } },
];

const rows: BenchRow[] = [
  benchRow({
    udid: '00008110-0000000000B00002',
    name: 'Bench iPhone 2',
    operation: 'restore',
    backupDir: '/backups/src',
    state: 'done',
    startedAt: 0,
    endedAt: 65_000,
    checks: [],
    nextSteps: [
      { en: 'Open Settings > General > VPN & Device Management.', ja: '設定 > 一般 > VPNとデバイス管理 を開きます。' },
      { en: 'Sign in to the agent again.', ja: 'エージェントに再度サインインします。' },
    ],
  }),
  benchRow({
    udid: '00008110-0000000000B00003',
    name: 'Bench iPhone 3',
    operation: 'restore',
    backupDir: '/backups/src',
    state: 'refused',
    startedAt: 0,
    endedAt: 3_000,
    checks,
    failure: { sentence: 'A restore check failed: Find My is on.', code: 'PREFLIGHT_FAILED', cause: { en: 'Find My off', ja: '「探す」がオフ' }, finding: { en: 'Find My is on.', ja: '「探す」がオンです。' }, nextSteps: [{ en: 'Turn off Find My.', ja: '「探す」をオフにします。' }, { en: 'Second.', ja: '二番目。' }] },
  }),
  benchRow({
    udid: '00008110-0000000000B00004',
    name: undefined,
    device: { udid: '00008110-0000000000B00004' },
    operation: 'restore',
    backupDir: '/backups/src',
    state: 'failed',
    failure: { sentence: 'The device 00008110-0000000000B00004 is not attached.', nextSteps: [] },
  }),
];

describe('cli: the batch summary', () => {
  it('a table (device, model, serial, iOS, operation, result, duration, cause), next steps, failures, then the counts', () => {
    assert.deepEqual(benchSummaryLines(rows, summarizeBench(rows), 'en', { withChecks: false }), [
      'Device                                      Model      Serial        iOS   Operation  Result                 Duration    Cause',
      'Bench iPhone 2 (00008110-0000000000B00002)  iPhone 13  F2LXK0AB0D42  17.2  Restore    Done                   1 min 05 s  -',
      'Bench iPhone 3 (00008110-0000000000B00003)  iPhone 13  F2LXK0AB0D42  17.2  Restore    Refused by the checks  3 s         Find My off: Find My is on.',
      '00008110-0000000000B00004                   -          -             -     Restore    Failed                 -           The device 00008110-0000000000B00004 is not attached.',
      '',
      'Next steps on 00008110-0000000000B00002 "Bench iPhone 2":',
      '  1. Open Settings > General > VPN & Device Management.',
      '  2. Sign in to the agent again.',
      '00008110-0000000000B00003 "Bench iPhone 3": A restore check failed: Find My is on.',
      '  Failed check: Find My off: Find My is on.',
      '  What to do: Turn off Find My.',
      '00008110-0000000000B00004: The device 00008110-0000000000B00004 is not attached.',
      '',
      '3 devices: 1 done, 1 failed, 1 refused',
    ]);
  });

  it('with the checks (a terminal\'s block did not show them) and in Japanese', () => {
    const lines = benchSummaryLines(rows.slice(1, 2), summarizeBench(rows.slice(1, 2)), 'ja', { withChecks: true });
    assert.equal(lines[0].split(/\s{2,}/).join('|'), '端末|モデル|シリアル番号|iOS|作業|結果|所要時間|原因');
    assert.deepEqual(lines.slice(2), [
      '',
      '00008110-0000000000B00003 "Bench iPhone 3": チェック失敗: 「探す」がオン',
      '00008110-0000000000B00003 "Bench iPhone 3": チェック警告: 空き容量が少ない',
      '00008110-0000000000B00003 "Bench iPhone 3": A restore check failed: Find My is on.',
      '  不合格のチェック: 「探す」がオフ: 「探す」がオンです。',
      '  対処: 「探す」をオフにします。',
      '',
      '1 台: 完了 0、失敗 0、拒否 1',
    ]);
  });

  it('counts cancelled rows only when there are any', () => {
    const cancelled = [benchRow({ state: 'cancelled' }), benchRow({ udid: '00008110-0000000000B00005', state: 'done' })];
    assert.equal(benchSummaryLines(cancelled, summarizeBench(cancelled), 'en', { withChecks: false }).at(-1), '2 devices: 1 done, 0 failed, 0 refused, 1 cancelled');
  });

  it('--json: the row fields, texts in English, the backup folder of a backup or of a restore', () => {
    assert.deepEqual(benchRowJson(rows[1]), {
      udid: '00008110-0000000000B00003',
      name: 'Bench iPhone 3',
      model: 'iPhone 13',
      serial: 'F2LXK0AB0D42',
      iOS: '17.2',
      operation: 'restore',
      state: 'refused',
      attempt: 1,
      durationMs: 3_000,
      backupDir: '/backups/src',
      summary: null,
      checks: [
        { id: 'find-my', status: 'fail', title: 'Find My is on' },
        { id: 'free-space', status: 'warn', title: 'Free space is tight' },
      ],
      nextSteps: null,
      failure: { sentence: 'A restore check failed: Find My is on.', code: 'PREFLIGHT_FAILED', cause: 'Find My off', finding: 'Find My is on.', nextSteps: ['Turn off Find My.', 'Second.'] },
    });
    const backup = benchRowJson(benchRow({ state: 'done', backupResultDir: '/root/00008110-0000000000B00003', summary: '120 files (2.0 MB)', startedAt: 5, endedAt: 10 }));
    assert.equal(backup.backupDir, '/root/00008110-0000000000B00003');
    assert.equal(backup.summary, '120 files (2.0 MB)');
    assert.equal(backup.durationMs, 5);
    assert.equal(backup.failure, null);
  });
});
