import assert from 'node:assert/strict';
import { sourceIdentifierFor } from '../../../src/restore/restoreEngine';
import { buildRestoreRequest } from '../../../src/services/mobilebackup2';

const A = '00008110-000A1B2C3D4E801E';
const B = '00008120-001C2D3E4F5A602E';

describe('the Restore request', () => {
  const plain = { targetIdentifier: B, sourceIdentifier: A, reboot: true, restoreSystemFiles: false, preserveSettings: false, copyFirst: false, removeItemsNotRestored: false };

  it('sends every option explicitly (a device treats absent ones as true) and names both devices', () => {
    assert.deepEqual(buildRestoreRequest(plain), {
      MessageName: 'Restore',
      TargetIdentifier: B,
      SourceIdentifier: A,
      Options: { RestoreShouldReboot: true, RestoreSystemFiles: false, RestorePreserveSettings: false, RestoreDontCopyBackup: true, RemoveItemsNotRestored: false },
    });
  });

  it('maps the plain option names', () => {
    const options = buildRestoreRequest({ ...plain, reboot: false, restoreSystemFiles: true, preserveSettings: true, copyFirst: true, removeItemsNotRestored: true }).Options;
    assert.deepEqual(options, { RestoreShouldReboot: false, RestoreSystemFiles: true, RestorePreserveSettings: true, RestoreDontCopyBackup: false, RemoveItemsNotRestored: true });
  });

  it('puts the password only into Options', () => {
    const request = buildRestoreRequest({ ...plain, password: 'secret' });
    assert.equal((request.Options as Record<string, unknown>).Password, 'secret');
    assert.equal(request.Password, undefined);
  });

  it('SourceIdentifier: the target as the device spells it for its own backup, else the backup UDID', () => {
    assert.equal(sourceIdentifierFor(A.toUpperCase(), A.toLowerCase()), A.toLowerCase());
    assert.equal(sourceIdentifierFor(A, B), A);
  });
});
