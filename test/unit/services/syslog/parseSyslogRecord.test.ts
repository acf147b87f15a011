import assert from 'node:assert/strict';
import { formatLogEntry } from '../../../../src/deviceLog/formatLogEntry';
import { parseSyslogLine, parseSyslogRecord } from '../../../../src/services/syslog/parseSyslogRecord';
import { encodeSyslogWireRecord, formatSyslogTime } from '../../../../src/services/syslog/syslogWireRecord';
import { SyslogRecordFramer } from '../../../../src/services/syslog/syslogRecordFramer';

describe('syslog record parsing', () => {
  it('parses time, device, process, pid, level and message', () => {
    assert.deepEqual(parseSyslogLine('Nov  3 09:41:07 Support-iPhone BackupAgent2[412] <Error>: Failed to upload x (MBErrorDomain:100)'), {
      kind: 'record',
      time: 'Nov  3 09:41:07',
      device: 'Support-iPhone',
      process: 'BackupAgent2',
      pid: 412,
      level: 'Error',
      message: 'Failed to upload x (MBErrorDomain:100)',
    });
  });
  it('separates the image in parentheses from the process name', () => {
    const r = parseSyslogLine('Nov 23 18:29:27 iPhone SpringBoard(FrontBoard)[64] <Notice>: [app] state')!;
    assert.equal(r.process, 'SpringBoard');
    assert.equal(r.image, 'FrontBoard');
    assert.equal(r.message, '[app] state');
  });
  it('accepts an empty message and process names with spaces', () => {
    assert.equal(parseSyslogLine('Jan  1 00:00:00 iPad kernel[0] <Notice>:')!.message, '');
    assert.equal(parseSyslogLine('Jan  1 00:00:00 iPad Google Maps[99] <Warning>: x')!.process, 'Google Maps');
  });
  it('refuses lines without the record shape', () => {
    for (const bad of [
      'short',
      'Nov 3 09:41:07 iPhone p[1] <Notice>: day not padded',
      'Nov  3 09:41:07 iPhone p[] <Notice>: no pid',
      'Nov  3 09:41:07 iPhone p[12a] <Notice>: pid not numeric',
      'Nov  3 09:41:07 iPhone p[1] Notice: no brackets',
      'Nov  3 09:41:07 iPhone p[1] <Notice> no colon',
      'Nov  3 09:41:07 iPhone-without-process',
    ]) {
      assert.equal(parseSyslogLine(bad), undefined, bad);
    }
  });
  it('keeps an unparsable record as text and marks cut records', () => {
    assert.deepEqual(parseSyslogRecord({ bytes: Buffer.from('=== boot ==='), cutBytes: 0 }), { kind: 'text', text: '=== boot ===' });
    const cut = parseSyslogRecord({ bytes: Buffer.from('Nov  3 09:41:07 iPhone p[1] <Notice>: xxx'), cutBytes: 42 });
    assert.equal(cut.cutBytes, 42);
    assert.equal(formatLogEntry(cut), 'Nov  3 09:41:07 iPhone p[1] <Notice>: xxx … [line cut: 42 more bytes]');
  });
  it('round-trips what the simulated device sends, non-ASCII included', () => {
    const wire = encodeSyslogWireRecord({ time: 'Nov 23 18:29:38', device: 'Support-iPhone', process: 'profiled', pid: 180, level: 'Notice', message: 'Profile "WLAN Büro – Zentrale" 設定' });
    assert.ok(wire.subarray(0, -2).every((b) => b >= 0x20 && b < 0x7f), 'the wire text is vis-encoded ASCII');
    assert.deepEqual(wire.subarray(-2), Buffer.from([0x0a, 0x00]));
    const [raw] = new SyslogRecordFramer().push(wire);
    const entry = parseSyslogRecord(raw);
    assert.equal(entry.kind === 'record' && entry.message, 'Profile "WLAN Büro – Zentrale" 設定');
    assert.equal(formatLogEntry(entry), 'Nov 23 18:29:38 Support-iPhone profiled[180] <Notice>: Profile "WLAN Büro – Zentrale" 設定');
  });
  it('formats syslog time stamps with a space-padded day', () => {
    assert.equal(formatSyslogTime(new Date(2026, 10, 3, 9, 4, 7)), 'Nov  3 09:04:07');
    assert.equal(formatSyslogTime(new Date(2026, 0, 23, 23, 59, 59)), 'Jan 23 23:59:59');
  });
});
