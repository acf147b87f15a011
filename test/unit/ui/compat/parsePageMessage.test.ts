import * as assert from 'node:assert/strict';
import { KnownBackupFolders } from '../../../../src/ui/compat/knownBackupFolders';
import { parsePageMessage } from '../../../../src/ui/compat/parsePageMessage';

const anyFolder = (): boolean => true;

describe('ui/compat: page messages', () => {
  it('accepts every well-formed message', () => {
    const messages = [
      { type: 'ready' },
      { type: 'refresh' },
      { type: 'browseBackup' },
      { type: 'verifyBackup' },
      { type: 'selectSource', source: { kind: 'device', udid: 'AAA' } },
      { type: 'selectSource', source: { kind: 'backup', dir: '/b' } },
      { type: 'selectSource', source: null },
      { type: 'selectTarget', udid: 'BBB' },
      { type: 'selectTarget', udid: null },
      { type: 'selectMethod', methodId: 'icloud' },
      { type: 'answer', fact: 'target.supervised', value: true },
      { type: 'answer', fact: 'source.iosVersion', value: '16.1' },
      { type: 'answer', fact: 'source.iosVersion', value: null },
    ];
    for (const message of messages) assert.deepEqual(parsePageMessage(message, anyFolder), { ok: true, message });
  });

  it('drops extra fields and rejects anything malformed', () => {
    assert.deepEqual(parsePageMessage({ type: 'ready', extra: 1 }, anyFolder), { ok: true, message: { type: 'ready' } });
    // The page never names the folder to verify: the host verifies the one its restore checks were run for.
    assert.deepEqual(parsePageMessage({ type: 'verifyBackup', dir: '/anywhere' }, anyFolder), { ok: true, message: { type: 'verifyBackup' } });
    for (const bad of [
      null,
      'ready',
      {},
      { type: 'explode' },
      { type: 'selectSource', source: { kind: 'device' } },
      { type: 'selectSource' },
      { type: 'selectTarget', udid: '' },
      { type: 'selectTarget', udid: 5 },
      { type: 'selectMethod' },
      { type: 'answer', fact: 'device.owner', value: true },
      { type: 'answer', fact: 'target.supervised', value: { yes: true } },
      { type: 'answer', fact: 'target.supervised' },
    ]) {
      assert.deepEqual(parsePageMessage(bad, anyFolder), { ok: false, problem: 'malformed' }, JSON.stringify(bad));
    }
  });

  it('accepts as restore source only a listed backup or a folder picked in this session', () => {
    const known = new KnownBackupFolders();
    known.setListed([{ dir: '/home/u/MobileSync/Backup/00008110-AAA' }]);
    known.addPicked('/mnt/share/old-phone');
    const select = (dir: string): unknown => ({ type: 'selectSource', source: { kind: 'backup', dir } });
    const parse = (raw: unknown) => parsePageMessage(raw, (dir) => known.has(dir));

    assert.equal(parse(select('/home/u/MobileSync/Backup/00008110-AAA')).ok, true, 'listed');
    assert.equal(parse(select('/mnt/share/old-phone')).ok, true, 'picked');
    for (const dir of ['/etc', '/home/u', '/home/u/MobileSync/Backup/00008110-AAA/', '/home/u/MobileSync/Backup/x/../00008110-AAA', '/MNT/share/old-phone']) {
      assert.deepEqual(parse(select(dir)), { ok: false, problem: 'unknown-backup-folder' }, dir);
    }
    // Devices and clearing the source name no folder.
    assert.equal(parse({ type: 'selectSource', source: { kind: 'device', udid: 'AAA' } }).ok, true);
    assert.equal(parse({ type: 'selectSource', source: null }).ok, true);

    // A new listing replaces the old one; picked folders stay for the session.
    known.setListed([{ dir: '/home/u/MobileSync/Backup/00008110-BBB' }]);
    assert.equal(parse(select('/home/u/MobileSync/Backup/00008110-AAA')).ok, false, 'no longer listed');
    assert.equal(parse(select('/home/u/MobileSync/Backup/00008110-BBB')).ok, true);
    assert.equal(parse(select('/mnt/share/old-phone')).ok, true);
  });
});
