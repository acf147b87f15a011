import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BACKUP_FACTS_FILE, backupFactsFromDevice, isBackupFactsRecord, readBackupFacts, writeBackupFacts } from '../../../../src/backup/engine/backupFacts';

describe('backup facts sidecar', () => {
  it('records the device facts, unknowns as null, and reads them back', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'iosbr-facts-'));
    try {
      const record = backupFactsFromDevice(
        { udid: 'U', connectionType: 'USB', paired: true, name: 'Phone', productType: 'iPhone14,5', iosVersion: '16.1', supervised: true, mdm: 'enrolled', backupEncryption: false },
        new Date('2024-01-02T03:04:05Z'),
      );
      assert.deepEqual(record, {
        formatVersion: 1, recordedAt: '2024-01-02T03:04:05.000Z', udid: 'U', deviceName: 'Phone', productType: 'iPhone14,5', iosVersion: '16.1',
        buildVersion: null, supervised: true, mdmEnrolled: true, organizationName: null, backupEncryption: false, findMy: null,
      });
      await writeBackupFacts(dir, record);
      assert.deepEqual(await readBackupFacts(dir), record);
      await fs.writeFile(path.join(dir, BACKUP_FACTS_FILE), '{"formatVersion":1}');
      assert.equal(await readBackupFacts(dir), undefined);
      await fs.writeFile(path.join(dir, BACKUP_FACTS_FILE), 'not json');
      assert.equal(await readBackupFacts(dir), undefined);
      assert.equal(isBackupFactsRecord({ ...record, supervised: 'yes' }), false);
      assert.equal(backupFactsFromDevice({ udid: 'U', connectionType: 'USB', paired: true, mdm: 'none' }, new Date()).mdmEnrolled, false);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
