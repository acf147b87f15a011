import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DevicePathMapper } from '../../../../src/backup/transfer/devicePathMapper';
import { IN_PROGRESS_MARKER } from '../../../../src/backup/format/backupFolder';
import { isUnsafePathError } from '../../../../src/backup/format/formatErrors';

const UDID = '00008110-000A1B2C3D4E801E';

describe('device path mapper', () => {
  let base: string;
  let staging: string;
  beforeEach(async () => {
    base = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'iosbr-map-')));
    staging = path.join(base, `${UDID}.iosbr-staging`);
    await fs.mkdir(staging);
  });
  afterEach(async () => {
    await fs.rm(base, { recursive: true, force: true });
  });

  it('maps <UDID>/… into the staging folder (UDID case-insensitive)', async () => {
    const mapper = new DevicePathMapper(base, UDID, staging);
    assert.deepEqual(await mapper.map(`${UDID}/Snapshot/ab/abcd`), { absolute: path.join(staging, 'Snapshot', 'ab', 'abcd'), isBackupFolder: false, exists: false });
    assert.deepEqual(await mapper.map(`${UDID.toLowerCase()}/Status.plist`), { absolute: path.join(staging, 'Status.plist'), isBackupFolder: false, exists: false });
    assert.deepEqual(await mapper.map(`${UDID}/`), { absolute: staging, isBackupFolder: true });
    assert.deepEqual(await mapper.map(`./${UDID}//a/./b`), { absolute: path.join(staging, 'a', 'b'), isBackupFolder: false, exists: false });
  });

  it('says whether something is at the path, and checks the last component again on every call', async () => {
    const mapper = new DevicePathMapper(base, UDID, staging);
    await fs.mkdir(path.join(staging, 'Snapshot', 'ab'), { recursive: true });
    assert.equal((await mapper.map(`${UDID}/Snapshot/ab/abcd`)).exists, false);
    await fs.writeFile(path.join(staging, 'Snapshot', 'ab', 'abcd'), 'x');
    assert.equal((await mapper.map(`${UDID}/Snapshot/ab/abcd`)).exists, true, 'the folder is remembered, the file is looked at anew');
    // A symlink put where a file was is refused, although its folder was checked before.
    await fs.rm(path.join(staging, 'Snapshot', 'ab', 'abcd'));
    await fs.symlink('/etc', path.join(staging, 'Snapshot', 'ab', 'abcd'));
    await assert.rejects(mapper.map(`${UDID}/Snapshot/ab/abcd/passwd`), /through a symlink/);
    await assert.rejects(mapper.map(`${UDID}/Snapshot/ab/abcd`), /through a symlink/);
  });

  const refused: Array<[string, string, RegExp]> = [
    ['".." inside', `${UDID}/a/../../x`, /contains a "\.\." segment/],
    ['".." at the front', `../${UDID}/x`, /contains a "\.\." segment/],
    ['an absolute path', '/etc/passwd', /is absolute/],
    ['a NUL byte', `${UDID}/a\0b`, /NUL byte/],
    ['another device', 'FFFF/x', /outside the backup folder of/],
    ['the root', 'Status.plist', /outside the backup folder of/],
    ['an empty path', '', /outside the backup folder of/],
  ];
  for (const [what, devicePath, pattern] of refused) {
    it(`refuses ${what}`, async () => {
      await assert.rejects(new DevicePathMapper(base, UDID, staging).map(devicePath), (e) => isUnsafePathError(e) && pattern.test(e.message));
    });
  }

  it('refuses Windows separator and drive tricks under Windows rules', async () => {
    const mapper = new DevicePathMapper(base, UDID, staging, 'win32');
    await assert.rejects(mapper.map(`${UDID}\\..\\..\\x`), (e) => isUnsafePathError(e) && /backslash/.test(e.message));
    await assert.rejects(mapper.map(`${UDID}/C:x`), (e) => isUnsafePathError(e) && /colon/.test(e.message));
  });

  it('refuses a path that leaves through a symlink, and a dangling symlink', async () => {
    const outside = path.join(base, 'outside');
    await fs.mkdir(outside);
    await fs.symlink(outside, path.join(staging, 'escape'));
    await fs.symlink(path.join(base, 'nowhere'), path.join(staging, 'dangling'));
    const mapper = new DevicePathMapper(base, UDID, staging);
    await assert.rejects(mapper.map(`${UDID}/escape/file`), (e) => isUnsafePathError(e) && /through a symlink/.test(e.message));
    await assert.rejects(mapper.map(`${UDID}/dangling/file`), (e) => isUnsafePathError(e) && /through a symlink/.test(e.message));
  });

  it('refuses a symlink that stays inside the folder too, on the way or at the end', async () => {
    await fs.mkdir(path.join(staging, 'd1', 'd2', 'd3'), { recursive: true });
    await fs.symlink('../../..', path.join(staging, 'd1', 'd2', 'd3', 'lnk'));
    const mapper = new DevicePathMapper(base, UDID, staging);
    await assert.rejects(mapper.map(`${UDID}/d1/d2/d3/lnk`), (e) => isUnsafePathError(e) && /through a symlink/.test(e.message));
    await assert.rejects(mapper.map(`${UDID}/d1/d2/d3/lnk/d1`), (e) => isUnsafePathError(e) && /through a symlink/.test(e.message));
    await assert.rejects(mapper.mapNewFile(`${UDID}/d1/d2/d3/lnk/new`), (e) => isUnsafePathError(e) && /through a symlink/.test(e.message));
  });

  it('checks remembered folders again once it is told the tree changed (a folder swapped for a symlink)', async () => {
    const outside = path.join(base, 'outside');
    await fs.mkdir(outside);
    await fs.mkdir(path.join(staging, 'b', 'victim'), { recursive: true });
    const mapper = new DevicePathMapper(base, UDID, staging);
    assert.equal((await mapper.map(`${UDID}/b/victim/x`)).absolute, path.join(staging, 'b', 'victim', 'x'));
    assert.equal((await mapper.mapNewFile(`${UDID}/b/victim/y`)).absolute, path.join(staging, 'b', 'victim', 'y'));
    // What a move of a symlink over "b" does to the tree.
    await fs.rm(path.join(staging, 'b'), { recursive: true });
    await fs.symlink(base, path.join(staging, 'b'));
    await fs.mkdir(path.join(base, 'victim'));
    mapper.forgetVerifiedFolders();
    await assert.rejects(mapper.map(`${UDID}/b/victim/outside.txt`), (e) => isUnsafePathError(e) && /through a symlink/.test(e.message));
    await assert.rejects(mapper.mapNewFile(`${UDID}/b/victim/outside.txt`), (e) => isUnsafePathError(e) && /through a symlink/.test(e.message));
    assert.deepEqual(await fs.readdir(outside), []);
  });

  it('refuses our in-progress marker as the path or a folder on it, in any case', async () => {
    const mapper = new DevicePathMapper(base, UDID, staging);
    for (const devicePath of [`${UDID}/${IN_PROGRESS_MARKER}`, `${UDID}/${IN_PROGRESS_MARKER.toUpperCase()}`, `${UDID}/a/${IN_PROGRESS_MARKER}/b`]) {
      await assert.rejects(mapper.map(devicePath), (e) => isUnsafePathError(e) && /reserved/.test(e.message), devicePath);
      await assert.rejects(mapper.mapNewFile(devicePath), (e) => isUnsafePathError(e) && /reserved/.test(e.message), devicePath);
    }
    assert.equal((await mapper.map(`${UDID}/${IN_PROGRESS_MARKER}.plist`)).isBackupFolder, false, 'a longer name is fine');
  });

  it('refuses a path longer than any backup path, without walking it', async () => {
    const mapper = new DevicePathMapper(base, UDID, staging);
    await assert.rejects(mapper.map(`${UDID}/${'a/'.repeat(100_000)}x`), (e) => isUnsafePathError(e) && /characters/.test(e.message));
  });
});
