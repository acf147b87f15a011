import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { computeFileId, hashedFilePath, isFileId } from '../../../../src/backup/format/fileId';
import { computeFileId as reexportedComputeFileId } from '../../../../src/backup/format/manifestDb';
import { isBackupError } from '../../../../src/common/errors';

describe('backup/format fileId', () => {
  it('is the SHA-1 of "<domain>-<relativePath>"', () => {
    const expected = createHash('sha1').update('HomeDomain-Library/Preferences/com.apple.foo.plist').digest('hex');
    assert.equal(computeFileId('HomeDomain', 'Library/Preferences/com.apple.foo.plist'), expected);
    assert.equal(reexportedComputeFileId('HomeDomain', 'Library/Preferences/com.apple.foo.plist'), expected);
  });

  it('matches a known value for the SMS database', () => {
    // The widely documented fileID of the Messages database.
    assert.equal(computeFileId('HomeDomain', 'Library/SMS/sms.db'), '3d0d7e5fb2ce288813306e4d4636395e047a3d28');
  });

  it('hashes non-ASCII paths as UTF-8', () => {
    const expected = createHash('sha1').update(Buffer.from('MediaDomain-Média/ü.jpg', 'utf8')).digest('hex');
    assert.equal(computeFileId('MediaDomain', 'Média/ü.jpg'), expected);
  });

  it('places content under the first two hex characters', () => {
    const id = computeFileId('HomeDomain', 'Library/SMS/sms.db');
    assert.equal(hashedFilePath('/b', id), path.join('/b', '3d', id));
    assert.ok(isFileId(id));
  });

  it('refuses fileIDs that are not 40 hex characters', () => {
    for (const bad of ['../../etc/passwd', '3d0d7e5f', `${'a'.repeat(39)}/`, '', 'g'.repeat(40)]) {
      assert.throws(() => hashedFilePath('/b', bad), (e: unknown) => isBackupError(e) && e.code === 'backup.bad-file-id', bad);
    }
  });
});
