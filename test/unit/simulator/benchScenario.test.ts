import assert from 'node:assert/strict';
import { isUsageError } from '../../../src/common/errors';
import { bundledRules } from '../../../src/compat/loadRules';
import { evaluateRestore } from '../../../src/compat/evaluateRestore';
import {
  BENCH_DROP_LINK_INDEX, BENCH_FIND_MY_INDEX, BENCH_PASSCODE_INDEX, benchName, benchScenario, benchSerial, benchUdid,
} from '../../../src/simulator/benchScenario';
import { parseScenario, type SimulatedDeviceSpec } from '../../../src/simulator/scenario';
import { readLinkFaults } from '../../../src/simulator/backup/linkFaults';
import { readBackupFaults } from '../../../src/simulator/backup/backupFaults';
import { silentLogger } from '../../../src/common/logger';

const nth = (devices: readonly SimulatedDeviceSpec[], index: number): SimulatedDeviceSpec => devices[index - 1];

describe('simulator bench scenario', () => {
  it('serves one set-up source and N-1 replacements in Setup Assistant, with distinct, deterministic identities', () => {
    const { devices } = benchScenario({ devices: 8 });
    assert.equal(devices.length, 8);
    assert.equal(devices[0].udid, '00008110-0000000000B00001');
    assert.equal(devices[7].udid, '00008110-0000000000B00008');
    assert.equal(benchUdid(26), '00008110-0000000000B0001A');
    assert.equal(new Set(devices.map((d) => d.udid)).size, 8);
    assert.equal(new Set(devices.map((d) => d.serialNumber)).size, 8);
    assert.equal(new Set(devices.map((d) => d.name)).size, 8);
    assert.equal(new Set(devices.map((d) => d.dataset.seed)).size, 8, 'each device has its own files');
    devices.forEach((d, i) => {
      assert.equal(d.name, benchName(i + 1));
      assert.equal(d.serialNumber, benchSerial(i + 1));
      assert.ok(d.dataset.files <= 100 && d.dataset.totalBytes <= 1_000_000, 'small datasets by default');
    });
    const [source, ...replacements] = devices;
    assert.deepEqual([source.setupDone, source.supervised, source.mdm], [true, false, 'enrolled']);
    for (const r of replacements) assert.deepEqual([r.setupDone, r.supervised, r.mdm, r.findMy, r.passcode.set], [false, true, 'enrolled', false, false]);
    assert.deepEqual(benchScenario({ devices: 8 }), benchScenario({ devices: 8 }), 'the same bench every time');
  });

  it('lets a benchmark size the datasets', () => {
    const { devices } = benchScenario({ devices: 2, files: 20_000, totalBytes: 200_000_000 });
    assert.deepEqual(devices.map((d) => [d.dataset.files, d.dataset.totalBytes]), [[20_000, 200_000_000], [20_000, 200_000_000]]);
  });

  it('a backup of the source passes the MDM vendor\'s restore rules on every replacement (supported, agent re-authenticates)', () => {
    const [source, ...replacements] = benchScenario({ devices: 4 }).devices;
    for (const target of replacements) {
      const report = evaluateRestore(
        bundledRules(),
        { udid: source.udid, iosVersion: source.productVersion, supervisedAtBackup: source.supervised, mdmEnrolledAtBackup: source.mdm === 'enrolled' },
        { udid: target.udid, iosVersion: target.productVersion, supervised: target.supervised, adeRestoreFromBackupAllowed: true },
      );
      assert.equal(report.cell?.id, 'unsupervised.different.target-supervised', target.udid);
      assert.equal(report.supported, 'yes');
      assert.ok(report.preconditions.every((p) => p.status === 'pass'), JSON.stringify(report.preconditions.map((p) => [p.id, p.status])));
    }
  });

  it('with faults: replacement 2 asks for its passcode, 3 drops the link in backups and restores, 4 has Find My on; the rest are clean', () => {
    const { devices } = benchScenario({ devices: 8, faults: true });
    const passcode = nth(devices, BENCH_PASSCODE_INDEX);
    assert.equal(passcode.passcode.set, true);
    assert.ok(passcode.passcode.enteredAfterMs !== null && passcode.passcode.enteredAfterMs >= 1000 && passcode.passcode.enteredAfterMs < passcode.passcode.timeoutMs);
    assert.ok(Number(passcode.productVersion.split('.')[0]) >= 17, 'the prompt exists from iOS 16.1');

    const drop = nth(devices, BENCH_DROP_LINK_INDEX);
    const backupFaults = readBackupFaults(drop.faults, silentLogger);
    assert.ok(backupFaults.disconnectAfterBytes !== undefined && backupFaults.disconnectAfterBytes > 0 && backupFaults.disconnectAfterBytes < drop.dataset.totalBytes, 'mid-backup');
    assert.deepEqual(readLinkFaults(drop.faults, silentLogger).dropLink, { operation: 'restore', when: 'after', message: 'DLMessageDownloadFiles', nth: 2 });

    assert.equal(nth(devices, BENCH_FIND_MY_INDEX).findMy, true);
    const faulty = new Set([BENCH_PASSCODE_INDEX, BENCH_DROP_LINK_INDEX, BENCH_FIND_MY_INDEX]);
    devices.forEach((d, i) => {
      if (faulty.has(i + 1)) return;
      assert.deepEqual([d.findMy, d.passcode.set, Object.keys(d.faults).length], [false, false, 0], d.udid);
    });
  });

  it('refuses a bench size outside 2..32, and faults on fewer than 4 devices, with a sentence', () => {
    for (const devices of [0, 1, 33, 2.5, Number.NaN]) {
      assert.throws(() => benchScenario({ devices }), (e) => isUsageError(e) && /2 to 32 devices/.test(e.message), String(devices));
    }
    assert.equal(benchScenario({ devices: 32 }).devices.length, 32);
    assert.throws(() => benchScenario({ devices: 3, faults: true }), (e) => isUsageError(e) && /at least 4 devices/.test(e.message));
  });

  it('setupDone is a scenario field, true unless the scenario says otherwise', () => {
    const udid = '00008110-000A1B2C3D4E801E';
    assert.equal(parseScenario({ devices: [{ udid }] }).devices[0].setupDone, true);
    assert.equal(parseScenario({ devices: [{ udid, setupDone: false }] }).devices[0].setupDone, false);
    assert.throws(() => parseScenario({ devices: [{ udid, setupDone: 'no' }] }), /devices\[0\]\.setupDone must be true or false/);
  });
});
