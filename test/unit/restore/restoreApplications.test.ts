import assert from 'node:assert/strict';
import {
  encodeRestoreApplications,
  removeRestoreApplications,
  RESTORE_APPLICATIONS_DIR,
  RESTORE_APPLICATIONS_FILE,
  restoreApplicationEntries,
  writeRestoreApplications,
} from '../../../src/restore/restoreApplications';
import { AfcError } from '../../../src/common/errors';
import { isPlistDict, parsePlist } from '../../../src/plist';
import type { AfcService } from '../../../src/services/afc';

/** An AFC client that records what it was asked to do; the given paths fail with the given status. */
function fakeAfc(failures: Record<string, number> = {}) {
  const calls: string[] = [];
  const files = new Map<string, Buffer>();
  const fail = (op: string, path: string) => {
    if (failures[`${op} ${path}`] !== undefined) throw new AfcError(`refused ${path}`, failures[`${op} ${path}`], path);
  };
  const afc = {
    async makeDirectory(path: string) {
      calls.push(`mkdir ${path}`);
      fail('mkdir', path);
    },
    async writeFile(path: string, bytes: Buffer) {
      calls.push(`write ${path}`);
      fail('write', path);
      files.set(path, bytes);
    },
    async removePath(path: string) {
      calls.push(`remove ${path}`);
      fail('remove', path);
    },
  };
  return { afc: afc as unknown as AfcService, calls, files };
}

const APPS = {
  'com.example.notes': { ApplicationSINF: Buffer.from('sinf'), iTunesMetadata: Buffer.from('meta'), PlaceholderIcon: Buffer.from('png') },
  'com.example.maps': { ApplicationSINF: Buffer.from('sinf2'), iTunesMetadata: Buffer.from('meta2') },
};

describe('RestoreApplications.plist', () => {
  it('is built from Info.plist Applications as XML, leaving out malformed entries', () => {
    const entries = restoreApplicationEntries({ ...APPS, 'bad.entry': 'not a dict', '': {} });
    assert.deepEqual(Object.keys(entries).sort(), ['com.example.maps', 'com.example.notes']);
    const bytes = encodeRestoreApplications(entries);
    assert.match(bytes.toString('utf8'), /^<\?xml/);
    const parsed = parsePlist(bytes);
    assert.ok(isPlistDict(parsed));
    assert.deepEqual(parsed['com.example.notes'], APPS['com.example.notes']);
  });

  it('is empty without applications', () => {
    assert.deepEqual(restoreApplicationEntries(undefined), {});
    assert.deepEqual(restoreApplicationEntries({}), {});
  });

  it('is written to /iTunesRestore after creating the folder; an existing folder is fine', async () => {
    const { afc, calls, files } = fakeAfc({ [`mkdir ${RESTORE_APPLICATIONS_DIR}`]: 16 });
    await writeRestoreApplications(afc, Buffer.from('<plist/>'));
    assert.deepEqual(calls, [`mkdir ${RESTORE_APPLICATIONS_DIR}`, `write ${RESTORE_APPLICATIONS_FILE}`]);
    assert.equal(files.get(RESTORE_APPLICATIONS_FILE)?.toString(), '<plist/>');
  });

  it('a connection error while creating the folder is reported (AFC error 30)', async () => {
    const { afc } = fakeAfc({ [`mkdir ${RESTORE_APPLICATIONS_DIR}`]: 30 });
    await assert.rejects(writeRestoreApplications(afc, Buffer.from('x')), (e) => e instanceof AfcError && e.status === 30);
  });

  it('is removed again (file, then folder) after a failed restore, never throwing', async () => {
    const { afc, calls } = fakeAfc({ [`remove ${RESTORE_APPLICATIONS_DIR}`]: 33 });
    await removeRestoreApplications(afc);
    assert.deepEqual(calls, [`remove ${RESTORE_APPLICATIONS_FILE}`, `remove ${RESTORE_APPLICATIONS_DIR}`]);
  });
});
