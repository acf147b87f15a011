import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isUnsafePathError } from '../../../../src/backup/format/formatErrors';
import { isInsideFolder, resolveInside, splitRelativePath } from '../../../../src/backup/format/safePath';
import { isBackupError } from '../../../../src/common/errors';
import { makeTempDir } from '../../../builders/testBackupBuilder';

describe('backup/format safePath', () => {
  let root: string;
  let outside: string;

  beforeEach(async () => {
    root = await makeTempDir('iosbr-safe-root-');
    outside = await makeTempDir('iosbr-safe-outside-');
  });

  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
    await fs.rm(outside, { recursive: true, force: true });
  });

  function refusedNaming(devicePath: string, fragment: string) {
    return (e: unknown): boolean =>
      isUnsafePathError(e) && e.unsafePath === devicePath && e.message.includes(fragment) && e.code === 'backup.unsafe-path';
  }

  it('resolves ordinary relative paths inside the root', async () => {
    assert.equal(await resolveInside(root, 'HomeDomain/Library/SMS/sms.db'), path.join(root, 'HomeDomain', 'Library', 'SMS', 'sms.db'));
    assert.equal(await resolveInside(root, 'a//b/./c/'), path.join(root, 'a', 'b', 'c'));
    assert.equal(await resolveInside(root, ''), root);
    assert.equal(await resolveInside(root, '..foo/...bar'), path.join(root, '..foo', '...bar'));
  });

  it('refuses "../x", "/etc/passwd", "a/../../x" and a NUL byte, naming the path', async () => {
    await assert.rejects(resolveInside(root, '../x'), refusedNaming('../x', 'Refused the path "../x" because it contains a ".." segment'));
    await assert.rejects(resolveInside(root, '/etc/passwd'), refusedNaming('/etc/passwd', 'is absolute'));
    await assert.rejects(resolveInside(root, 'a/../../x'), refusedNaming('a/../../x', '".." segment'));
    await assert.rejects(resolveInside(root, 'a/b\0c'), refusedNaming('a/b\0c', '"a/b\\x00c" because it contains a NUL byte'));
  });

  it('refuses a path that escapes through an existing symlink', async () => {
    await fs.symlink(outside, path.join(root, 'escape'));
    await assert.rejects(resolveInside(root, 'escape/passwd'), refusedNaming('escape/passwd', 'leaves'));
    await assert.rejects(resolveInside(root, 'escape'), refusedNaming('escape', 'through a symlink'));
    await assert.rejects(resolveInside(root, 'escape/deeper/still/x'), refusedNaming('escape/deeper/still/x', 'through a symlink'));
  });

  it('refuses writing through a dangling symlink', async () => {
    await fs.symlink(path.join(outside, 'not-yet'), path.join(root, 'dangling'));
    await assert.rejects(resolveInside(root, 'dangling'), refusedNaming('dangling', 'cannot be resolved'));
  });

  it('accepts a symlink that stays inside the root', async () => {
    await fs.mkdir(path.join(root, 'real'));
    await fs.symlink(path.join(root, 'real'), path.join(root, 'alias'));
    assert.equal(await resolveInside(root, 'alias/file'), path.join(root, 'alias', 'file'));
  });

  it('accepts a root that is itself reached through a symlink', async () => {
    const linkToRoot = path.join(outside, 'link-to-root');
    await fs.symlink(root, linkToRoot);
    assert.equal(await resolveInside(linkToRoot, 'x/y'), path.join(root, 'x', 'y'));
  });

  it('explains a root that does not exist', async () => {
    await assert.rejects(
      resolveInside(path.join(root, 'missing'), 'x'),
      (e: unknown) => isBackupError(e) && e.code === 'backup.output-unavailable' && e.message.endsWith('missing because it does not exist.'),
    );
  });

  it('applies the Windows rules: backslashes, drives, streams, dotted and device names', () => {
    const refusedOnWindows = ['a\\..\\..\\x', '..\\x', 'C:x', 'C:/Windows', 'file.txt:stream', 'a/.../b', 'a/.. /b', 'CON', 'a/nul.txt', 'com1', 'LPT9.log', 'what?.txt', 'a|b', 'tab\there'];
    for (const devicePath of refusedOnWindows) {
      assert.throws(() => splitRelativePath('C:\\out', devicePath, 'win32'), (e: unknown) => isUnsafePathError(e), devicePath);
    }
    assert.deepEqual(splitRelativePath('C:\\out', 'Library/console.log', 'win32'), ['Library', 'console.log']);
    // On POSIX a backslash or a colon is an ordinary file-name character.
    assert.deepEqual(splitRelativePath('/out', 'a\\..\\b:c', 'linux'), ['a\\..\\b:c']);
  });

  it('tells inside from outside without being fooled by name prefixes', () => {
    assert.equal(isInsideFolder('/a/b', '/a/b'), true);
    assert.equal(isInsideFolder('/a/b', '/a/b/c'), true);
    assert.equal(isInsideFolder('/a/b', '/a/b/..c'), true);
    assert.equal(isInsideFolder('/a/b', '/a/bc'), false);
    assert.equal(isInsideFolder('/a/b', '/a'), false);
  });
});
