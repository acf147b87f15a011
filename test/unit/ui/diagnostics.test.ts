import assert from 'node:assert/strict';
import { renderDiagnosticReport } from '../../../src/ui/diagnostics/diagnosticReport';
import { OperationHistory } from '../../../src/ui/diagnostics/operationHistory';
import { RecentLogLines } from '../../../src/ui/extensionLog/recentLogLines';
import { backupErrorFromResult } from '../../../src/backup/engine/backupFailure';
import { BackupError } from '../../../src/common/errors';

describe('ui: logging and diagnostics', () => {
  it('keeps only the newest log lines', () => {
    const recent = new RecentLogLines(3);
    for (let i = 0; i < 5; i++) recent.add('info', `line ${i}`);
    assert.deepEqual(recent.snapshot().map((l) => l.text), ['line 2', 'line 3', 'line 4']);
    assert.deepEqual(recent.snapshot(1).map((l) => l.text), ['line 4']);
  });

  it('records operations with their outcome and error code', async () => {
    const history = new OperationHistory(2);
    const a = history.start('iosbr.devices.backup', 'UDID1');
    await history.finish(a, 'failed', new BackupError('The device stopped the backup.', 'backup.device-error.104', 104));
    await history.finish(history.start('iosbr.log.show', undefined), 'succeeded');
    history.start('iosbr.devices.refresh', undefined);
    assert.equal(history.all().length, 2);
    assert.equal(history.lastFailure(), undefined);
    const b = history.all()[0];
    assert.equal(b.command, 'iosbr.log.show');
  });

  it('renders a Markdown report with devices, the failed operation and recent log lines', async () => {
    const history = new OperationHistory();
    const op = history.start('iosbr.devices.backup', 'UDID1', new Date('2025-01-31T10:00:00Z'));
    await history.finish(op, 'failed', new BackupError('Not enough | space.', 'backup.device-error.105', 105));
    const report = renderDiagnosticReport({
      generatedAt: new Date('2025-01-31T10:05:00Z'),
      extension: { id: 'iosbr.ios-backup-restore-support', version: '0.1.0' },
      host: { appName: 'Visual Studio Code', appVersion: '1.100.3', platform: 'linux', arch: 'x64', node: '20.20.2', language: 'ja' },
      usbmuxd: { address: '127.0.0.1:27015', demo: true, state: 'connected' },
      backupFolder: '/home/u/MobileSync/Backup',
      devices: [{ udid: 'UDID1', connectionType: 'USB', facts: { udid: 'UDID1', connectionType: 'USB', name: 'Support iPhone', paired: true, supervised: true, mdm: 'enrolled' } }],
      operations: history.all(),
      logLines: [{ time: new Date('2025-01-31T10:00:01Z'), level: 'error', text: '[backup] failed password=«redacted»' }],
    });
    assert.match(report, /^# iOS Backup & Restore: diagnostic report/);
    assert.match(report, /### Support iPhone/);
    assert.match(report, /\| Supervised \| yes \|/);
    assert.match(report, /BackupError \(backup\.device-error\.105\): Not enough \\\| space\./);
    assert.match(report, /\(demo devices\)/);
    assert.match(report, /```\n2025-01-31T10:00:01\.000Z \[error\] \[backup\] failed password=«redacted»\n```/);
  });
  it('a failed run keeps the failure doctor\'s explanation as English text; an unrecognised one keeps none', async () => {
    const history = new OperationHistory();
    const findMy = history.start('iosbr.backups.restore', 'UDID1');
    await history.finish(findMy, 'failed', backupErrorFromResult({ errorCode: 211, errorDescription: 'Find My iPhone must be disabled before restoring (MBErrorDomain/211)' }));
    assert.equal(findMy.error?.explanation?.entryId, 'mb-211-find-my');
    assert.equal(findMy.error?.explanation?.title, 'Restore refused: Find My is on');
    assert.equal(findMy.error?.explanation?.cause, 'The target device refuses a restore while Find My is turned on.');
    assert.match(findMy.error?.explanation?.fix[0] ?? '', /^On the device: Settings > \[name\] > Find My, turn Find My off/);
    const unknown = history.start('iosbr.devices.showInfo', undefined);
    await history.finish(unknown, 'failed', new Error('Something nobody has seen before.'));
    assert.equal(unknown.error?.explanation, undefined);
    assert.equal(unknown.error?.message, 'Something nobody has seen before.');
  });

  it('current() finds the running record of a command, so its handler can add follow-up steps', async () => {
    const history = new OperationHistory();
    const earlier = history.start('iosbr.backups.restore', 'UDID1');
    await history.finish(earlier, 'failed', new Error('first try'));
    const other = history.start('iosbr.devices.refresh', undefined);
    const running = history.start('iosbr.backups.restore', 'UDID2');
    assert.equal(history.current('iosbr.backups.restore'), running);
    assert.equal(history.current('iosbr.devices.refresh'), other);
    assert.equal(history.current('iosbr.devices.backup'), undefined);
    history.addFollowUp(running, ['  1. Restart the device.']);
    history.addFollowUp(running, ['  2. Tap "Next" on the Remote Management screen.']);
    assert.deepEqual(running.followUps, ['  1. Restart the device.', '  2. Tap "Next" on the Remote Management screen.']);
    await history.finish(running, 'succeeded');
    assert.equal(history.current('iosbr.backups.restore'), undefined);
  });

  it('renders the doctor\'s explanation and the follow-up steps under their operation', async () => {
    const history = new OperationHistory();
    const failed = history.start('iosbr.backups.restore', 'UDID1', new Date('2025-01-31T10:00:00Z'));
    await history.finish(failed, 'failed', backupErrorFromResult({ errorCode: 211, errorDescription: 'Find My iPhone must be disabled before restoring (MBErrorDomain/211)' }));
    const restored = history.start('iosbr.backups.restore', 'UDID1', new Date('2025-01-31T10:20:00Z'));
    history.addFollowUp(restored, ['  1. The device restarts to finish the restore.', '     a. Keep it connected.', 'A ``` fence in a step']);
    await history.finish(restored, 'succeeded');
    await history.finish(history.start('iosbr.log.show', undefined), 'succeeded');
    const report = renderDiagnosticReport({
      generatedAt: new Date('2025-01-31T10:30:00Z'),
      extension: { id: 'iosbr.ios-backup-restore-support', version: '0.1.0' },
      host: { appName: 'Visual Studio Code', appVersion: '1.100.3', platform: 'linux', arch: 'x64', node: '20.20.2', language: 'ja' },
      usbmuxd: { address: '127.0.0.1:27015', demo: false, state: 'connected' },
      backupFolder: '/home/u/MobileSync/Backup',
      devices: [],
      operations: history.all(),
      logLines: [],
    });
    const restoredAt = report.indexOf('### `iosbr.backups.restore`, 2025-01-31T10:20:00.000Z (succeeded)');
    const failedAt = report.indexOf('### `iosbr.backups.restore`, 2025-01-31T10:00:00.000Z (failed)');
    assert.ok(restoredAt > report.indexOf('| Started |') && failedAt > restoredAt, 'the details follow the table, newest first');
    assert.ok(report.indexOf('## Recent log lines') > failedAt);
    assert.ok(!report.includes('### `iosbr.log.show`'), 'a run with nothing to add gets no section');
    const failedSection = report.slice(failedAt, report.indexOf('## Recent log lines'));
    assert.match(failedSection, /^Failure doctor: \*\*Restore refused: Find My is on\*\* \(`mb-211-find-my`\)$/m);
    assert.match(failedSection, /^- Cause: The target device refuses a restore while Find My is turned on\.$/m);
    assert.match(failedSection, /^- What to do: On the device: Settings > \[name\] > Find My/m);
    assert.ok(!failedSection.includes('After this operation'));
    const restoredSection = report.slice(restoredAt, failedAt);
    assert.ok(restoredSection.includes("After this operation:\n\n```text\n  1. The device restarts to finish the restore.\n     a. Keep it connected.\nA ''' fence in a step\n```\n"), restoredSection);
    assert.ok(!restoredSection.includes('Failure doctor'));
  });
});
