import * as assert from 'node:assert/strict';
import type { BackupSnapshot } from '../../../../src/ui/compat/backupSnapshot';
import { EMPTY_SELECTION } from '../../../../src/ui/compat/compatSelection';
import { resolveRestoreFacts } from '../../../../src/ui/compat/restoreFacts';
import { deviceFacts, UDID_NEW, UDID_OLD } from './compatTestSupport';

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
    assert.equal(resolved.origins['source.supervisedAtBackup'], 'device');
    assert.deepEqual(resolved.unknown, { 'target.adeRestoreFromBackupAllowed': { code: 'management-site' } });
  });

  it('reads a backup\'s identity from its plists and its device state from the sidecar', () => {
    const backup: BackupSnapshot = { dir: DIR, udid: UDID_OLD, iosVersion: '16.1', sidecar: { status: 'recorded', facts: { supervised: false, mdm: 'none' } } };
    const resolved = resolveRestoreFacts({ ...EMPTY_SELECTION, source: { kind: 'backup', dir: DIR } }, [], backup);
    assert.deepEqual(resolved.source, { udid: UDID_OLD, iosVersion: '16.1', supervisedAtBackup: false, mdmEnrolledAtBackup: false });
    assert.equal(resolved.origins['source.mdmEnrolledAtBackup'], 'backup');
  });

  it('explains each unknown: no sidecar, unreadable sidecar, missing field, unreadable folder, still reading', () => {
    const base: BackupSnapshot = { dir: DIR, udid: UDID_OLD, sidecar: { status: 'absent' } };
    const selection = { ...EMPTY_SELECTION, source: { kind: 'backup' as const, dir: DIR } };
    const noSidecar = resolveRestoreFacts(selection, [], base);
    assert.deepEqual(noSidecar.unknown['source.supervisedAtBackup'], { code: 'backup-not-ours' });
    assert.deepEqual(noSidecar.unknown['source.iosVersion'], { code: 'backup-not-recorded' });
    const broken = resolveRestoreFacts(selection, [], { ...base, sidecar: { status: 'unreadable', reason: 'bad JSON' } });
    assert.deepEqual(broken.unknown['source.mdmEnrolledAtBackup'], { code: 'backup-sidecar-unreadable', detail: 'bad JSON' });
    const partial = resolveRestoreFacts(selection, [], { ...base, sidecar: { status: 'recorded', facts: { supervised: true } } });
    assert.equal(partial.source.supervisedAtBackup, true);
    assert.deepEqual(partial.unknown['source.mdmEnrolledAtBackup'], { code: 'backup-not-recorded' });
    const unreadable = resolveRestoreFacts(selection, [], { ...base, unreadable: 'gone' });
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
    assert.equal(resolved.origins['target.supervised'], 'device');
    assert.equal(resolved.target.adeRestoreFromBackupAllowed, true);
    assert.equal(resolved.origins['target.adeRestoreFromBackupAllowed'], 'answer');
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
