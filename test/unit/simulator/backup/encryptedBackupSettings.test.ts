import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadBackupEncryptionSettings, saveBackupEncryptionSettings } from '../../../../src/simulator/backup/encryptedBackupSettings';
import { parseScenario, type SimulatedDeviceSpec } from '../../../../src/simulator/scenario';

const UDID = '00008110-000A1B2C3D4E801E';
const spec = (fields: Record<string, unknown> = {}): SimulatedDeviceSpec => parseScenario({ devices: [{ udid: UDID, ...fields }] }).devices[0];

describe('simulated device: backup encryption state in the state dir', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'iosbr-encstate-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('starts from the scenario without a record', () => {
    assert.deepEqual(loadBackupEncryptionSettings(dir, spec({ backupPassword: 'pw-a', resetAllSettingsQuirk: true })), {
      backupPassword: 'pw-a',
      resetAllSettingsQuirkArmed: true,
      keybag: undefined,
    });
  });

  it('keeps what the device changed, readable by its user only', () => {
    const device = spec({ resetAllSettingsQuirk: true });
    saveBackupEncryptionSettings(dir, device, { backupPassword: 'pw-b', resetAllSettingsQuirkArmed: false, keybag: Buffer.from([1, 2, 3]) });
    assert.deepEqual(loadBackupEncryptionSettings(dir, device), { backupPassword: 'pw-b', resetAllSettingsQuirkArmed: false, keybag: Buffer.from([1, 2, 3]) });
    const file = path.join(dir, 'devices', UDID, 'backup-encryption.json');
    assert.equal(statSync(file).mode & 0o077, 0);
    saveBackupEncryptionSettings(dir, device, { backupPassword: null, resetAllSettingsQuirkArmed: false, keybag: Buffer.from([1]) });
    assert.deepEqual(loadBackupEncryptionSettings(dir, device), { backupPassword: null, resetAllSettingsQuirkArmed: false, keybag: undefined }, 'no keybag without a password');
    assert.ok(!readFileSync(file, 'utf8').includes('keybag'));
  });

  it('an edited scenario (other password or quirk) wins over the record', () => {
    saveBackupEncryptionSettings(dir, spec({ backupPassword: 'pw-a' }), { backupPassword: 'pw-b', resetAllSettingsQuirkArmed: false, keybag: undefined });
    assert.equal(loadBackupEncryptionSettings(dir, spec({ backupPassword: 'pw-c' })).backupPassword, 'pw-c');
    assert.equal(loadBackupEncryptionSettings(dir, spec({ backupPassword: 'pw-a', resetAllSettingsQuirk: true })).resetAllSettingsQuirkArmed, true);
    assert.equal(loadBackupEncryptionSettings(dir, spec({ backupPassword: 'pw-a' })).backupPassword, 'pw-b');
  });

  it('a damaged record counts as none', () => {
    const file = path.join(dir, 'devices', UDID, 'backup-encryption.json');
    mkdirSync(path.dirname(file), { recursive: true });
    for (const text of ['{not json', 'null', '{"backupPassword": 5}', JSON.stringify({ scenario: 'x', backupPassword: 'pw', resetAllSettingsQuirkArmed: false })]) {
      writeFileSync(file, text);
      assert.equal(loadBackupEncryptionSettings(dir, spec({ backupPassword: 'pw-a' })).backupPassword, 'pw-a', text);
    }
  });
});

describe('scenario: keybagIterations', () => {
  it('defaults to the real iteration counts', () => {
    assert.deepEqual(spec().keybagIterations, { sha256: 10_000_000, sha1: 10_000 });
  });

  it('takes lower counts for tests and names a bad field exactly', () => {
    assert.deepEqual(spec({ keybagIterations: { sha256: 1000, sha1: 10 } }).keybagIterations, { sha256: 1000, sha1: 10 });
    assert.deepEqual(spec({ keybagIterations: { sha1: 5 } }).keybagIterations, { sha256: 10_000_000, sha1: 5 });
    assert.throws(() => spec({ keybagIterations: { sha256: 0 } }), /devices\[0\]\.keybagIterations\.sha256 must be a whole number from 1/);
    assert.throws(() => spec({ keybagIterations: { sha1: 1.5 } }), /keybagIterations\.sha1/);
    assert.throws(() => spec({ keybagIterations: 7 }), /devices\[0\]\.keybagIterations must be an object/);
  });
});
