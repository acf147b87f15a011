import assert from 'node:assert/strict';
import { backupChecksBlock, evaluateRestorePreflight, PREFLIGHT_CHECK_IDS, type PreflightCheckId, type RestorePreflightResult } from '../../../src/restore/restorePreflight';
import type { BackupPreflightFacts, CompatAnswers, RestorePreflightFacts, TargetPreflightFacts } from '../../../src/restore/restorePreflightFacts';
import { bundledRules } from '../../../src/compat/loadRules';
import { backupSourceSlots, CLOUD_CONFIGURATION_FILE, completeBackupFacts } from '../../builders/backupPreflightFacts';
import type { DeviceFacts } from '../../../src/device/deviceFacts';

const SOURCE = '00008110-000A1B2C3D4E801E';
const TARGET = '00008120-001C2D3E4F5A602E';

function backup(over: Partial<BackupPreflightFacts> = {}): BackupPreflightFacts {
  return completeBackupFacts(SOURCE, over);
}

function device(over: Partial<DeviceFacts> = {}): DeviceFacts {
  return { udid: TARGET, connectionType: 'USB', paired: true, iosVersion: '17.2', supervised: true, mdm: 'enrolled', findMy: false, passcodeLocked: false, ...over };
}

function target(over: Partial<TargetPreflightFacts> = {}, deviceOver: Partial<DeviceFacts> = {}): TargetPreflightFacts {
  return { device: device(deviceOver), freeBytes: 60_000_000_000, activationState: 'Activated', ...over };
}

interface Setup {
  backup?: Partial<BackupPreflightFacts>;
  target?: TargetPreflightFacts | null;
  answers?: CompatAnswers;
  passwordRequired?: boolean;
}

function run(setup: Setup = {}): RestorePreflightResult {
  const facts: RestorePreflightFacts = {
    backup: backup(setup.backup),
    rules: bundledRules(),
    answers: setup.answers ?? { adeRestoreFromBackupAllowed: true },
  };
  if (setup.target !== null) facts.target = setup.target ?? target();
  return evaluateRestorePreflight(facts, { passwordRequired: setup.passwordRequired ?? true });
}

function checkOf(result: RestorePreflightResult, id: PreflightCheckId) {
  const found = result.checks.find((c) => c.id === id);
  assert.ok(found, `check ${id} is missing`);
  return found;
}

function statusOf(result: RestorePreflightResult, id: PreflightCheckId): string {
  return checkOf(result, id).status;
}

/** Every check other than `id` passed: the case under test is the only thing that changed. */
function assertOnlyChanged(result: RestorePreflightResult, ...ids: PreflightCheckId[]): void {
  for (const c of result.checks) if (!ids.includes(c.id)) assert.equal(c.status, 'pass', `${c.id} should pass: ${c.sentence.en}`);
}

describe('restore preflight checks', () => {
  it('an encrypted, complete backup to a ready device passes every check', () => {
    const r = run();
    assert.deepEqual(r.checks.map((c) => c.id), [...PREFLIGHT_CHECK_IDS]);
    assertOnlyChanged(r);
    assert.equal(r.blocked, false);
    assert.equal(r.clear, true);
    for (const c of r.checks) {
      assert.equal(c.action, undefined, `${c.id} passed and needs no action`);
      assert.ok(c.sentence.en.length > 0 && c.sentence.ja.length > 0);
    }
  });

  describe('backup health (the quick part of the health check)', () => {
    const healthy = (): BackupPreflightFacts['health'] => completeBackupFacts(SOURCE).health;

    it('passes when the quick check finds nothing, and says the content files were not read', () => {
      const c = checkOf(run(), 'backup-health');
      assert.equal(c.status, 'pass');
      assert.match(c.sentence.en, /content files were not read/);
    });

    it('fails naming each problem, offers the full check, and keeps the device unread before a restore', () => {
      const health = healthy();
      assert.equal(health.kind, 'checked');
      if (health.kind !== 'checked') return;
      const damaged = { ...health, health: { ...health.health, healthy: false, problems: [{ domain: null, relativePath: 'Status.plist', problem: 'Status.plist says the backup did not finish.' }] } };
      const r = run({ backup: { health: damaged } });
      const c = checkOf(r, 'backup-health');
      assert.equal(c.status, 'fail');
      assert.match(c.sentence.en, /Status\.plist: Status\.plist says the backup did not finish\./);
      assert.match(c.action!.en, /iosbr verify/);
      assert.equal(r.blocked, true);
      assert.equal(backupChecksBlock(backup({ health: damaged }), { passwordRequired: true }), true);
    });

    it('reports a cause once: with the completeness check failing, only problems of backed-up files are listed here', () => {
      const health = healthy();
      assert.equal(health.kind, 'checked');
      if (health.kind !== 'checked') return;
      const statusProblem = { domain: null, relativePath: 'Status.plist', problem: 'Status.plist says the backup did not finish.' };
      const fileProblem = { domain: 'HomeDomain', relativePath: 'Library/SMS/sms.db', problem: 'Its content file is missing.' };
      const onlyStatus = run({ backup: { snapshotState: 'uploading', health: { ...health, health: { ...health.health, healthy: false, problems: [statusProblem] } } } });
      assert.equal(checkOf(onlyStatus, 'backup-complete').status, 'fail');
      assert.equal(checkOf(onlyStatus, 'backup-health').status, 'unknown');
      const both = run({ backup: { snapshotState: 'uploading', health: { ...health, health: { ...health.health, healthy: false, problems: [statusProblem, fileProblem] } } } });
      const c = checkOf(both, 'backup-health');
      assert.equal(c.status, 'fail');
      assert.match(c.sentence.en, /HomeDomain\/Library\/SMS\/sms\.db/);
      assert.doesNotMatch(c.sentence.en, /Status\.plist/);
    });

    it('is unknown with the reason when the quick check could not run', () => {
      const r = run({ backup: { health: { kind: 'not-checked', reason: 'Manifest.db could not be opened.' } } });
      const c = checkOf(r, 'backup-health');
      assert.equal(c.status, 'unknown');
      assert.match(c.sentence.en, /Manifest\.db could not be opened/);
      assertOnlyChanged(r, 'backup-health');
    });
  });

  describe('backup complete', () => {
    it('fails when required files are missing, pointing at the right folder when all are', () => {
      const some = run({ backup: { missingFiles: ['Manifest.db'] } });
      assert.equal(statusOf(some, 'backup-complete'), 'fail');
      assert.match(checkOf(some, 'backup-complete').sentence.en, /lacks Manifest\.db/);
      assert.match(checkOf(some, 'backup-complete').action!.en, /new backup/);
      assert.equal(some.blocked, true);
      const all = run({ backup: { missingFiles: ['Info.plist', 'Manifest.plist', 'Manifest.db', 'Status.plist'] } });
      assert.match(checkOf(all, 'backup-complete').action!.en, /named after the device UDID/);
    });

    it('fails for a zero-byte plist, naming error 205', () => {
      const r = run({ backup: { emptyFiles: ['Manifest.plist'] } });
      assert.equal(statusOf(r, 'backup-complete'), 'fail');
      assert.match(checkOf(r, 'backup-complete').sentence.en, /Manifest\.plist is empty \(0 bytes\).*205/);
    });

    it('fails when Status.plist does not say finished, or cannot be read', () => {
      const unfinished = run({ backup: { snapshotState: 'uploading' } });
      assert.equal(statusOf(unfinished, 'backup-complete'), 'fail');
      assert.match(checkOf(unfinished, 'backup-complete').sentence.en, /SnapshotState is "uploading"/);
      const noState = run({ backup: { snapshotState: undefined } });
      assert.match(checkOf(noState, 'backup-complete').sentence.en, /SnapshotState is missing/);
      const unreadable = run({ backup: { snapshotState: undefined, statusProblem: 'not a plist' } });
      assert.match(checkOf(unreadable, 'backup-complete').sentence.en, /Status\.plist cannot be read \(not a plist\)/);
    });

    it('fails when a backup into the folder was interrupted', () => {
      const r = run({ backup: { backupInterrupted: true } });
      assert.equal(statusOf(r, 'backup-complete'), 'fail');
      assert.match(checkOf(r, 'backup-complete').sentence.en, /interrupted/);
    });
  });

  describe('backup password', () => {
    it('passes without encryption and with the right password', () => {
      assert.equal(statusOf(run({ backup: { encrypted: false, password: { kind: 'not-needed' } } }), 'backup-password'), 'pass');
      assert.equal(statusOf(run(), 'backup-password'), 'pass');
    });

    it('fails for a wrong password, naming error 207 and what to do', () => {
      const r = run({ backup: { password: { kind: 'wrong' } } });
      const c = checkOf(r, 'backup-password');
      assert.equal(c.status, 'fail');
      assert.match(c.sentence.en, /207/);
      assert.match(c.action!.en, /not the device passcode or the Apple ID password/);
      assert.equal(r.blocked, true);
    });

    it('fails for a missing password before a restore, stays unknown for preflight alone', () => {
      assert.equal(statusOf(run({ backup: { password: { kind: 'missing' } } }), 'backup-password'), 'fail');
      const preflightOnly = run({ backup: { password: { kind: 'missing' } }, passwordRequired: false });
      assert.equal(statusOf(preflightOnly, 'backup-password'), 'unknown');
      assert.equal(preflightOnly.blocked, false);
      assert.equal(preflightOnly.clear, false);
    });

    it('fails when the keybag cannot be read, and is unknown when Manifest.plist cannot be read', () => {
      const keybag = run({ backup: { password: { kind: 'keybag-unreadable', reason: 'it has no class key' } } });
      assert.equal(statusOf(keybag, 'backup-password'), 'fail');
      assert.match(checkOf(keybag, 'backup-password').sentence.en, /it has no class key/);
      assert.equal(statusOf(run({ backup: { encrypted: undefined, password: { kind: 'unknown', reason: 'Manifest.plist is not a plist.' } } }), 'backup-password'), 'unknown');
    });
  });

  describe('what the backup carries', () => {
    it('warns that an unencrypted backup leaves out passwords, Wi-Fi, website history and Health, without blocking', () => {
      const r = run({ backup: { encrypted: false, password: { kind: 'not-needed' } } });
      const c = checkOf(r, 'backup-encryption');
      assert.equal(c.status, 'warn');
      for (const what of [/saved passwords/, /Wi-Fi settings/, /website history/, /Health data/]) assert.match(c.sentence.en, what);
      assert.match(c.action!.en, /encryption/);
      assert.equal(r.blocked, false);
      assert.equal(r.clear, true);
      assertOnlyChanged(r, 'backup-encryption');
    });

    it('passes for an encrypted backup and is unknown when encryption cannot be told', () => {
      assert.equal(statusOf(run(), 'backup-encryption'), 'pass');
      assert.equal(statusOf(run({ backup: { encrypted: undefined, password: { kind: 'unknown', reason: 'x' } } }), 'backup-encryption'), 'unknown');
    });
  });

  describe('device state', () => {
    it('fails for an unpaired device', () => {
      const r = run({ target: target({}, { paired: false }) });
      assert.equal(statusOf(r, 'device-paired'), 'fail');
      assert.match(checkOf(r, 'device-paired').action!.en, /Trust/);
    });

    it('fails for a locked device (208), passes unlocked, unknown when not read', () => {
      const locked = run({ target: target({}, { passcodeLocked: true }) });
      assert.equal(statusOf(locked, 'device-unlocked'), 'fail');
      assert.match(checkOf(locked, 'device-unlocked').sentence.en, /208/);
      assertOnlyChanged(locked, 'device-unlocked');
      assert.equal(statusOf(run({ target: target({}, { passcodeLocked: undefined }) }), 'device-unlocked'), 'unknown');
    });

    it('fails for a device not activated yet, passes an activated one, unknown when not read', () => {
      const r = run({ target: target({ activationState: 'Unactivated' }) });
      assert.equal(statusOf(r, 'device-activated'), 'fail');
      assert.match(checkOf(r, 'device-activated').action!.en, /Restore from Mac or PC/);
      assert.equal(statusOf(run({ target: target({ activationState: undefined }) }), 'device-activated'), 'unknown');
    });
  });

  describe('Find My', () => {
    it('fails when on (211) with the steps to turn it off', () => {
      const r = run({ target: target({}, { findMy: true }) });
      const c = checkOf(r, 'find-my');
      assert.equal(c.status, 'fail');
      assert.match(c.sentence.en, /211/);
      assert.match(c.action!.en, /Settings > \[your name\] > Find My/);
      assertOnlyChanged(r, 'find-my');
    });

    it('is unknown when it could not be read', () => {
      const r = run({ target: target({}, { findMy: undefined }) });
      assert.equal(statusOf(r, 'find-my'), 'unknown');
      assert.equal(r.blocked, false);
      assert.equal(r.clear, false);
    });
  });

  describe('free space', () => {
    it('fails when the device has less than the backup holds (105), saying both amounts', () => {
      const r = run({ backup: { sizeBytes: 8_000_000_000 }, target: target({ freeBytes: 2_000_000_000 }) });
      const c = checkOf(r, 'free-space');
      assert.equal(c.status, 'fail');
      assert.match(c.sentence.en, /2\.0 GB free but the backup holds 8\.0 GB.*105/);
      assert.match(c.action!.en, /Free at least 6\.0 GB/);
    });

    it('passes with exactly enough and is unknown when the device did not say', () => {
      assert.equal(statusOf(run({ backup: { sizeBytes: 1000 }, target: target({ freeBytes: 1000 }) }), 'free-space'), 'pass');
      const unknown = run({ target: target({ freeBytes: undefined }) });
      assert.equal(statusOf(unknown, 'free-space'), 'unknown');
      assert.match(checkOf(unknown, 'free-space').action!.en, /at least 5\.0 MB/);
    });
  });

  describe('iOS version', () => {
    it("fails for a target older than the backup, with the MDM vendor's update advice", () => {
      const r = run({ target: target({}, { iosVersion: '15.7' }) });
      const c = checkOf(r, 'ios-version');
      assert.equal(c.status, 'fail');
      assert.match(c.sentence.en, /iOS 15\.7, older than the backup's iOS 16\.1: update the target to iOS 16\.1 or later/);
      assert.match(c.action!.en, /set it up as new, update iOS, erase it, then restore/);
      assert.match(c.action!.en, /too old/);
      // The iOS precondition is one check, not repeated in the compatibility verdict.
      assert.equal(statusOf(r, 'compat-verdict'), 'pass');
    });

    it('passes for the same or a newer iOS and is unknown without a version', () => {
      assert.equal(statusOf(run({ target: target({}, { iosVersion: '16.1' }) }), 'ios-version'), 'pass');
      assert.equal(statusOf(run({ target: target({}, { iosVersion: undefined }) }), 'ios-version'), 'unknown');
    });
  });

  describe('compatibility verdict (the MDM vendor\'s rules)', () => {
    it('fails for an unsupervised backup to the same device now supervised, saying to kit another device', () => {
      const r = run({
        backup: { source: backupSourceSlots(TARGET, '16.1', { supervised: false, mdmEnrolled: true }) },
        target: target({}, { supervised: true }),
      });
      const c = checkOf(r, 'compat-verdict');
      assert.equal(c.status, 'fail');
      assert.match(c.sentence.en, /The MDM vendor's document \(KDDI Smart Mobile Safety Manager: iOS backup and restore procedure and cautions, Ver 2\.0\) does not support/);
      assert.match(c.action!.en, /Kit a different device/);
    });

    it('fails when the ADE profile does not allow restoring from a backup', () => {
      const r = run({ answers: { adeRestoreFromBackupAllowed: false } });
      assert.equal(statusOf(r, 'compat-verdict'), 'fail');
      assert.match(checkOf(r, 'compat-verdict').sentence.en, /ADE definition profile/);
    });

    it('is unknown while a fact is open, and lists the question', () => {
      const r = run({ answers: {} });
      const c = checkOf(r, 'compat-verdict');
      assert.equal(c.status, 'unknown');
      assert.match(c.action!.en, /Do not enable restore from backup/);
      assert.equal(r.blocked, false);
    });

    it("uses an answer only for a fact nothing could read; a statement of the target's supervision at restore time wins", () => {
      const ignored = run({ answers: { targetSupervised: false, adeRestoreFromBackupAllowed: true }, target: target({}, { supervised: true }) });
      assert.equal(ignored.targetFacts.supervised, true);
      assert.deepEqual(ignored.provenance.unusedAnswers, ['target.supervised']);
      const overridden = run({ answers: { targetSupervisedAtRestore: false, adeRestoreFromBackupAllowed: true }, target: target({}, { supervised: true }) });
      assert.equal(overridden.targetFacts.supervised, false);
      assert.deepEqual(overridden.provenance.overriddenReads, ['target.supervised']);
      assert.deepEqual(overridden.provenance.unusedAnswers, []);
      assert.equal(overridden.report.cell?.id, 'supervised.different.target-unsupervised');
      const filled = run({ answers: { targetSupervised: false, adeRestoreFromBackupAllowed: true }, target: target({}, { supervised: undefined }) });
      assert.equal(filled.targetFacts.supervised, false);
      assert.deepEqual(filled.provenance.origins['target.supervised'], { kind: 'answer' });
      assert.deepEqual(filled.provenance.overriddenReads, []);
      assert.equal(statusOf(filled, 'compat-verdict'), 'pass');
      assert.equal(filled.report.cell?.id, 'supervised.different.target-unsupervised');
    });

    it('takes the state at backup time from the backup\'s own files and names them; an answer does not override them', () => {
      const r = run({ answers: { adeRestoreFromBackupAllowed: true, sourceSupervisedAtBackup: false } });
      assert.deepEqual(r.provenance.origins['source.supervisedAtBackup'], { kind: 'backup', file: CLOUD_CONFIGURATION_FILE });
      assert.equal(r.sourceFacts.supervisedAtBackup, true);
      assert.deepEqual(r.provenance.unusedAnswers, ['source.supervisedAtBackup']);
      assert.deepEqual(r.report.questions.map((q) => q.fact), []);
    });

    it('asks about the state at backup time when the backup is encrypted and no password opened it, saying why', () => {
      const reason = { code: 'backup-encrypted-needs-password' as const, detail: 'The backup is encrypted and no password was given.' };
      const source = { ...backupSourceSlots(SOURCE, '16.1', { supervised: true, mdmEnrolled: true }), 'source.supervisedAtBackup': { reason }, 'source.mdmEnrolledAtBackup': { reason } };
      const r = run({ backup: { source, password: { kind: 'missing' } }, passwordRequired: false });
      assert.deepEqual(r.provenance.unknown['source.supervisedAtBackup'], reason);
      assert.ok(r.report.questions.some((q) => q.fact === 'source.mdmEnrolledAtBackup'));
      assert.equal(r.sourceFacts.mdmEnrolledAtBackup, undefined, 'never guessed');
    });

    it('passes for a supported cell and carries the post-restore actions in the report', () => {
      const r = run({ backup: { source: backupSourceSlots(SOURCE, '16.1', { supervised: false, mdmEnrolled: true }) } });
      assert.equal(statusOf(r, 'compat-verdict'), 'pass');
      assert.equal(r.report.cell?.id, 'unsupervised.different.target-supervised');
      assert.deepEqual(r.report.postRestoreActions.map((a) => a.id), ['reauthenticate-agent']);
    });
  });

  describe('when the device was not read', () => {
    it('marks every device check unknown, "not checked"', () => {
      const r = run({ target: null, backup: { password: { kind: 'wrong' } } });
      for (const id of ['device-paired', 'device-unlocked', 'device-activated', 'find-my', 'free-space', 'ios-version', 'compat-verdict'] as const) {
        assert.equal(statusOf(r, id), 'unknown');
        assert.match(checkOf(r, id).sentence.en, /Not checked/);
      }
      assert.equal(r.target, undefined);
      assert.equal(r.blocked, true);
    });

    it('backupChecksBlock tells whether the backup alone rules the restore out', () => {
      assert.equal(backupChecksBlock(backup({ password: { kind: 'wrong' } }), { passwordRequired: true }), true);
      assert.equal(backupChecksBlock(backup({ snapshotState: 'uploading' }), { passwordRequired: true }), true);
      assert.equal(backupChecksBlock(backup({ password: { kind: 'missing' } }), { passwordRequired: false }), false);
      assert.equal(backupChecksBlock(backup({ encrypted: false, password: { kind: 'not-needed' } }), { passwordRequired: true }), false);
    });
  });
});
