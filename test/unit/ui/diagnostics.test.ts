import assert from 'node:assert/strict';
import { renderDiagnosticReport } from '../../../src/ui/diagnostics/diagnosticReport';
import { OperationHistory } from '../../../src/ui/diagnostics/operationHistory';
import { RecentLogLines } from '../../../src/ui/logging/recentLogLines';
import { ScopedLogger, levelPasses } from '../../../src/ui/logging/scopedLogger';
import { BackupError } from '../../../src/errors';

describe('ui: logging and diagnostics', () => {
  it('the scoped logger follows a threshold that changes at run time, tags scopes and redacts secrets', () => {
    const lines: string[] = [];
    let level: 'info' | 'trace' = 'info';
    const logger = new ScopedLogger((lvl, line) => lines.push(`${lvl} ${line}`), () => level).child('backup').child('UDID1');
    logger.debug('hidden');
    logger.info('started', { files: 3, password: 'hunter2', escrowBag: 'abc' });
    level = 'trace';
    logger.trace('DLMessageProcessMessage');
    assert.deepEqual(lines, ['info [backup] [UDID1] started files=3 password=«redacted» escrowBag=«redacted»', 'trace [backup] [UDID1] DLMessageProcessMessage']);
    assert.ok(levelPasses('error', 'warn'));
    assert.ok(!levelPasses('debug', 'info'));
  });

  it('keeps only the newest log lines', () => {
    const recent = new RecentLogLines(3);
    for (let i = 0; i < 5; i++) recent.add('info', `line ${i}`);
    assert.deepEqual(recent.snapshot().map((l) => l.text), ['line 2', 'line 3', 'line 4']);
    assert.deepEqual(recent.snapshot(1).map((l) => l.text), ['line 4']);
  });

  it('records operations with their outcome and error code', () => {
    const history = new OperationHistory(2);
    const a = history.start('iosbr.devices.backup', 'UDID1');
    history.finish(a, 'failed', new BackupError('The device stopped the backup.', 'backup.device-error.104', 104));
    history.finish(history.start('iosbr.log.show', undefined), 'succeeded');
    history.start('iosbr.devices.refresh', undefined);
    assert.equal(history.all().length, 2);
    assert.equal(history.lastFailure(), undefined);
    const b = history.all()[0];
    assert.equal(b.command, 'iosbr.log.show');
  });

  it('renders a Markdown report with devices, the failed operation and recent log lines', () => {
    const history = new OperationHistory();
    const op = history.start('iosbr.devices.backup', 'UDID1', new Date('2025-01-31T10:00:00Z'));
    history.finish(op, 'failed', new BackupError('Not enough | space.', 'backup.device-error.105', 105));
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
});
