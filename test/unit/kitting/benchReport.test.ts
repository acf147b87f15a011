import assert from 'node:assert/strict';
import { benchReportCsv, benchReportMarkdown } from '../../../src/kitting/benchReport';
import { formatBenchDuration } from '../../../src/kitting/benchDuration';
import type { BenchRow } from '../../../src/kitting/benchRow';

const AT = new Date('2026-12-07T09:30:00Z');

function row(fields: Partial<BenchRow> & { id: string }): BenchRow {
  return {
    operation: 'backup',
    device: { udid: '00008110-0000000000B00001', name: 'Bench iPhone 1', model: 'iPhone 13', serialNumber: 'F2LSIM000001', iosVersion: '17.2' },
    state: 'queued',
    attempt: 1,
    ...fields,
  };
}

const done = row({ id: 'row-1', state: 'done', startedAt: 0, endedAt: 65_000, summary: '2,000 files, 120.0 MB', backupResultDir: '/b/x' });
const failed = row({
  id: 'row-2',
  device: { udid: '00008110-0000000000B00002', name: 'Hostile | name\nwith <b>tags</b>' },
  state: 'failed',
  startedAt: 1000,
  endedAt: 43_000,
  failure: {
    sentence: 'The device disconnected during the backup; check the cable and try again.',
    code: 'backup.device-disconnected',
    cause: { en: 'The USB link dropped.', ja: 'USB 接続が切れました。' },
    nextSteps: [
      { en: 'Check the cable.', ja: 'ケーブルを確認します。' },
      { en: '=HYPERLINK("http://evil")', ja: '=HYPERLINK("http://evil")' },
    ],
  },
});
const refused = row({
  id: 'row-3',
  operation: 'restore',
  device: { udid: '00008110-0000000000B00003', name: 'Find My iPhone' },
  state: 'refused',
  startedAt: 0,
  endedAt: 3_723_000,
  failure: {
    sentence: 'The restore did not start because a check failed: Find My is on.',
    code: 'restore.preflight-failed',
    cause: { en: 'Find My off', ja: '「探す」がオフ' },
    finding: { en: 'Find My is on.', ja: '「探す」がオンです。' },
    nextSteps: [{ en: 'Turn Find My off.', ja: '「探す」をオフにします。' }],
  },
});
const restored = row({
  id: 'row-4',
  operation: 'restore',
  device: { udid: '00008110-0000000000B00004', name: 'Replacement 4' },
  state: 'done',
  startedAt: 0,
  endedAt: 5_000,
  nextSteps: [
    { en: 'The device restarts.', ja: '端末は再起動します。' },
    { en: 'Re-authenticate the agent.', ja: 'エージェントを再認証します。' },
  ],
});
const running = row({ id: 'row-5', device: { udid: '00008110-0000000000B00005' }, state: 'backing-up', percent: 45, startedAt: 0 });
const ROWS = [done, failed, refused, restored, running];

describe('kitting: bench report', () => {
  describe('durations', () => {
    it('seconds, minutes with two-digit seconds, hours, in both languages', () => {
      assert.equal(formatBenchDuration(42_000, 'en'), '42 s');
      assert.equal(formatBenchDuration(65_000, 'en'), '1 min 05 s');
      assert.equal(formatBenchDuration(3_723_000, 'en'), '1 h 02 min 03 s');
      assert.equal(formatBenchDuration(42_000, 'ja'), '42秒');
      assert.equal(formatBenchDuration(65_000, 'ja'), '1分05秒');
      assert.equal(formatBenchDuration(3_723_000, 'ja'), '1時間02分03秒');
      assert.equal(formatBenchDuration(-5, 'en'), '0 s');
    });
  });

  describe('Markdown', () => {
    const md = benchReportMarkdown(ROWS, 'en', AT);
    const lines = md.split('\n');

    it('has the title, the date, the summary line and a header with every column', () => {
      assert.equal(lines[0], '# Kitting bench report');
      assert.ok(lines.includes('Generated: 2026-12-07 09:30 UTC'));
      assert.ok(lines.includes('5 devices: 2 done, 1 failed, 1 refused, 0 cancelled, 1 running, 0 queued.'));
      assert.ok(lines.includes('| Device | Model | Serial | iOS | Operation | Result | Duration | Cause | Next steps |'));
    });

    it('one table line per row with its cells; pipes, line breaks and tags in a device name cannot break the table', () => {
      const table = lines.filter((l) => l.startsWith('| '));
      assert.equal(table.length, 2 + ROWS.length);
      assert.ok(table.includes('| Bench iPhone 1 (00008110-0000000000B00001) | iPhone 13 | F2LSIM000001 | 17.2 | Backup | Done | 1 min 05 s |  |  |'));
      const hostile = table.find((l) => l.includes('B00002'))!;
      assert.equal(hostile.split(/(?<!\\)\|/).length, 11, hostile);
      assert.ok(hostile.includes('Hostile \\| name with &lt;b>tags&lt;/b>'));
      // A menu path stays readable in the raw file; an entity-looking text stays text.
      const steps = benchReportMarkdown([row({ ...refused, failure: { ...refused.failure!, sentence: 'Fish &amp; chips', nextSteps: [{ en: 'Open Settings > General.', ja: '設定 > 一般 を開きます。' }] } })], 'en', AT);
      assert.ok(steps.includes('1. Open Settings > General.'), steps);
      assert.ok(steps.includes('Fish &amp;amp; chips'), steps);
      assert.ok(hostile.includes('| Failed | 42 s | The USB link dropped. | Check the cable.; =HYPERLINK("http://evil") |'));
      assert.ok(table.some((l) => l.includes('| Backing up 45 % |')));
      assert.ok(table.some((l) => l.includes('| Restore | Done | 5 s |  | 2 steps, below |')));
    });

    it('then each failed or refused row with its error, cause and next steps, and each done restore with its steps', () => {
      const failedAt = lines.findIndex((l) => l.startsWith('### Hostile'));
      assert.ok(failedAt > 0);
      assert.equal(lines[failedAt], '### Hostile | name with &lt;b>tags&lt;/b> (00008110-0000000000B00002): Failed');
      assert.deepEqual(lines.slice(failedAt + 2, failedAt + 7), [
        '- Error: The device disconnected during the backup; check the cable and try again.',
        '- Cause: The USB link dropped.',
        '- Next steps:',
        '  1. Check the cable.',
        '  2. =HYPERLINK("http://evil")',
      ]);
      assert.ok(lines.includes('### Find My iPhone (00008110-0000000000B00003): Refused by the checks'));
      // A check's title says what must hold; the cause also says what the check found.
      assert.ok(lines.includes('- Cause: Find My off: Find My is on.'));
      const after = lines.indexOf('### Replacement 4 (00008110-0000000000B00004): After the restore');
      assert.ok(after > 0);
      assert.deepEqual(lines.slice(after + 2, after + 4), ['1. The device restarts.', '2. Re-authenticate the agent.']);
      assert.ok(!md.includes('### Bench iPhone 1'), 'a done backup has no section');
    });

    it('in Japanese: headers, states, causes and steps in Japanese; durations as 1分05秒', () => {
      const ja = benchReportMarkdown(ROWS, 'ja', AT).split('\n');
      assert.equal(ja[0], '# キッティング作業台レポート');
      assert.ok(ja.includes('作成日時: 2026-12-07 09:30 UTC'));
      assert.ok(ja.includes('| 端末 | モデル | シリアル番号 | iOS | 作業 | 結果 | 所要時間 | 原因 | 次の手順 |'));
      assert.ok(ja.some((l) => l.includes('| バックアップ | 完了 | 1分05秒 |')));
      assert.ok(ja.some((l) => l.includes('| 失敗 | 42秒 | USB 接続が切れました。 | ケーブルを確認します。;')));
      assert.ok(ja.some((l) => l.includes('| 復元 | チェックで中止 | 1時間02分03秒 | 「探す」がオフ: 「探す」がオンです。 |')));
      assert.ok(ja.includes('1. 端末は再起動します。'));
    });

    it('an empty bench says so', () => {
      assert.match(benchReportMarkdown([], 'en', AT), /0 devices: 0 done.*\n\nNo devices on the bench\.\n$/);
    });
  });

  describe('CSV', () => {
    const withBom = benchReportCsv(ROWS, 'en');
    /** The records, after the byte-order mark the first test checks. */
    const csv = withBom.slice(1);

    it('starts with a UTF-8 byte-order mark (so Japanese Excel reads it as UTF-8), which encodes as EF BB BF and only once', () => {
      assert.equal(withBom.charCodeAt(0), 0xfeff);
      assert.notEqual(withBom.charCodeAt(1), 0xfeff);
      assert.deepEqual([...Buffer.from(benchReportCsv([], 'ja'), 'utf8').subarray(0, 4)], [0xef, 0xbb, 0xbf, 0x22]);
      assert.equal(new TextDecoder('utf-8').decode(Buffer.from(benchReportCsv(ROWS, 'ja'), 'utf8')).split('\r\n')[0], '"端末","モデル","シリアル番号","iOS","作業","結果","所要時間","原因","次の手順"');
    });

    it('RFC 4180: every field quoted, quotes doubled, CRLF after every record, the header first', () => {
      assert.ok(csv.endsWith('\r\n'));
      const records = csv.split('\r\n').slice(0, -1);
      assert.equal(records.length, 1 + ROWS.length);
      assert.equal(records[0], '"Device","Model","Serial","iOS","Operation","Result","Duration","Cause","Next steps"');
      assert.equal(records[1], '"Bench iPhone 1 (00008110-0000000000B00001)","iPhone 13","F2LSIM000001","17.2","Backup","Done","1 min 05 s","",""');
    });

    it('keeps line breaks inside quoted fields, doubles quotes, and guards cells that a spreadsheet would run as formulas', () => {
      const failedRecord = csv.split('\r\n')[2];
      assert.ok(failedRecord.startsWith('"Hostile | name\nwith <b>tags</b> (00008110-0000000000B00002)",'), failedRecord);
      assert.ok(failedRecord.endsWith(`"1. Check the cable.\n2. =HYPERLINK(""http://evil"")"`), failedRecord);
      const guarded = benchReportCsv([row({ id: 'x', device: { udid: 'U', name: '=cmd|calc', model: '+1', serialNumber: '-2', iosVersion: '@SUM(A1)' } })], 'en');
      assert.ok(guarded.includes(`"'=cmd|calc (U)","'+1","'-2","'@SUM(A1)"`), guarded);
    });

    it('in Japanese: the header and texts in Japanese', () => {
      const ja = benchReportCsv(ROWS, 'ja').slice(1).split('\r\n');
      assert.equal(ja[0], '"端末","モデル","シリアル番号","iOS","作業","結果","所要時間","原因","次の手順"');
      assert.ok(ja[3].includes('"復元","チェックで中止","1時間02分03秒","「探す」がオフ: 「探す」がオンです。","1. 「探す」をオフにします。"'), ja[3]);
    });
  });
});
