import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { domainValues } from '../../../../src/simulator/deviceValues';
import { SIMULATOR_DOMAIN } from '../../../../src/simulator/restore/restoredDeviceState';
import { parseScenario, type Scenario } from '../../../../src/simulator/scenario';
import { run, skipWithoutTools, startSimulator, type RunResult, type SimulatorHarness } from '../../../helpers/simulatorHarness';

const SOURCE = '00008110-000A1B2C3D4E801E';
const TARGET = '00008120-001C2D3E4F5A602E';
const NO_REBOOT = '00008120-00210000000B602E';
const FIND_MY = '00008120-00220000000B602E';
const LOW_SPACE = '00008120-00230000000B602E';
const OLD_IOS = '00008030-00240000000B602E';
const INCOMPLETE = '00008120-00250000000B602E';
const LOCKED = '00008120-00260000000B602E';
const LEFTOVER = '00008120-00270000000B602E';
const SUPERVISED = '00008110-00280000000B602E';
const ENCRYPTED_SOURCE = '00008110-00290000000B602E';
const ENCRYPTED_TARGET = '00008120-002A0000000B602E';

const QUICK_RESTART = { afterRestoreDelayMs: 300, downMs: 300 };
const SOURCE_DATASET = { files: 60, totalBytes: 600_000, seed: 41 };

/** The devices; `erased` is the later scenario in which the supervised device was erased and set up unsupervised. */
function scenario(erased: boolean): Scenario {
  const target = (udid: string, name: string, extra: object = {}) => ({ udid, name, productVersion: '17.2', dataset: { files: 15, totalBytes: 50_000, seed: 42 }, restart: QUICK_RESTART, ...extra });
  return parseScenario({
    devices: [
      { udid: SOURCE, name: 'Support iPhone', productVersion: '16.1', dataset: SOURCE_DATASET },
      target(TARGET, 'Replacement iPhone'),
      target(NO_REBOOT, 'No Reboot iPhone'),
      target(FIND_MY, 'Find My iPhone', { findMy: true }),
      target(LOW_SPACE, 'Full iPhone', { freeSpaceBytes: 100_000 }),
      target(OLD_IOS, 'Old iPhone', { productVersion: '15.7', buildVersion: '19H12' }),
      target(INCOMPLETE, 'Incomplete Backup iPhone'),
      target(LOCKED, 'Locked iPhone', { passcode: { set: true, enteredAfterMs: null, timeoutMs: 1500 } }),
      target(LEFTOVER, 'Leftover iPhone', { faults: { pendingRebootAfterRestore: true } }),
      {
        udid: SUPERVISED, name: 'Kiosk iPhone', productVersion: '16.1', supervised: !erased, mdm: erased ? 'none' : 'enrolled',
        dataset: { files: 20, totalBytes: 100_000, seed: 43 }, restart: QUICK_RESTART,
      },
      { udid: ENCRYPTED_SOURCE, name: 'Encrypted iPhone', productVersion: '16.1', backupPassword: 'secret', keybagIterations: { sha256: 1000, sha1: 10 }, dataset: { files: 25, totalBytes: 250_000, seed: 44 } },
      target(ENCRYPTED_TARGET, 'Encrypted Target'),
    ],
  });
}

/** idevicebackup2's exit status for a device ErrorCode (it returns -code). */
const exitFor = (code: number): number => 256 - code;

/** Debian's idevicebackup2 (libimobiledevice 1.3.0) restoring backups onto the simulated devices: the device side of Restore end to end. */
describe('idevicebackup2 restore against the simulated device', function () {
  // lid 1.3.0 sometimes waits 30 s for a TLS close_notify after StopSession (several sessions per run).
  this.timeout(600_000);
  let h: SimulatorHarness;
  let root: string;

  const device = (udid: string) => h.simulator.device(udid)!;
  const simulatorValue = (udid: string, key: string) => domainValues(device(udid), SIMULATOR_DOMAIN)?.[key];
  const lid = (args: string[]): Promise<RunResult> => run('idevicebackup2', args, h.env, { timeoutMs: 300_000 });
  const info = async (udid: string, domain: string | undefined, key: string): Promise<string> => {
    const r = await run('ideviceinfo', ['-u', udid, ...(domain ? ['-q', domain] : []), '-k', key], h.env, { timeoutMs: 120_000 });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    return r.stdout.trim();
  };
  /** Waits until the device came back from its restart (the staged restore is in place and it is attached again). */
  const waitForRestart = async (udid: string): Promise<void> => {
    for (let i = 0; i < 200; i++) {
      if (simulatorValue(udid, 'RestorePendingReboot') === false && h.simulator.attached().some((d) => d.udid === udid)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.fail(`${udid} did not come back from its restart`);
  };
  const restore = (udid: string, source: string, extra: string[] = [], backupRoot = root) => lid(['-u', udid, '-s', source, 'restore', '--system', '--settings', ...extra, backupRoot]);
  const assertFailed = (r: RunResult, code: number, description: RegExp) => {
    assert.equal(r.code, exitFor(code), r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`ErrorCode ${code}: `));
    assert.match(r.stdout, description);
    assert.match(r.stdout, new RegExp(`Restore Failed \\(Error Code ${code}\\)`));
  };
  const logOf = (udid: string) => device(udid).log.recentLines().join('\n');

  before(async function () {
    // Only a missing tool skips: everything else about the restore must work.
    skipWithoutTools(this, 'idevicebackup2', 'ideviceinfo');
    h = await startSimulator(scenario(false));
    root = mkdtempSync(path.join(os.tmpdir(), 'iosbr-lid-restore-'));
    for (const udid of [SOURCE, SUPERVISED, ENCRYPTED_SOURCE]) {
      const backup = await lid(['-u', udid, 'backup', '--full', root]);
      assert.equal(backup.code, 0, backup.stdout + backup.stderr);
    }
  });
  after(async () => {
    if (h) await h.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('restores a backup of another device (--source): after its restart the target holds exactly its content and its name', async () => {
    const before = await info(TARGET, SIMULATOR_DOMAIN, 'DatasetDigest');
    const sourceDigest = await info(SOURCE, SIMULATOR_DOMAIN, 'DatasetDigest');
    assert.notEqual(before, sourceDigest);
    const r = await restore(TARGET, SOURCE);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /Restore Successful\./);
    await waitForRestart(TARGET);
    assert.equal(await info(TARGET, SIMULATOR_DOMAIN, 'DatasetDigest'), sourceDigest);
    assert.equal(await info(TARGET, SIMULATOR_DOMAIN, 'ContentSource'), 'restored');
    assert.equal(await info(TARGET, SIMULATOR_DOMAIN, 'RestoredFromUDID'), SOURCE);
    assert.equal(await info(TARGET, undefined, 'DeviceName'), 'Support iPhone');
    assert.match(logOf(TARGET), /Moved the restored files into place/);
  });

  it('--no-reboot leaves the restore staged: a second restore fails with 102 until the device restarts', async () => {
    const before = await info(NO_REBOOT, SIMULATOR_DOMAIN, 'DatasetDigest');
    const first = await restore(NO_REBOOT, SOURCE, ['--no-reboot']);
    assert.equal(first.code, 0, first.stdout + first.stderr);
    assert.equal(await info(NO_REBOOT, SIMULATOR_DOMAIN, 'RestorePendingReboot'), 'true');
    assert.equal(await info(NO_REBOOT, SIMULATOR_DOMAIN, 'DatasetDigest'), before, 'files move into place only at the restart');
    const second = await restore(NO_REBOOT, SOURCE);
    assertFailed(second, 102, /Failed to move the incomplete restore directory into place at path "\/var\/\.backup\.i"/);
    assert.match(logOf(NO_REBOOT), /\/var\/\.backup\.i from an earlier restore is still in place/);
    assert.ok(h.simulator.control('reboot', NO_REBOOT));
    await waitForRestart(NO_REBOOT);
    assert.equal(await info(NO_REBOOT, SIMULATOR_DOMAIN, 'DatasetDigest'), await info(SOURCE, SIMULATOR_DOMAIN, 'DatasetDigest'));
    const third = await restore(NO_REBOOT, SOURCE);
    assert.equal(third.code, 0, third.stdout + third.stderr);
    await waitForRestart(NO_REBOOT);
  });

  it('faults.pendingRebootAfterRestore: 102, the device unchanged', async () => {
    const before = simulatorValue(LEFTOVER, 'DatasetDigest');
    assert.equal(await info(LEFTOVER, SIMULATOR_DOMAIN, 'RestorePendingReboot'), 'true');
    assertFailed(await restore(LEFTOVER, SOURCE), 102, /\.backup\.i/);
    assert.equal(simulatorValue(LEFTOVER, 'DatasetDigest'), before);
  });

  it('Find My on: 211 before anything is downloaded', async () => {
    const before = simulatorValue(FIND_MY, 'DatasetDigest');
    const r = await restore(FIND_MY, SOURCE);
    assertFailed(r, 211, /Find My iPhone must be disabled before restoring \(MBErrorDomain\/211\)/);
    assert.doesNotMatch(r.stdout, /Sending '/);
    assert.match(logOf(FIND_MY), /findmydeviced\[\d+\] <Notice>: Find My iPhone is enabled/);
    assert.equal(simulatorValue(FIND_MY, 'DatasetDigest'), before);
  });

  it('not enough space on the device: 105 "(free < needed)", matching com.apple.disk_usage AmountDataAvailable', async () => {
    assert.equal(await info(LOW_SPACE, 'com.apple.disk_usage', 'AmountDataAvailable'), '100000');
    const r = await restore(LOW_SPACE, SOURCE);
    assertFailed(r, 105, /Insufficient free disk space on device to restore \(100000 < 600000\) \(MBErrorDomain\/105\)/);
    assert.match(logOf(LOW_SPACE), /Not enough free space to restore: 100000 bytes available, 600000 bytes needed/);
  });

  it('a backup from a newer iOS: refused as "the software is too old" (205), the device unchanged', async () => {
    const before = simulatorValue(OLD_IOS, 'DatasetDigest');
    const r = await restore(OLD_IOS, SOURCE);
    assertFailed(r, 205, /because the software on the iPhone is too old \(backup iOS 16\.1, iPhone iOS 15\.7\)/);
    assert.match(logOf(OLD_IOS), /Backup was made with iOS 16\.1; this iPhone runs iOS 15\.7/);
    assert.equal(simulatorValue(OLD_IOS, 'DatasetDigest'), before);
  });

  it('an incomplete backup (a content file deleted): 205 "Multiple errors downloading files", the device unchanged', async () => {
    const broken = mkdtempSync(path.join(os.tmpdir(), 'iosbr-lid-broken-'));
    try {
      cpSync(path.join(root, SOURCE), path.join(broken, SOURCE), { recursive: true });
      const folder = readdirSync(path.join(broken, SOURCE)).find((n) => /^[0-9a-f]{2}$/.test(n))!;
      const victim = readdirSync(path.join(broken, SOURCE, folder))[0];
      rmSync(path.join(broken, SOURCE, folder, victim));
      const before = simulatorValue(INCOMPLETE, 'DatasetDigest');
      const r = await restore(INCOMPLETE, SOURCE, [], broken);
      assertFailed(r, 205, /Multiple errors downloading files \(MBErrorDomain\/205\)/);
      assert.match(logOf(INCOMPLETE), new RegExp(`Failed to download ${SOURCE}/${folder}/${victim}: No such file or directory`));
      assert.equal(simulatorValue(INCOMPLETE, 'DatasetDigest'), before);
      assert.equal(simulatorValue(INCOMPLETE, 'RestorePendingReboot'), false);
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });

  it('passcode never entered on an iOS 16.1+ device: 208 "Device locked" after the prompt times out', async () => {
    const r = await restore(LOCKED, SOURCE);
    assertFailed(r, 208, /Device locked \(MBErrorDomain\/208\)/);
    assert.match(logOf(LOCKED), /Presenting the passcode prompt for "Restore from Computer"/);
  });

  it('an encrypted backup: 207 with a wrong password, restored with the right one', async () => {
    const wrong = await restore(ENCRYPTED_TARGET, ENCRYPTED_SOURCE, ['--password', 'not the password']);
    assertFailed(wrong, 207, /Invalid password when restoring encrypted backup \(MBErrorDomain\/207\)/);
    assert.ok(!logOf(ENCRYPTED_TARGET).includes('not the password'), 'the password is never logged');
    const right = await restore(ENCRYPTED_TARGET, ENCRYPTED_SOURCE, ['--password', 'secret']);
    assert.equal(right.code, 0, right.stdout + right.stderr);
    await waitForRestart(ENCRYPTED_TARGET);
    assert.equal(await info(ENCRYPTED_TARGET, SIMULATOR_DOMAIN, 'DatasetDigest'), await info(ENCRYPTED_SOURCE, SIMULATOR_DOMAIN, 'DatasetDigest'));
  });

  it('the MDM vendor\'s rules: a supervised backup restored onto the same device, erased and now unsupervised, makes it supervised again', async () => {
    h.simulator.applyScenario(scenario(true));
    assert.equal(await info(SUPERVISED, 'com.apple.mobile.chaperone', 'DeviceIsChaperoned'), 'false');
    const r = await lid(['-u', SUPERVISED, 'restore', '--system', '--settings', root]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    await waitForRestart(SUPERVISED);
    assert.equal(await info(SUPERVISED, 'com.apple.mobile.chaperone', 'DeviceIsChaperoned'), 'true');
    assert.equal(device(SUPERVISED).spec.mdm, 'enrolled');
    assert.match(logOf(SUPERVISED), /the device becomes supervised/);
  });
});
