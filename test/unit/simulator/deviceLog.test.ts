import assert from 'node:assert/strict';
import { parseSyslogRecord } from '../../../src/services/syslog/parseSyslogRecord';
import { SyslogRecordFramer } from '../../../src/services/syslog/syslogRecordFramer';
import type { SyslogRecord } from '../../../src/services/syslog/syslogRecord';
import { DeviceLog, syslogHostName } from '../../../src/simulator/deviceLog';

const identity = () => ({ name: 'Support iPhone', udid: '00008110-000A1B2C3D4E801E' });

/** Collects what a syslog_relay client would receive, parsed. */
function listen(log: DeviceLog): { records: SyslogRecord[]; stop: () => void } {
  const records: SyslogRecord[] = [];
  const framer = new SyslogRecordFramer();
  const stop = log.subscribe((bytes) => {
    for (const raw of framer.push(bytes)) {
      const entry = parseSyslogRecord(raw);
      assert.equal(entry.kind, 'record', 'every line the bus sends is a well-formed record');
      records.push(entry);
    }
  });
  return { records, stop };
}

describe('the simulated device log bus', () => {
  it('sends written lines to every listener in the real record format', () => {
    const log = new DeviceLog(identity, { idleChatter: false });
    const a = listen(log);
    const b = listen(log);
    log.write('BackupAgent2', undefined, 'Error', 'Failed to upload /var/mobile/Media/DCIM/100APPLE/IMG_0001.HEIC: Input/output error');
    log.write('mdmd', 999, 'Notice', 'Profil „Büro“ geprüft', 'ManagedConfiguration');
    for (const { records } of [a, b]) {
      assert.equal(records.length, 2);
      assert.equal(records[0].device, 'Support-iPhone');
      assert.equal(records[0].pid, 412, 'BackupAgent2 keeps its simulated pid');
      assert.equal(records[1].pid, 999);
      assert.equal(records[1].image, 'ManagedConfiguration');
      assert.equal(records[1].message, 'Profil „Büro“ geprüft');
    }
    a.stop();
    log.write('lockdownd', undefined, 'Notice', 'after a left');
    assert.equal(a.records.length, 2);
    assert.equal(b.records.length, 3);
  });
  it('writes the device-side reason before an MBErrorDomain failure', () => {
    const log = new DeviceLog(identity, { idleChatter: false });
    const { records } = listen(log);
    log.writeFailureReason(104, { path: '/var/mobile/Media/DCIM/100APPLE/IMG_0042.HEIC' });
    assert.deepEqual(records.map((r) => r.process), ['BackupAgent2', 'BackupAgent2']);
    assert.match(records[0].message, /^Failed to upload \/var\/mobile\/Media\/DCIM\/100APPLE\/IMG_0042\.HEIC: .*MBErrorDomain:100/);
    assert.match(records[1].message, /\(MBErrorDomain\/104\)$/);
    log.writeFailureReason(211);
    assert.equal(records[2].process, 'findmydeviced');
    assert.match(records[3].message, /Find My iPhone must be disabled before restoring \(MBErrorDomain\/211\)/);
    log.writeFailureReason(4242, { description: 'Odd failure' });
    assert.equal(records[4].message, 'Odd failure (MBErrorDomain/4242)');
    log.writeFailureReason(1, { description: 'A backup is already in progress on this device (MBErrorDomain/1)' });
    assert.equal(records[5].message, 'A backup is already in progress on this device (MBErrorDomain/1)');
  });
  it('keeps recent lines for inspection even when nobody listens', () => {
    const log = new DeviceLog(identity, { idleChatter: false });
    log.write('SpringBoard', undefined, 'Notice', '設定');
    assert.match(log.recentLines()[0], /Support-iPhone SpringBoard\[64\] <Notice>: 設定$/);
    assert.equal(log.listenerCount, 0);
  });
  it('chatters a few lines per second only while someone listens', async () => {
    const log = new DeviceLog(identity);
    log.write('lockdownd', undefined, 'Notice', 'before');
    await new Promise((r) => setTimeout(r, 700));
    assert.equal(log.recentLines().length, 1, 'silent without listeners');
    const { records, stop } = listen(log);
    await new Promise((r) => setTimeout(r, 2000));
    stop();
    // A few per second (one every 120–600 ms); a loaded machine may delay timers, never speed them up.
    assert.ok(records.length >= 1 && records.length <= 17, `${records.length} idle lines in 2 s`);
    const seen = log.recentLines().length;
    await new Promise((r) => setTimeout(r, 700));
    assert.equal(log.recentLines().length, seen, 'silent again after the last listener left');
  });
  it('derives host names the way iOS does', () => {
    assert.equal(syslogHostName('Support iPhone'), 'Support-iPhone');
    assert.equal(syslogHostName("Anna’s iPhone"), 'Annas-iPhone');
    assert.equal(syslogHostName('  '), 'iPhone');
  });
});
