import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { silentLogger } from '../../../../src/common/logger';
import { readBackupFaults } from '../../../../src/simulator/backup/backupFaults';
import { planBackup, type PreviousFile } from '../../../../src/simulator/backup/backupPlan';
import { DeviceBackupState } from '../../../../src/simulator/backup/deviceBackupState';
import { SimulatedDataset } from '../../../../src/simulator/dataset/simulatedDataset';

const SPEC = { files: 100, totalBytes: 1_000_000, seed: 9, generation: 0 };

describe('device backup plan', () => {
  it('sends every file when there is no usable previous backup', () => {
    const dataset = SimulatedDataset.build(SPEC);
    const plan = planBackup(dataset, { usable: false, reason: 'no Status.plist' });
    assert.equal(plan.mode, 'full');
    assert.equal(plan.uploads.length, 100);
    assert.deepEqual(plan.removals, []);
  });

  it('sends only changed files and removes files the device no longer has', () => {
    const before = SimulatedDataset.build(SPEC);
    const after = SimulatedDataset.build({ ...SPEC, generation: 1 });
    const files = new Map<string, PreviousFile>(before.files().map((f) => [f.fileID, { size: f.size, lastModified: f.lastModified }]));
    files.set('f'.repeat(40), { size: 1, lastModified: 1 });
    files.set('../../not-a-file-id', { size: 1, lastModified: 1 });
    const plan = planBackup(after, { usable: true, previous: { uuid: 'U', files } });
    assert.equal(plan.mode, 'incremental');
    const changed = after.files().filter((f, i) => f.contentVersion !== before.files()[i].contentVersion);
    assert.deepEqual(plan.uploads.map((f) => f.fileID).sort(), changed.map((f) => f.fileID).sort());
    assert.deepEqual(plan.removals, ['f'.repeat(40)], 'only well-formed fileIDs from the host become paths');
  });
});

describe('device backup record', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'iosbr-state-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('remembers finished backups by UUID, newest last, and survives a corrupt file', () => {
    const state = new DeviceBackupState(dir, '00008110-000A1B2C3D4E801E', silentLogger);
    assert.deepEqual(state.backups(), []);
    for (let i = 0; i < 20; i++) state.remember({ uuid: `U${i}`, finishedAt: new Date(0).toISOString(), mode: 'full', generation: i, fileCount: 1 });
    assert.equal(state.backups().length, 16);
    assert.ok(state.knownUuids().has('U19') && !state.knownUuids().has('U0'));
    const file = path.join(dir, 'devices', '00008110-000A1B2C3D4E801E', 'backup-state.json');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, '{not json');
    assert.deepEqual(state.backups(), []);
  });
});

describe('backup fault switches', () => {
  it('reads valid switches and ignores malformed ones', () => {
    const faults = readBackupFaults(
      { disconnectAfterFiles: 3, disconnectAfterBytes: -1, uploadOutsidePath: true, refuseBackup: { code: 212, description: 'Setup' }, lowHostDiskQuery: 'yes', otherIssueFault: 1 },
      silentLogger,
    );
    assert.deepEqual(faults, { disconnectAfterFiles: 3, uploadOutsidePath: true, refuseBackup: { code: 212, description: 'Setup' } });
    assert.deepEqual(readBackupFaults({ refuseBackup: { code: 0 } }, silentLogger), {});
  });
});
