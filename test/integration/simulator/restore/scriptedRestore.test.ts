import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { encodeInfoPlist } from '../../../../src/backup/format/infoPlist';
import { encodeStatusPlist } from '../../../../src/backup/format/statusPlist';
import { DeviceSession } from '../../../../src/lockdown/deviceSession';
import { buildXmlPlist, getInteger, getString } from '../../../../src/plist';
import { NotificationProxyService } from '../../../../src/services/notificationProxy';
import { domainValues } from '../../../../src/simulator/deviceValues';
import { PASSCODE_PROMPT_NOTIFICATION } from '../../../../src/simulator/backup/passcodePrompt';
import { SIMULATOR_DOMAIN } from '../../../../src/simulator/restore/restoredDeviceState';
import { CLOUD_CONFIGURATION_ITEM } from '../../../../src/simulator/restore/cloudConfiguration';
import { parseScenario } from '../../../../src/simulator/scenario';
import type { VirtualDevice } from '../../../../src/simulator/virtualDevice';
import { UsbmuxClient } from '../../../../src/usbmux/usbmuxClient';
import { FILES, PASSWORD, writeEncryptedBackup } from '../../../builders/encryptedBackupBuilder';
import { startSimulator, type SimulatorHarness } from '../../../helpers/simulatorHarness';
import { TEST_UDID } from '../../../builders/testBackupBuilder';
import { openMobileBackup2, runScriptedBackup } from '../../../helpers/scriptedBackupHost';
import { writeDeviceBackupFolder } from '../../../builders/deviceBackupFolder';
import { runScriptedRestore, type ScriptedRestoreBehaviour, type ScriptedRestoreRecord } from './scriptedRestoreHost';

const SOURCE = '00008110-000A1B2C3D4E801E';
const TARGET = '00008120-001C2D3E4F5A602E';
const PASSCODE = '00008120-00110000000A602E';
const LOCKED = '00008120-00120000000A602E';
const DROPPING = '00008120-00130000000A602E';
const HOSTILE = '00008120-00140000000A602E';
const PARTIAL = '00008120-00150000000A602E';
const SAME = '00008120-00160000000A602E';
const MANAGED = '00008120-00170000000A602E';
const ENCRYPTED = '00008120-00180000000A602E';
const RESTARTING = '00008120-00190000000A602E';

const QUICK_RESTART = { afterRestoreDelayMs: 100, downMs: 100 };
const target = (udid: string, name: string, extra: object = {}) => ({
  udid, name, productVersion: '17.2', dataset: { files: 12, totalBytes: 60_000, seed: 7 }, restart: QUICK_RESTART, ...extra,
});

/** The device's content as `domain/path` → SHA-256 of a file's bytes ("dir" for folders). */
function contentMap(device: VirtualDevice): Map<string, string> {
  const content = device.currentContent();
  const out = new Map<string, string>();
  for (const entry of content.entries) {
    if (entry.kind !== 'file') {
      out.set(`${entry.domain}/${entry.relativePath}`, 'dir');
      continue;
    }
    const hash = createHash('sha256');
    for (const chunk of content.content(entry)) hash.update(chunk);
    out.set(`${entry.domain}/${entry.relativePath}`, hash.digest('hex'));
  }
  return out;
}

function simulatorValue(device: VirtualDevice, key: string): unknown {
  return domainValues(device, SIMULATOR_DOMAIN)?.[key];
}

const errorCode = (record: ScriptedRestoreRecord): number | undefined => (record.result ? getInteger(record.result, 'ErrorCode') : undefined);

/** The simulated device's Restore request handling, driven by a scripted host over a real DeviceLink connection. */
describe('simulated device restore, scripted host', function () {
  this.timeout(120_000);
  let h: SimulatorHarness;
  let root: string;
  const device = (udid: string): VirtualDevice => h.simulator.device(udid)!;

  async function restore(udid: string, source: string, options: object, behaviour: ScriptedRestoreBehaviour = {}, backupRoot = root): Promise<ScriptedRestoreRecord> {
    const mb = await openMobileBackup2(h, udid);
    try {
      return await runScriptedRestore(mb.connection, backupRoot, { target: udid, source, options: options as never }, behaviour);
    } finally {
      await mb.close();
    }
  }

  /** Restarts the device through the simulator's control path and waits until it is back. */
  async function reboot(udid: string): Promise<void> {
    assert.ok(h.simulator.control('reboot', udid));
    for (let i = 0; i < 100 && !h.simulator.attached().some((d) => d.udid === udid); i++) await new Promise((r) => setTimeout(r, 20));
  }

  before(async () => {
    h = await startSimulator(
      parseScenario({
        devices: [
          { udid: SOURCE, name: 'Source iPhone', productVersion: '16.1', dataset: { files: 40, totalBytes: 400_000, seed: 31 } },
          target(TARGET, 'Target iPhone'),
          target(PASSCODE, 'Passcode iPhone', { passcode: { set: true, enteredAfterMs: 300 } }),
          target(LOCKED, 'Locked iPhone', { passcode: { set: true, enteredAfterMs: null, timeoutMs: 700 } }),
          target(DROPPING, 'Loose Cable iPhone', { faults: { disconnectDuringRestoreAfterFiles: 5 } }),
          target(HOSTILE, 'Hostile Host iPhone'),
          target(PARTIAL, 'Partial iPhone', { dataset: { files: 30, totalBytes: 90_000, seed: 8 } }),
          target(SAME, 'Same iPhone', { supervised: false, mdm: 'none' }),
          target(MANAGED, 'Managed iPhone', { supervised: false, mdm: 'enrolled' }),
          target(ENCRYPTED, 'Encrypted Target'),
          target(RESTARTING, 'Restarting iPhone'),
        ],
      }),
    );
    root = mkdtempSync(path.join(os.tmpdir(), 'iosbr-restore-'));
    await writeDeviceBackupFolder(root, device(SOURCE));
  });
  after(async () => {
    if (h) await h.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('asks for the metadata, then the files in one batch, stages them and holds the backup after the restart', async () => {
    const before = simulatorValue(device(TARGET), 'DatasetDigest');
    const record = await restore(TARGET, SOURCE, { RestoreSystemFiles: true, RestorePreserveSettings: false, RestoreShouldReboot: false });
    assert.equal(errorCode(record), 0, JSON.stringify(record.result));
    assert.deepEqual(record.messages, ['DLMessageDownloadFiles', 'DLMessageDownloadFiles', 'DLMessageProcessMessage']);
    assert.deepEqual(record.downloads[0], ['Status.plist', 'Manifest.plist', 'Manifest.db', 'Info.plist'].map((f) => `${SOURCE}/${f}`));
    assert.equal(record.downloads[1].length, 40);
    assert.ok(record.downloads[1].every((p) => new RegExp(`^${SOURCE}/[0-9a-f]{2}/[0-9a-f]{40}$`).test(p)));

    // Without a restart the files wait in the staging folder (/var/.backup.i).
    assert.equal(simulatorValue(device(TARGET), 'DatasetDigest'), before);
    assert.equal(simulatorValue(device(TARGET), 'RestorePendingReboot'), true);
    await reboot(TARGET);
    assert.equal(simulatorValue(device(TARGET), 'RestorePendingReboot'), false);
    assert.equal(simulatorValue(device(TARGET), 'ContentSource'), 'restored');
    assert.equal(simulatorValue(device(TARGET), 'DatasetDigest'), simulatorValue(device(SOURCE), 'DatasetDigest'));
    assert.deepEqual(contentMap(device(TARGET)), contentMap(device(SOURCE)));
    assert.equal(device(TARGET).spec.name, 'Source iPhone', 'the name comes with the settings');
  });

  it('a backup of the restored device holds the restored files', async () => {
    const mb = await openMobileBackup2(h, TARGET);
    try {
      const backup = await runScriptedBackup(mb.connection, TARGET, { forceFull: true });
      assert.equal(getInteger(backup.result!, 'ErrorCode'), 0);
      const hashed = backup.uploads.filter((u) => /\/Snapshot\/[0-9a-f]{2}\/[0-9a-f]{40}$/.test(u.path));
      assert.equal(hashed.length, 40);
      assert.equal(hashed.reduce((s, u) => s + u.bytes, 0), 400_000);
    } finally {
      await mb.close();
    }
  });

  it('restarts by itself after a restore that asks for it: usbmux Listen sees Detached, then Attached, and the files are in place', async () => {
    const events: string[] = [];
    const deviceId = device(RESTARTING).deviceId;
    const watch = await new UsbmuxClient(h.simulator.address).watch({
      onAttached: (d) => d.deviceId === deviceId && events.push('Attached'),
      onDetached: (id) => id === deviceId && events.push('Detached'),
    });
    try {
      await new Promise((r) => setTimeout(r, 100));
      events.length = 0;
      const record = await restore(RESTARTING, SOURCE, { RestoreSystemFiles: true, RestorePreserveSettings: false });
      assert.equal(errorCode(record), 0, JSON.stringify(record.result));
      for (let i = 0; i < 100 && events.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(events, ['Detached', 'Attached']);
      assert.equal(simulatorValue(device(RESTARTING), 'DatasetDigest'), simulatorValue(device(SOURCE), 'DatasetDigest'));
      assert.match(device(RESTARTING).log.recentLines().join('\n'), /Restarting in 0\.1s to move the restored files into place/);
    } finally {
      watch.dispose();
    }
  });

  it('shows the passcode prompt (LocalAuthentication presented, dismissed) and goes on once the passcode is typed', async () => {
    const session = await DeviceSession.open(new UsbmuxClient(h.simulator.address), PASSCODE);
    const seen: string[] = [];
    const proxy = new NotificationProxyService(session);
    await proxy.connect((name) => seen.push(name));
    proxy.observe(PASSCODE_PROMPT_NOTIFICATION.presented);
    proxy.observe(PASSCODE_PROMPT_NOTIFICATION.dismissed);
    await new Promise((r) => setTimeout(r, 100));
    try {
      const started = Date.now();
      const record = await restore(PASSCODE, SOURCE, { RestoreSystemFiles: true, RestoreShouldReboot: false });
      assert.equal(errorCode(record), 0, JSON.stringify(record.result));
      assert.ok(Date.now() - started >= 300, 'nothing happens before the passcode is typed');
      for (let i = 0; i < 50 && seen.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(seen, [PASSCODE_PROMPT_NOTIFICATION.presented, PASSCODE_PROMPT_NOTIFICATION.dismissed]);
    } finally {
      await proxy.close();
      await session.close();
    }
  });

  it('208 "Device locked" when nobody types the passcode before the timeout; nothing is downloaded', async () => {
    const before = simulatorValue(device(LOCKED), 'DatasetDigest');
    const record = await restore(LOCKED, SOURCE, { RestoreSystemFiles: true });
    assert.equal(errorCode(record), 208);
    assert.equal(getString(record.result!, 'ErrorDescription'), 'Device locked (MBErrorDomain/208)');
    assert.deepEqual(record.messages, ['DLMessageProcessMessage']);
    assert.equal(simulatorValue(device(LOCKED), 'DatasetDigest'), before);
    const log = device(LOCKED).log.recentLines().join('\n');
    assert.match(log, /Presenting the passcode prompt for "Restore from Computer"/);
    assert.match(log, /Timed out after 0\.7s waiting for the passcode/);
  });

  it('a backup of an iOS 16.1+ device with a passcode waits for it too (208 when nobody types it)', async () => {
    const mb = await openMobileBackup2(h, LOCKED);
    try {
      const backup = await runScriptedBackup(mb.connection, LOCKED);
      assert.equal(getInteger(backup.result!, 'ErrorCode'), 208);
      assert.deepEqual(backup.messages, ['DLMessageProcessMessage']);
    } finally {
      await mb.close();
    }
  });

  it('disconnectDuringRestoreAfterFiles: the link drops midway, the device is unchanged, and the retry completes', async () => {
    const d = device(DROPPING);
    const before = simulatorValue(d, 'DatasetDigest');
    const first = await restore(DROPPING, SOURCE, { RestoreSystemFiles: true, RestorePreserveSettings: false });
    assert.equal(first.dropped, true);
    assert.equal(first.result, undefined);
    assert.equal(simulatorValue(d, 'DatasetDigest'), before);
    assert.equal(simulatorValue(d, 'RestorePendingReboot'), false);
    assert.deepEqual(readdirSync(d.restored.root).filter((n) => n.startsWith('staging-')), [], 'the staging folder is discarded');
    assert.match(d.log.recentLines().join('\n'), /interrupted after 5 files/);

    const retry = await restore(DROPPING, SOURCE, { RestoreSystemFiles: true, RestorePreserveSettings: false, RestoreShouldReboot: false });
    assert.equal(errorCode(retry), 0, JSON.stringify(retry.result));
    await reboot(DROPPING);
    assert.equal(simulatorValue(d, 'DatasetDigest'), simulatorValue(device(SOURCE), 'DatasetDigest'));
  });

  it('a host that sends a file the device did not ask for is cut off, and the device stays unchanged', async () => {
    const d = device(HOSTILE);
    const before = simulatorValue(d, 'DatasetDigest');
    const record = await restore(HOSTILE, SOURCE, { RestoreSystemFiles: true }, { unrequestedFile: { path: `${SOURCE}/../../outside`, bytes: Buffer.from('evil') } });
    assert.equal(record.dropped, true);
    assert.equal(simulatorValue(d, 'DatasetDigest'), before);
    assert.equal(existsSync(path.join(d.restored.root, '..', '..', 'outside')), false);
    assert.deepEqual(readdirSync(d.restored.root).filter((n) => n.startsWith('staging-')), []);
  });

  it('a file longer than its Manifest.db size (beyond the slack) is refused: 205, device unchanged', async () => {
    const d = device(HOSTILE);
    const before = simulatorValue(d, 'DatasetDigest');
    const victim = device(SOURCE).currentContent().files()[0];
    const record = await restore(HOSTILE, SOURCE, { RestoreSystemFiles: true }, { padFile: { endsWith: victim.fileID, bytes: 200_000 } });
    assert.equal(errorCode(record), 205);
    assert.match(getString(record.result!, 'ErrorDescription') ?? '', /^Multiple errors downloading files \(MBErrorDomain\/205\)/);
    assert.equal(simulatorValue(d, 'DatasetDigest'), before);
    assert.match(d.log.recentLines().join('\n'), new RegExp(`Failed to download ${SOURCE}/${victim.fileID.slice(0, 2)}/${victim.fileID}: the host sent \\d+ bytes, more than`));
  });

  it('without RestoreSystemFiles and with RestorePreserveSettings the device keeps its system files, settings and name; RemoveItemsNotRestored drops them', async () => {
    const d = device(PARTIAL);
    const original = contentMap(d);
    const source = contentMap(device(SOURCE));
    const isSystemOrSetting = (key: string) => /^(KeychainDomain|RootDomain|WirelessDomain|SystemPreferencesDomain)\//.test(key) || key.startsWith('HomeDomain/Library/Preferences/');
    const record = await restore(PARTIAL, SOURCE, { RestoreSystemFiles: false, RestorePreserveSettings: true, RestoreShouldReboot: false });
    assert.equal(errorCode(record), 0, JSON.stringify(record.result));
    await reboot(PARTIAL);
    const after = contentMap(d);
    for (const [key, sha] of original) if (isSystemOrSetting(key) && sha !== 'dir') assert.equal(after.get(key), sha, `${key} is kept`);
    for (const [key, sha] of source) if (!isSystemOrSetting(key) && sha !== 'dir') assert.equal(after.get(key), sha, `${key} is restored`);
    for (const [key, sha] of source) if (isSystemOrSetting(key) && sha !== 'dir' && !original.has(key)) assert.equal(after.has(key), false, `${key} is not restored`);
    assert.equal(d.spec.name, 'Partial iPhone');

    const dropping = await restore(PARTIAL, SOURCE, { RestoreSystemFiles: false, RestorePreserveSettings: true, RemoveItemsNotRestored: true, RestoreShouldReboot: false });
    assert.equal(errorCode(dropping), 0, JSON.stringify(dropping.result));
    await reboot(PARTIAL);
    const dropped = contentMap(d);
    assert.deepEqual([...dropped].filter(([key, sha]) => sha !== 'dir' && isSystemOrSetting(key)), []);
  });

  it("the MDM vendor's rules: the backup's cloud configuration returns on the same device (it becomes supervised and enrolled); another device's does not", async () => {
    const cloud = {
      domain: CLOUD_CONFIGURATION_ITEM.domain,
      relativePath: CLOUD_CONFIGURATION_ITEM.relativePath,
      bytes: Buffer.from(buildXmlPlist({ IsSupervised: true, ConfigurationURL: 'https://mdm.example.invalid/enroll', OrganizationName: 'Example Corp', CloudConfigurationUIComplete: true }), 'utf8'),
    };
    const sameRoot = mkdtempSync(path.join(os.tmpdir(), 'iosbr-restore-same-'));
    try {
      await writeDeviceBackupFolder(sameRoot, device(SAME), { extraFiles: [cloud] });
      const record = await restore(SAME, SAME, { RestoreSystemFiles: true, RestorePreserveSettings: false, RestoreShouldReboot: false }, {}, sameRoot);
      assert.equal(errorCode(record), 0, JSON.stringify(record.result));
      assert.equal(device(SAME).spec.supervised, false, 'nothing changes before the restart');
      await reboot(SAME);
      assert.equal(device(SAME).spec.supervised, true);
      assert.equal(device(SAME).spec.mdm, 'enrolled');
      assert.equal(domainValues(device(SAME), 'com.apple.mobile.chaperone')?.DeviceIsChaperoned, true);

      // The same backup (of SAME, supervised) onto another device that is unsupervised but enrolled: MDM is lost (kitting needed).
      const other = await restore(MANAGED, SAME, { RestoreSystemFiles: true, RestorePreserveSettings: false, RestoreShouldReboot: false }, {}, sameRoot);
      assert.equal(errorCode(other), 0, JSON.stringify(other.result));
      await reboot(MANAGED);
      assert.equal(device(MANAGED).spec.supervised, false);
      assert.equal(device(MANAGED).spec.mdm, 'none');
    } finally {
      rmSync(sameRoot, { recursive: true, force: true });
    }
  });

  it('decrypts an encrypted backup with the right password (207 with a wrong one) and holds the plain files', async () => {
    const encRoot = mkdtempSync(path.join(os.tmpdir(), 'iosbr-restore-enc-'));
    try {
      const dir = await writeEncryptedBackup(encRoot);
      writeFileSync(path.join(dir, 'Status.plist'), encodeStatusPlist({ snapshotState: 'finished', uuid: 'E6D1C9A2-0000-4000-8000-000000000001', version: '3.3', date: new Date(), isFullBackup: true, backupState: 'new' }));
      writeFileSync(path.join(dir, 'Info.plist'), encodeInfoPlist({ deviceName: 'Encrypted Source', productVersion: '16.1' }));
      const wrong = await restore(ENCRYPTED, TEST_UDID, { RestoreSystemFiles: true, Password: 'not it' }, {}, encRoot);
      assert.equal(errorCode(wrong), 207);
      assert.match(getString(wrong.result!, 'ErrorDescription') ?? '', /Invalid password when restoring encrypted backup \(MBErrorDomain\/207\)/);
      assert.match(device(ENCRYPTED).log.recentLines().join('\n'), /MKBKeyBagUnlock error \(-3\)/);
      assert.ok(!device(ENCRYPTED).log.recentLines().join('\n').includes('not it'), 'the password is never logged');

      const right = await restore(ENCRYPTED, TEST_UDID, { RestoreSystemFiles: true, RestorePreserveSettings: false, RestoreShouldReboot: false, Password: PASSWORD }, {}, encRoot);
      assert.equal(errorCode(right), 0, JSON.stringify(right.result));
      await reboot(ENCRYPTED);
      const after = contentMap(device(ENCRYPTED));
      for (const f of FILES) assert.equal(after.get(`${f.domain}/${f.relativePath}`), createHash('sha256').update(f.content).digest('hex'), `${f.domain}/${f.relativePath}`);
    } finally {
      rmSync(encRoot, { recursive: true, force: true });
    }
  });
});
