import assert from 'node:assert/strict';
import { formatPostRestoreSteps, postRestoreSteps } from '../../../src/restore/postRestoreSteps';
import { formatPreflightChecks } from '../../../src/restore/preflightText';
import { evaluateRestorePreflight, type RestorePreflightResult } from '../../../src/restore/restorePreflight';
import { RestorePreflightError } from '../../../src/restore/restorePreflightError';
import { RestoreProgressTracker, type RestoreProgress } from '../../../src/restore/restoreProgress';
import { bundledRules } from '../../../src/compat/loadRules';
import { backupSourceSlots, completeBackupFacts } from '../../builders/backupPreflightFacts';

const SOURCE = '00008110-000A1B2C3D4E801E';
const TARGET = '00008120-001C2D3E4F5A602E';

function preflight(over: { findMy?: boolean; supervisedAtBackup?: boolean; targetUdid?: string } = {}): RestorePreflightResult {
  return evaluateRestorePreflight(
    {
      backup: {
        backupDir: `/b/${SOURCE}`,
        udid: SOURCE,
        missingFiles: [],
        emptyFiles: [],
        snapshotState: 'finished',
        backupInterrupted: false,
        encrypted: false,
        password: { kind: 'not-needed' },
        sizeBytes: 1000,
        source: backupSourceSlots(SOURCE, '16.1', { supervised: over.supervisedAtBackup ?? false, mdmEnrolled: true }),
        health: completeBackupFacts(SOURCE).health,
      },
      target: {
        device: { udid: over.targetUdid ?? TARGET, connectionType: 'USB', paired: true, iosVersion: '17.2', supervised: false, findMy: over.findMy ?? false, passcodeLocked: false },
        freeBytes: 10_000,
        activationState: 'Activated',
      },
      rules: bundledRules(),
      answers: {},
    },
    { passwordRequired: true },
  );
}

describe('restore reporting', () => {
  it('post-restore steps for a different device: restart, Wi-Fi, Remote Management, Apple ID, apps, then kitting and agent re-authentication', () => {
    const steps = postRestoreSteps(preflight(), { reboot: true, differentDevice: true, appsToReinstall: 3 });
    const text = steps.map((s) => s.text.en).join('\n');
    assert.match(text, /restarts to finish the restore/);
    assert.match(text, /Wi-Fi/);
    assert.match(text, /Remote Management screen appears, tap "Next"/);
    assert.match(text, /Apple ID/);
    assert.match(text, /downloads its 3 apps again/);
    assert.match(text, /Kitting is needed after the restore/);
    assert.match(text, /Re-authenticate the iOS agent/);
    const lines = formatPostRestoreSteps(steps, 'en');
    assert.ok(lines.some((l) => /^\s+a\. On the device's Home screen, tap Portal\./.test(l)), lines.join('\n'));
    assert.ok(formatPostRestoreSteps(steps, 'ja').some((l) => /リモートマネージメント/.test(l)));
  });

  it('the same device without a restart: no Remote Management screen, a warning about error 102', () => {
    const steps = postRestoreSteps(preflight({ supervisedAtBackup: true, targetUdid: SOURCE }), { reboot: false, differentDevice: false, appsToReinstall: 0 });
    const text = steps.map((s) => s.text.en).join('\n');
    assert.match(text, /restart it yourself.*102/);
    assert.doesNotMatch(text, /Remote Management/);
    assert.doesNotMatch(text, /downloads its/);
  });

  it('check lines show status, title, sentence and what to do', () => {
    const lines = formatPreflightChecks(preflight({ findMy: true }), 'en');
    assert.equal(lines[0], 'Restore checks:');
    const findMy = lines.findIndex((l) => l.startsWith('  [FAIL] Find My off: '));
    assert.ok(findMy > 0, lines.join('\n'));
    assert.match(lines[findMy + 1], /^ {6}What to do: On the device open Settings/);
    assert.ok(formatPreflightChecks(preflight(), 'ja').some((l) => l.startsWith('  [注意] ')));
  });

  it('a failed check becomes one sentence naming it', () => {
    const err = new RestorePreflightError(preflight({ findMy: true }));
    assert.equal(err.code, 'restore.preflight-failed');
    assert.match(err.message, /^The restore did not start because a check failed: Find My is on; the device refuses a restore while it is on \(error 211\)\.$/);
  });

  it('progress moves to transferring with the first byte or percent and computes a rate', () => {
    let now = 1000;
    const seen: RestoreProgress[] = [];
    const tracker = new RestoreProgressTracker((p) => seen.push(p), () => now);
    tracker.setPhase('waiting-for-device');
    now += 1000;
    tracker.addBytes(500);
    assert.equal(tracker.snapshot().phase, 'transferring');
    now += 1000;
    tracker.addBytes(500);
    tracker.addFile();
    tracker.setPercent(40);
    const last = tracker.snapshot();
    assert.deepEqual({ files: last.filesSent, bytes: last.bytesSent, rate: last.bytesPerSecond, percent: last.percent }, { files: 1, bytes: 1000, rate: 1000, percent: 40 });
    assert.ok(seen.length >= 4);
  });
});
