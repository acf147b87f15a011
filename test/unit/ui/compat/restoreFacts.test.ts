import * as assert from 'node:assert/strict';
import type { BackupSnapshot } from '../../../../src/ui/compat/backupSnapshot';
import { EMPTY_SELECTION } from '../../../../src/ui/compat/compatSelection';
import { resolveRestoreFacts } from '../../../../src/ui/compat/restoreFacts';
import { backupSnapshotOf, CLOUD_FILE, deviceFacts, UDID_NEW, UDID_OLD } from './compatTestSupport';

const DIR = '/backups/old';

describe('ui/compat: resolving restore facts', () => {
  it('takes a device source\'s current state as its state at backup time', () => {
    const old = deviceFacts(UDID_OLD, { supervised: true, mdm: 'enrolled', iosVersion: '16.1' });
    const target = deviceFacts(UDID_NEW, { supervised: false, iosVersion: '17.2' });
    const resolved = resolveRestoreFacts({ ...EMPTY_SELECTION, source: { kind: 'device', udid: UDID_OLD }, targetUdid: UDID_NEW }, [
      { udid: UDID_OLD, facts: old },
      { udid: UDID_NEW, facts: target },
    ], undefined);
    assert.deepEqual(resolved.source, { udid: UDID_OLD, iosVersion: '16.1', supervisedAtBackup: true, mdmEnrolledAtBackup: true });
    assert.deepEqual(resolved.target, { udid: UDID_NEW, iosVersion: '17.2', supervised: false, adeRestoreFromBackupAllowed: undefined });
    assert.deepEqual(resolved.origins['source.supervisedAtBackup'], { kind: 'device' });
    assert.deepEqual(resolved.unknown, { 'target.adeRestoreFromBackupAllowed': { code: 'management-site' } });
  });

  it('reads a backup\'s identity from its plists and its device state from its configuration-profile store, naming the file', () => {
    const backup = backupSnapshotOf(DIR, { supervised: false, mdm: 'none' });
    const resolved = resolveRestoreFacts({ ...EMPTY_SELECTION, source: { kind: 'backup', dir: DIR } }, [], backup);
    assert.deepEqual(resolved.source, { udid: UDID_OLD, iosVersion: '16.1', supervisedAtBackup: false, mdmEnrolledAtBackup: false });
    assert.deepEqual(resolved.origins['source.supervisedAtBackup'], { kind: 'backup', file: CLOUD_FILE });
  });

  it('explains each unknown: no store, one fact not recorded, unreadable folder, still reading', () => {
    const selection = { ...EMPTY_SELECTION, source: { kind: 'backup' as const, dir: DIR } };
    const noStore = resolveRestoreFacts(selection, [], backupSnapshotOf(DIR, {}));
    assert.equal(noStore.unknown['source.supervisedAtBackup']?.code, 'backup-store-absent');
    const base = backupSnapshotOf(DIR, { supervised: true });
    const noVersion: BackupSnapshot = { ...base, source: { ...base.source!, 'source.iosVersion': { reason: { code: 'backup-not-recorded' } } } };
    const partial = resolveRestoreFacts(selection, [], noVersion);
    assert.equal(partial.source.supervisedAtBackup, true);
    assert.deepEqual(partial.unknown['source.iosVersion'], { code: 'backup-not-recorded' });
    assert.equal(partial.unknown['source.mdmEnrolledAtBackup']?.code, 'backup-store-absent');
    const unreadable = resolveRestoreFacts(selection, [], { dir: DIR, unreadable: 'gone' });
    assert.deepEqual(unreadable.unknown['source.udid'], { code: 'backup-unreadable', detail: 'gone' });
    const reading = resolveRestoreFacts(selection, [], undefined);
    assert.deepEqual(reading.unknown['source.udid'], { code: 'backup-reading' });
  });

  it('explains unknown device facts: detached, still reading, unreadable, limited', () => {
    const sel = { ...EMPTY_SELECTION, targetUdid: UDID_NEW };
    assert.deepEqual(resolveRestoreFacts(sel, [], undefined).unknown['target.supervised'], { code: 'device-detached' });
    assert.deepEqual(resolveRestoreFacts(sel, [{ udid: UDID_NEW }], undefined).unknown['target.supervised'], { code: 'device-reading' });
    assert.deepEqual(resolveRestoreFacts(sel, [{ udid: UDID_NEW, readError: 'lockdownd refused' }], undefined).unknown['target.iosVersion'], {
      code: 'device-unreadable',
      detail: 'lockdownd refused',
    });
    const limited = deviceFacts(UDID_NEW, { supervised: undefined, mdm: undefined, paired: false, limitation: 'The device is not paired.' });
    assert.deepEqual(resolveRestoreFacts(sel, [{ udid: UDID_NEW, facts: limited }], undefined).unknown['target.supervised'], {
      code: 'device-limited',
      detail: 'The device is not paired.',
    });
    // The UDID is known from the choice itself even while the device is away.
    assert.equal(resolveRestoreFacts(sel, [], undefined).target.udid, UDID_NEW);
  });

  it('fills only unknown facts from answers: what a device reports always wins', () => {
    const target = deviceFacts(UDID_NEW, { supervised: false, iosVersion: '17.2' });
    const resolved = resolveRestoreFacts(
      { ...EMPTY_SELECTION, targetUdid: UDID_NEW, answers: { 'target.supervised': true, 'target.adeRestoreFromBackupAllowed': true, 'source.iosVersion': '15.0' } },
      [{ udid: UDID_NEW, facts: target }],
      undefined,
    );
    assert.equal(resolved.target.supervised, false);
    assert.deepEqual(resolved.origins['target.supervised'], { kind: 'device' });
    assert.deepEqual(resolved.unusedAnswers, ['target.supervised']);
    assert.equal(resolved.target.adeRestoreFromBackupAllowed, true);
    assert.deepEqual(resolved.origins['target.adeRestoreFromBackupAllowed'], { kind: 'answer' });
    assert.equal(resolved.source.iosVersion, '15.0');
  });

  it('treats a version that is not an iOS version as unknown instead of passing it to the evaluator', () => {
    const odd = deviceFacts(UDID_NEW, { iosVersion: 'banana' });
    const resolved = resolveRestoreFacts({ ...EMPTY_SELECTION, targetUdid: UDID_NEW }, [{ udid: UDID_NEW, facts: odd }], undefined);
    assert.equal(resolved.target.iosVersion, undefined);
    assert.deepEqual(resolved.unknown['target.iosVersion'], { code: 'malformed-version', detail: 'banana' });
  });

  it('matches devices by UDID case-insensitively', () => {
    const target = deviceFacts(UDID_NEW.toLowerCase(), { supervised: true });
    const resolved = resolveRestoreFacts({ ...EMPTY_SELECTION, targetUdid: UDID_NEW }, [{ udid: UDID_NEW.toLowerCase(), facts: target }], undefined);
    assert.equal(resolved.target.supervised, true);
  });
});
