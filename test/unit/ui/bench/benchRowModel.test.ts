import assert from 'node:assert/strict';
import type { BenchRow } from '../../../../src/kitting/benchRow';
import { benchRowModel, benchStateText } from '../../../../src/ui/bench/benchRowModel';
import { benchSummaryText } from '../../../../src/ui/bench/benchSummaryText';

const UDID = '00008110-0000000000B00002';
const START = Date.UTC(2026, 11, 7, 9, 0, 0);

function row(patch: Partial<BenchRow>): BenchRow {
  return {
    id: 'row-2',
    operation: 'restore',
    device: { udid: UDID, name: 'Replacement 2', model: 'iPhone 15', serialNumber: 'G3MBENCH0002', iosVersion: '17.2' },
    state: 'queued',
    attempt: 1,
    ...patch,
  };
}

describe('ui: bench row model', () => {
  it('says each state in words, with the percent while data moves', () => {
    const text = (patch: Partial<BenchRow>): string => benchStateText(row(patch), 'en', START);
    assert.equal(text({ state: 'queued' }), 'queued');
    assert.equal(text({ state: 'waiting-for-trust' }), 'waiting for Trust');
    assert.equal(text({ state: 'checking' }), 'checking');
    assert.equal(text({ state: 'waiting-for-passcode' }), 'waiting for the passcode');
    assert.equal(text({ state: 'backing-up', operation: 'backup', percent: 44.6 }), 'backing up 45 %');
    assert.equal(text({ state: 'backing-up', operation: 'backup' }), 'backing up');
    assert.equal(text({ state: 'restoring', percent: 12 }), 'restoring 12 %');
    assert.equal(text({ state: 'restarting' }), 'restarting');
    assert.equal(text({ state: 'done', startedAt: START, endedAt: START + 65_000 }), 'done in 1 min 05 s');
    assert.equal(text({ state: 'cancelled' }), 'cancelled');
  });

  it('a failed row says the doctor\'s cause, shortened on a word, and lists the cause and the fixes under it', () => {
    const cause = { en: 'The device was disconnected during the transfer, so the restore stopped halfway and the device must be restored again', ja: '転送中に端末が切断されました' };
    const failed = row({
      state: 'failed',
      failure: { sentence: 'The device went away during the restore.', code: 'usbmux.closed', cause, nextSteps: [{ en: 'Check the cable.', ja: 'ケーブルを確認してください。' }] },
      checks: [{ id: 'find-my', status: 'pass', title: { en: 'Find My is off', ja: '「探す」はオフ' } }],
    });
    const model = benchRowModel(failed, 'en', START);
    assert.equal(model.description, 'failed: The device was disconnected during the transfer, so the restore stopped…');
    assert.ok(model.description.length <= 'failed: '.length + 80);
    assert.equal(model.icon.id, 'error');
    assert.equal(model.contextValue, 'finishedRestoreBenchRow');
    assert.deepEqual(
      model.details.map((d) => [d.key, d.label, d.description]),
      [
        ['cause', cause.en, 'usbmux.closed'],
        ['fix0', '1. Check the cable.', undefined],
        ['checks:passed', '1 check passed', undefined],
      ],
    );
    assert.equal(benchRowModel(failed, 'ja', START).details[0].label, cause.ja);
    // Without the doctor's cause the sentence is what the row says.
    assert.equal(benchStateText(row({ state: 'failed', failure: { sentence: 'Lost.', nextSteps: [] } }), 'en', START), 'failed: Lost.');
  });

  it('a refused restore names the failed check, and shows every check under it', () => {
    const refused = row({
      state: 'refused',
      failure: { sentence: 'The restore did not start because a check failed: Find My is on.', code: 'restore.preflight-failed', cause: { en: 'Find My off', ja: '「探す」がオフ' }, nextSteps: [{ en: 'Turn Find My off.', ja: '「探す」をオフに。' }] },
      checks: [
        { id: 'trust', status: 'pass', title: { en: 'The device trusts this computer', ja: '信頼済み' } },
        { id: 'complete', status: 'pass', title: { en: 'Backup complete', ja: 'バックアップ完了' } },
        { id: 'find-my', status: 'fail', title: { en: 'Find My off', ja: '「探す」がオフ' } },
        { id: 'ade', status: 'unknown', title: { en: 'ADE profile allows restore', ja: 'ADE' } },
      ],
    });
    const model = benchRowModel(refused, 'en', START);
    assert.equal(model.description, 'refused by the check "Find My off"');
    assert.equal(model.icon.id, 'circle-slash');
    assert.deepEqual(model.details.map((d) => `${d.icon.id} ${d.label}`), [
      'circle-slash The restore did not start because a check failed: Find My is on.',
      'arrow-right 1. Turn Find My off.',
      'pass 2 checks passed',
      'error Find My off',
      'question ADE profile allows restore',
    ]);
    assert.equal(model.details[2].tooltip, 'The device trusts this computer\nBackup complete');
    assert.equal(model.details[0].description, undefined);
    assert.equal(benchRowModel(refused, 'ja', START).description, 'refused by the check "「探す」がオフ"');
  });

  it('a done restore lists its next steps; a done backup its result; running rows spin and can be cancelled', () => {
    const done = benchRowModel(row({ state: 'done', startedAt: START, endedAt: START + 9_000, nextSteps: [{ en: 'Tap Remote Management.', ja: 'リモートマネジメント' }, { en: 'Re-authenticate the agent.', ja: 'エージェント' }] }), 'en', START);
    assert.equal(done.description, 'done in 9 s');
    assert.deepEqual(done.details.map((d) => d.label), ['1. Tap Remote Management.', '2. Re-authenticate the agent.']);
    const backup = benchRowModel(row({ operation: 'backup', state: 'done', startedAt: START, endedAt: START + 1000, summary: '24 files, 120 KB', backupResultDir: '/b/x' }), 'en', START);
    assert.deepEqual(backup.details.map((d) => [d.label, d.description]), [['24 files, 120 KB', '/b/x']]);
    const running = benchRowModel(row({ operation: 'backup', state: 'backing-up', percent: 3, attempt: 2 }), 'en', START);
    assert.equal(running.icon.id, 'sync~spin');
    assert.equal(running.contextValue, 'activeBackupBenchRow');
    assert.equal(running.label, 'Replacement 2');
    for (const needle of ['**Operation:** Backup \\(attempt 2\\)', 'iPhone 15', 'G3MBENCH0002', '17\\.2', UDID.replace(/-/g, '\\-')]) assert.ok(running.tooltip.includes(needle), needle);
    // A device not yet read is shown by its UDID.
    assert.equal(benchRowModel(row({ device: { udid: UDID } }), 'en', START).label, UDID);
  });

  it('the duration in the UI language, and the summary line', () => {
    assert.equal(benchStateText(row({ state: 'done', startedAt: START, endedAt: START + 3_605_000 }), 'ja', START), 'done in 1時間00分05秒');
    assert.equal(benchSummaryText({ total: 0, running: 0, queued: 0, done: 0, failed: 0, refused: 0, cancelled: 0 }), '');
    assert.equal(benchSummaryText({ total: 8, running: 3, queued: 0, done: 4, failed: 1, refused: 0, cancelled: 0 }), '8 devices: 3 running, 4 done, 1 failed');
    assert.equal(benchSummaryText({ total: 1, running: 0, queued: 1, done: 0, failed: 0, refused: 0, cancelled: 0 }), '1 device: 1 queued');
  });
});
