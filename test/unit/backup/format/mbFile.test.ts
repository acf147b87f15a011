import * as assert from 'node:assert/strict';
import { decodeMbFile, encodeMbFile, mbFileKindFromMode, type MbFileRecord } from '../../../../src/backup/format/mbFile';
import { isBackupError } from '../../../../src/common/errors';
import { buildBinaryPlist, buildXmlPlist, parsePlist } from '../../../../src/plist';
import { PlistUid, isPlistDict, type PlistDict, type PlistValue } from '../../../../src/plist/types';

const FULL_RECORD: MbFileRecord = {
  relativePath: 'Library/Preferences/com.apple.foo.plist',
  size: 1234,
  mode: 0o100644,
  userId: 501,
  groupId: 501,
  inodeNumber: 123456789,
  birth: 1_700_000_000,
  lastModified: 1_700_000_100,
  lastStatusChange: 1_700_000_200,
  flags: 0,
  protectionClass: 3,
  encryptionKey: Buffer.concat([Buffer.from([3, 0, 0, 0]), Buffer.alloc(40, 0xab)]),
  extendedAttributes: Buffer.from('bplist00-xattrs'),
};

function archiveOf(blob: Buffer): PlistDict {
  const value = parsePlist(blob);
  assert.ok(isPlistDict(value));
  return value;
}

/** A minimal valid archive that tests then break in one place. */
function handArchive(overrides: { objects?: PlistValue[]; top?: PlistValue; archiver?: PlistValue } = {}): Buffer {
  const objects: PlistValue[] = overrides.objects ?? [
    '$null',
    { $class: new PlistUid(3), RelativePath: new PlistUid(2), Size: 5, Mode: 0o100644 },
    'a/b.txt',
    { $classname: 'MBFile', $classes: ['MBFile', 'NSObject'] },
  ];
  return buildBinaryPlist({
    $version: 100000,
    $archiver: overrides.archiver ?? 'NSKeyedArchiver',
    $top: overrides.top ?? { root: new PlistUid(1) },
    $objects: objects,
  });
}

function assertMalformed(blob: Buffer, fragment: string): void {
  assert.throws(
    () => decodeMbFile(blob),
    (e: unknown) => isBackupError(e) && e.code === 'backup.mbfile-malformed' && e.message.includes(fragment),
    fragment,
  );
}

describe('backup/format mbFile', () => {
  it('round-trips a full record', () => {
    assert.deepEqual(decodeMbFile(encodeMbFile(FULL_RECORD)), FULL_RECORD);
  });

  it('round-trips a symlink without optional fields', () => {
    const link: MbFileRecord = { relativePath: 'Library/link', size: 0, mode: 0o120755, target: '/private/var/mobile' };
    assert.deepEqual(decodeMbFile(encodeMbFile(link)), link);
  });

  it('writes the NSKeyedArchiver layout a device writes', () => {
    const archive = archiveOf(encodeMbFile(FULL_RECORD));
    assert.equal(archive.$archiver, 'NSKeyedArchiver');
    assert.equal(archive.$version, 100000);
    assert.deepEqual(archive.$top, { root: new PlistUid(1) });
    const objects = archive.$objects as PlistValue[];
    // $null, MBFile, path, key data, NSMutableData class, xattr data, MBFile class.
    assert.equal(objects.length, 7);
    assert.equal(objects[0], '$null');
    const mbFile = objects[1] as PlistDict;
    assert.deepEqual(mbFile.RelativePath, new PlistUid(2));
    assert.equal(objects[2], FULL_RECORD.relativePath);
    assert.deepEqual(mbFile.EncryptionKey, new PlistUid(3));
    assert.deepEqual(objects[3], { 'NS.data': FULL_RECORD.encryptionKey, $class: new PlistUid(4) });
    assert.deepEqual(objects[4], { $classname: 'NSMutableData', $classes: ['NSMutableData', 'NSData', 'NSObject'] });
    assert.deepEqual(mbFile.ExtendedAttributes, new PlistUid(5));
    assert.deepEqual(objects[5], { 'NS.data': FULL_RECORD.extendedAttributes, $class: new PlistUid(4) });
    assert.deepEqual(mbFile.$class, new PlistUid(6));
    assert.deepEqual(objects[6], { $classname: 'MBFile', $classes: ['MBFile', 'NSObject'] });
    assert.equal(mbFile.Size, 1234);
    assert.equal(mbFile.Mode, 0o100644);
    assert.equal(mbFile.UserID, 501);
    assert.equal(mbFile.GroupID, 501);
    assert.equal(mbFile.InodeNumber, 123456789);
    assert.equal(mbFile.Birth, 1_700_000_000);
    assert.equal(mbFile.LastModified, 1_700_000_100);
    assert.equal(mbFile.LastStatusChange, 1_700_000_200);
    assert.equal(mbFile.Flags, 0);
    assert.equal(mbFile.ProtectionClass, 3);
    assert.equal(mbFile.Target, undefined);
  });

  it('is a binary plist', () => {
    assert.equal(encodeMbFile(FULL_RECORD).subarray(0, 8).toString('latin1'), 'bplist00');
  });

  it('reads a hand-built archive, including inline values and a $null EncryptionKey', () => {
    const blob = handArchive({
      objects: [
        '$null',
        { $class: new PlistUid(2), RelativePath: 'inline/path', Size: 7n, Mode: 0o40755, EncryptionKey: new PlistUid(0), LastModified: 1.9e9 },
        { $classname: 'MBFile', $classes: ['MBFile', 'NSObject'] },
      ],
    });
    assert.deepEqual(decodeMbFile(blob), { relativePath: 'inline/path', size: 7, mode: 0o40755, lastModified: 1.9e9 });
  });

  it('accepts an NSData-like key object even without its own class entry', () => {
    const blob = handArchive({
      objects: [
        '$null',
        { $class: new PlistUid(4), RelativePath: new PlistUid(2), Size: 1, Mode: 0o100600, EncryptionKey: new PlistUid(3) },
        'k',
        { 'NS.data': Buffer.from([1, 2, 3]) },
        { $classname: 'MBFile', $classes: ['MBFile', 'NSObject'] },
      ],
    });
    assert.deepEqual(decodeMbFile(blob).encryptionKey, Buffer.from([1, 2, 3]));
  });

  it('refuses bytes that are not a plist', () => {
    assertMalformed(Buffer.from('definitely not a plist'), 'not a property list');
  });

  it('refuses a foreign archiver, a missing $objects and a bad $top', () => {
    assertMalformed(handArchive({ archiver: 'NSArchiver' }), 'NSArchiver');
    assertMalformed(buildBinaryPlist({ $archiver: 'NSKeyedArchiver', $top: { root: new PlistUid(1) } }), '$objects');
    assertMalformed(handArchive({ top: { root: 1 } }), '$top.root');
    assertMalformed(Buffer.from(buildXmlPlist(['not', 'a', 'dict'])), 'top level');
  });

  it('refuses references outside $objects', () => {
    assertMalformed(handArchive({ top: { root: new PlistUid(9) } }), '$top.root refers to object 9');
    assertMalformed(
      handArchive({
        objects: ['$null', { $class: new PlistUid(2), RelativePath: new PlistUid(40), Size: 1, Mode: 1 }, { $classname: 'MBFile' }],
      }),
      'RelativePath refers to object 40',
    );
    assertMalformed(
      handArchive({ objects: ['$null', { $class: new PlistUid(7), RelativePath: 'x', Size: 1, Mode: 1 }] }),
      'the $class of the root object refers to object 7',
    );
  });

  it('refuses a root of another class, missing fields and wrong types', () => {
    assertMalformed(
      handArchive({ objects: ['$null', { $class: new PlistUid(2), RelativePath: 'x', Size: 1, Mode: 1 }, { $classname: 'NSDictionary' }] }),
      'class "NSDictionary", not MBFile',
    );
    assertMalformed(
      handArchive({ objects: ['$null', { $class: new PlistUid(2), Size: 1, Mode: 1 }, { $classname: 'MBFile' }] }),
      'RelativePath is missing',
    );
    assertMalformed(
      handArchive({ objects: ['$null', { $class: new PlistUid(2), RelativePath: 'x', Mode: 1 }, { $classname: 'MBFile' }] }),
      'Size is missing',
    );
    assertMalformed(
      handArchive({ objects: ['$null', { $class: new PlistUid(2), RelativePath: 'x', Size: 'big', Mode: 1 }, { $classname: 'MBFile' }] }),
      'Size is "big", not an integer',
    );
    assertMalformed(
      handArchive({ objects: ['$null', { $class: new PlistUid(2), RelativePath: 5, Size: 1, Mode: 1 }, { $classname: 'MBFile' }] }),
      'RelativePath is the number 5, not a string',
    );
    assertMalformed(
      handArchive({
        objects: ['$null', { $class: new PlistUid(2), RelativePath: 'x', Size: 1, Mode: 1, EncryptionKey: 'text' }, { $classname: 'MBFile' }],
      }),
      'EncryptionKey is neither data nor an NSData object',
    );
    assertMalformed(
      handArchive({ objects: ['$null', { $class: new PlistUid(2), RelativePath: 'x', Size: 2n ** 60n, Mode: 1 }, { $classname: 'MBFile' }] }),
      'too large',
    );
    assertMalformed(handArchive({ objects: ['$null', 'a string root'] }), 'root object is not a dictionary');
  });

  it('classifies modes by their type bits', () => {
    assert.equal(mbFileKindFromMode(0o100644), 'file');
    assert.equal(mbFileKindFromMode(0o040755), 'directory');
    assert.equal(mbFileKindFromMode(0o120755), 'symlink');
    assert.equal(mbFileKindFromMode(0o060000), 'other');
  });
});
