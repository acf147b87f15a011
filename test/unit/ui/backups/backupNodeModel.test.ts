import assert from 'node:assert/strict';
import type { BackupSummary } from '../../../../src/backup/format/backupFolder';
import { backupNodeModel, groupBackups } from '../../../../src/ui/backups/backupNodeModel';

const summary = (over: Partial<BackupSummary>): BackupSummary => ({
  dir: '/backups/A',
  udid: 'A',
  deviceName: 'Support iPhone',
  productType: 'iPhone14,5',
  iOSVersion: '16.1',
  buildVersion: '20B82',
  date: new Date('2025-01-31T10:00:00Z'),
  encrypted: false,
  sizeBytes: 5_200_000,
  complete: true,
  notes: [],
  ...over,
});

describe('ui: backup node model', () => {
  it('shows date, iOS version, encryption and size', () => {
    const model = backupNodeModel(summary({}), 'en-US');
    assert.match(model.label, /2025/);
    assert.equal(model.description, 'iOS 16.1 · Not encrypted · 5.2 MB');
    assert.equal(model.contextValue, 'completePlainBackup');
    assert.equal(model.icon, 'archive');
    assert.match(model.tooltip, /iPhone 13/);
  });

  it('marks encrypted and incomplete backups for their menus and icons', () => {
    const encrypted = backupNodeModel(summary({ encrypted: true }), 'en');
    assert.equal(encrypted.contextValue, 'completeEncryptedBackup');
    assert.equal(encrypted.icon, 'lock');
    const incomplete = backupNodeModel(summary({ complete: false, incompleteReason: 'Status.plist is missing', date: undefined, encrypted: undefined }), 'en');
    assert.equal(incomplete.contextValue, 'incompleteUnknownBackup');
    assert.equal(incomplete.icon, 'warning');
    assert.equal(incomplete.label, 'A');
    assert.match(incomplete.description, /Incomplete/);
    assert.match(incomplete.tooltip, /Status\\\.plist is missing/);
  });

  it('groups by device, newest backup first, devices by name', () => {
    const groups = groupBackups(
      [
        summary({ dir: '/b/A-old', date: new Date('2024-01-01T00:00:00Z') }),
        summary({ dir: '/b/B', udid: 'B', deviceName: 'Another iPad', productType: 'iPad13,18' }),
        summary({ dir: '/b/A' }),
      ],
      'en',
    );
    assert.deepEqual(groups.map((g) => g.label), ['Another iPad', 'Support iPhone']);
    assert.deepEqual(groups[1].backups.map((b) => b.dir), ['/b/A', '/b/A-old']);
    assert.equal(groups[1].description, 'iPhone 13 · 2 backups');
    assert.equal(groups[0].description, 'iPad (10th generation) · 1 backup');
  });

  it('formats the date in the UI language', () => {
    const ja = backupNodeModel(summary({}), 'ja');
    assert.match(ja.label, /2025\/01\/31|2025年/);
  });
});
