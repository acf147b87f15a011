import * as assert from 'node:assert/strict';
import { encodeStatusPlist, isSnapshotFinished, parseStatusPlist } from '../../../../src/backup/format/statusPlist';
import { isBackupError } from '../../../../src/common/errors';
import { buildXmlPlist } from '../../../../src/plist';
import { testStatus } from '../../../builders/testBackupBuilder';

describe('backup/format statusPlist', () => {
  for (const format of ['xml', 'binary'] as const) {
    it(`round-trips as ${format}`, () => {
      const status = { ...testStatus(), otherKeys: { Extra: 'kept' } };
      assert.deepEqual(parseStatusPlist(encodeStatusPlist(status, format)), status);
    });
  }

  it('writes a binary plist by default, as the device does', () => {
    assert.equal(encodeStatusPlist(testStatus()).subarray(0, 8).toString('latin1'), 'bplist00');
  });

  it('tells a finished snapshot from others and from a missing state', () => {
    assert.equal(isSnapshotFinished(testStatus()), true);
    assert.equal(isSnapshotFinished({ ...testStatus(), snapshotState: 'uploading' }), false);
    const bare = parseStatusPlist(Buffer.from(buildXmlPlist({ BackupState: 'new' })));
    assert.deepEqual(bare, { backupState: 'new' });
    assert.equal(isSnapshotFinished(bare), false);
  });

  it('explains bytes that are not a plist', () => {
    assert.throws(
      () => parseStatusPlist(Buffer.from('bplist00 truncated')),
      (e: unknown) => isBackupError(e) && e.message.startsWith('Cannot read Status.plist because'),
    );
  });
});
