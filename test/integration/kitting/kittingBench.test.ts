import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { passwordKeyDerivationsStarted } from '../../../src/backup/crypto/passwordKey';
import { verifyBackup } from '../../../src/backup/verify/verifyBackup';
import { FINISHED_BENCH_STATES, type BenchRow, type BenchRowState } from '../../../src/kitting/benchRow';
import { ENGINE_OPERATIONS, type BenchOperations } from '../../../src/kitting/benchOperations';
import { KittingBench, type BenchRestorePlan } from '../../../src/kitting/kittingBench';
import { readDeviceFacts } from '../../../src/device/readDeviceFacts';
import { SYNC_NOTIFICATION } from '../../../src/services/notificationProxy';
import { parseScenario } from '../../../src/simulator/scenario';
import type { VirtualDevice } from '../../../src/simulator/virtualDevice';
import { UsbmuxClient } from '../../../src/usbmux/usbmuxClient';
import { startSimulator, type SimulatorHarness } from '../../helpers/simulatorHarness';

const udid = (n: number): string => `00008110-0000000000B1000${n}`;
const SOURCE = udid(1);
const BACKUPS = [udid(2), udid(3), udid(4)];
const TARGETS = [udid(5), udid(6)];
const FIND_MY = udid(7);
const SLOW = udid(8);
const ENCRYPTED = udid(9);
const PASSWORD = 'bench-secret';
/** Not yet paired: the simulated person taps "Trust" after a moment. */
const UNTRUSTED = '00008110-0000000000B1000A';
/** Asks for its passcode before each backup; the simulated person types it after a moment. */
const PASSCODE = '00008110-0000000000B1000B';

const setUp = { productType: 'iPhone14,5', productVersion: '16.1', buildVersion: '20B82', supervised: false, mdm: 'enrolled' };
const replacement = {
  productType: 'iPhone14,5',
  productVersion: '17.2',
  buildVersion: '21C62',
  supervised: true,
  mdm: 'enrolled',
  setupDone: false,
  restart: { afterRestoreDelayMs: 200, downMs: 300 },
};

function scenario() {
  const small = (seed: number) => ({ files: 30, totalBytes: 200_000, seed });
  return parseScenario({
    devices: [
      { udid: SOURCE, name: 'Source iPhone', serialNumber: 'F2LKIT000001', ...setUp, dataset: small(1) },
      ...BACKUPS.map((u, i) => ({ udid: u, name: `Bench iPhone ${i + 2}`, serialNumber: `F2LKIT00000${i + 2}`, ...setUp, dataset: small(i + 2) })),
      ...TARGETS.map((u, i) => ({ udid: u, name: `Replacement ${i + 5}`, serialNumber: `F2LKIT00000${i + 5}`, ...replacement, dataset: small(i + 5) })),
      { udid: FIND_MY, name: 'Find My iPhone', serialNumber: 'F2LKIT000007', ...replacement, findMy: true, dataset: small(7) },
      // A slow link, so a backup is surely under way when the test cancels or unplugs it.
      { udid: SLOW, name: 'Slow iPhone', serialNumber: 'F2LKIT000008', ...setUp, dataset: { files: 40, totalBytes: 800_000, seed: 8 }, faults: { trickle: { bytesPerSecond: 150_000 } } },
      { udid: UNTRUSTED, name: 'New iPhone', serialNumber: 'F2LKIT00000A', ...setUp, paired: false, trust: { response: 'trust', delayMs: 1500 }, dataset: small(10) },
      { udid: PASSCODE, name: 'Locked iPhone', serialNumber: 'F2LKIT00000B', ...setUp, passcode: { set: true, enteredAfterMs: 1500 }, dataset: small(11) },
      { udid: ENCRYPTED, name: 'Encrypted iPhone', serialNumber: 'F2LKIT000009', ...setUp, backupPassword: PASSWORD, keybagIterations: { sha256: 1000, sha1: 10 }, dataset: small(9) },
    ],
  });
}

const isFinished = (state: BenchRowState): boolean => FINISHED_BENCH_STATES.includes(state);
const active = (rows: readonly BenchRow[]): number => rows.filter((r) => r.state !== 'queued' && !isFinished(r.state)).length;

/** Resolves when a row event satisfies `condition` (or it already holds); fails after a bound, saying what it waited for. */
function whenRow(bench: KittingBench, condition: (row: BenchRow) => boolean, what: string): Promise<BenchRow> {
  const now = bench.rows.find(condition);
  if (now) return Promise.resolve(now);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`Gave up waiting for ${what}; rows: ${JSON.stringify(bench.rows.map((r) => [r.device.udid, r.state, r.detail]))}`));
    }, 90_000);
    const subscription = bench.onDidChange((row) => {
      if (!condition(row)) return;
      clearTimeout(timer);
      subscription.dispose();
      resolve(row);
    });
  });
}

describe('kitting bench: many devices at once against the simulator (in process)', function () {
  this.timeout(240_000);
  let h: SimulatorHarness;
  let mux: UsbmuxClient;
  let root: string;
  const benches: KittingBench[] = [];

  const device = (id: string): VirtualDevice => {
    const found = h.simulator.device(id);
    assert.ok(found, id);
    return found;
  };
  const open = (jobs?: number, operations?: Partial<BenchOperations>): KittingBench => {
    const bench = new KittingBench({ mux, backupRoot: root, jobs, operations, waits: { restartPollMs: 100 } });
    benches.push(bench);
    return bench;
  };
  const row = (bench: KittingBench, id: string): BenchRow => {
    const found = bench.rows.find((r) => r.device.udid === id);
    assert.ok(found, id);
    return found;
  };
  const assertHealthy = async (dir: string): Promise<void> => {
    const health = await verifyBackup(dir, { level: 'full' });
    assert.ok(health.healthy, `${dir}: ${JSON.stringify(health.problems)}`);
    assert.ok(health.filesChecked > 0);
  };

  before(async () => {
    h = await startSimulator(scenario());
    mux = new UsbmuxClient(h.simulator.address);
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'iosbr-kitting-bench-'));
  });
  after(async () => {
    for (const bench of benches) bench.dispose();
    await h?.stop();
    if (root) await fs.rm(root, { recursive: true, force: true });
  });

  it('backs up four devices at once; every backup completes and its folder verifies', async () => {
    const bench = open();
    let peak = 0;
    bench.onDidChange(() => (peak = Math.max(peak, active(bench.rows))));
    for (const id of [SOURCE, ...BACKUPS]) bench.addBackup(id);
    await bench.whenIdle();
    assert.deepEqual(bench.rows.map((r) => r.state), ['done', 'done', 'done', 'done'], JSON.stringify(bench.rows.map((r) => r.failure)));
    assert.equal(peak, 4, 'all four ran at the same time');
    for (const r of bench.rows) {
      assert.equal(r.backupResultDir, path.join(root, r.device.udid));
      assert.match(r.summary ?? '', /^\d[\d,]* files?, /);
      await assertHealthy(r.backupResultDir);
    }
    const source = row(bench, SOURCE).device;
    assert.deepEqual(source, { udid: SOURCE, name: 'Source iPhone', model: 'iPhone 13', serialNumber: 'F2LKIT000001', iosVersion: '16.1' });
  });

  it('jobs: 2 runs two devices at a time: the third starts only once one of the first two has finished', async () => {
    const bench = open(2);
    let peak = 0;
    let finishedWhenThirdStarted: number | undefined;
    bench.onDidChange((r) => {
      peak = Math.max(peak, active(bench.rows));
      if (r.device.udid === BACKUPS[2] && r.state !== 'queued' && finishedWhenThirdStarted === undefined) {
        finishedWhenThirdStarted = bench.rows.filter((x) => isFinished(x.state)).length;
      }
    });
    for (const id of [SOURCE, BACKUPS[0], BACKUPS[2]]) bench.addBackup(id);
    assert.deepEqual(bench.rows.map((r) => r.state), ['backing-up', 'backing-up', 'queued']);
    await bench.whenIdle();
    assert.deepEqual(bench.rows.map((r) => r.state), ['done', 'done', 'done']);
    assert.equal(peak, 2);
    assert.equal(finishedWhenThirdStarted, 1);
  });

  it('cancelling one row leaves the others to complete', async () => {
    const bench = open();
    for (const id of [SLOW, BACKUPS[0], BACKUPS[1]]) bench.addBackup(id);
    const slow = await whenRow(bench, (r) => r.device.udid === SLOW && r.state === 'backing-up' && /^[1-9][\d,]* files?/.test(r.detail ?? ''), 'the slow backup under way');
    bench.cancel(slow.id);
    await bench.whenIdle();
    assert.equal(row(bench, SLOW).state, 'cancelled');
    assert.match(row(bench, SLOW).detail ?? '', /cancelled/);
    assert.equal(row(bench, BACKUPS[0]).state, 'done');
    assert.equal(row(bench, BACKUPS[1]).state, 'done');
    await assertHealthy(path.join(root, BACKUPS[0]));
  });

  it('a device unplugged mid-backup fails alone with a clear sentence; after it is plugged in again, Retry succeeds (attempt 2)', async () => {
    const bench = open();
    for (const id of [SLOW, BACKUPS[1], BACKUPS[2]]) bench.addBackup(id);
    await whenRow(bench, (r) => r.device.udid === SLOW && r.state === 'backing-up' && /^[1-9][\d,]* files?/.test(r.detail ?? ''), 'the slow backup under way');
    assert.ok(h.simulator.control('detach', SLOW));
    await bench.whenIdle();
    const failed = row(bench, SLOW);
    assert.equal(failed.state, 'failed');
    assert.match(failed.failure?.sentence ?? '', /disconnected|unplugged|no longer attached|closed the connection/i);
    assert.ok(failed.failure?.cause, 'the failure doctor explains it');
    assert.ok((failed.failure?.nextSteps.length ?? 0) > 0);
    assert.equal(row(bench, BACKUPS[1]).state, 'done');
    assert.equal(row(bench, BACKUPS[2]).state, 'done');

    assert.ok(h.simulator.control('attach', SLOW));
    const again = bench.retry(failed.id);
    assert.equal(again.attempt, 2);
    await bench.whenIdle();
    const done = row(bench, SLOW);
    assert.equal(done.state, 'done', JSON.stringify(done.failure));
    assert.equal(done.attempt, 2);
    await assertHealthy(path.join(root, SLOW));
  });

  it('one backup restored to three devices: Find My on is refused with nothing sent to it; the others are restored, restart, and list their next steps', async () => {
    const bench = open();
    const seen = new Map<string, Set<BenchRowState>>();
    bench.onDidChange((r) => seen.set(r.device.udid, (seen.get(r.device.udid) ?? new Set()).add(r.state)));
    const plan: BenchRestorePlan = { backupDir: path.join(root, SOURCE), answers: { adeRestoreFromBackupAllowed: true }, reboot: true };
    for (const id of [FIND_MY, ...TARGETS]) bench.addRestore(id, plan);
    await bench.whenIdle();

    const refused = row(bench, FIND_MY);
    assert.equal(refused.state, 'refused', JSON.stringify(refused.failure));
    assert.deepEqual(refused.checks?.filter((c) => c.status === 'fail').map((c) => c.id), ['find-my']);
    assert.ok(refused.failure?.cause?.en, 'the failed check is the cause');
    assert.match(refused.failure?.finding?.en ?? '', /Find My is on/, 'and what it found on this device');
    assert.ok((refused.failure?.nextSteps.length ?? 0) > 0);
    assert.ok(!device(FIND_MY).notifications.posted.includes(SYNC_NOTIFICATION.WillStart), 'no sync was started on the refused device');
    assert.equal(device(FIND_MY).restored.simulatorValues(device(FIND_MY).spec).ContentSource, 'generated', 'nothing was restored to it');

    for (const id of TARGETS) {
      const r = row(bench, id);
      assert.equal(r.state, 'done', JSON.stringify(r.failure));
      assert.equal(r.detail, undefined, 'the device came back after its restart');
      assert.ok(seen.get(id)?.has('restoring') && seen.get(id)?.has('restarting'), `${id}: ${[...(seen.get(id) ?? [])].join(', ')}`);
      assert.ok(r.checks?.every((c) => c.status !== 'fail'));
      assert.ok(r.nextSteps?.some((s) => /Remote Management/.test(s.en)), 'a backup of another device: the Remote Management step');
      assert.ok(r.nextSteps?.every((s) => s.ja.length > 0));
      const values = device(id).restored.simulatorValues(device(id).spec);
      assert.equal(values.ContentSource, 'restored');
      assert.equal(values.RestoredFromUDID, SOURCE);
    }
  });

  it("an encrypted backup restored to two devices: its password key is derived once for the plan, not once per device", async () => {
    const backupBench = open();
    backupBench.addBackup(ENCRYPTED);
    await backupBench.whenIdle();
    assert.equal(backupBench.rows[0].state, 'done', JSON.stringify(backupBench.rows[0].failure));

    let backupChecks = 0;
    let derivationsBeforeFirstRestore: number | undefined;
    const counted: Partial<BenchOperations> = {
      readBackupFacts: (...args) => {
        backupChecks++;
        return ENGINE_OPERATIONS.readBackupFacts(...args);
      },
      runRestore: (options) => {
        derivationsBeforeFirstRestore ??= passwordKeyDerivationsStarted();
        return ENGINE_OPERATIONS.runRestore(options);
      },
    };
    const bench = open(4, counted);
    const derivationsAtStart = passwordKeyDerivationsStarted();
    const plan: BenchRestorePlan = { backupDir: path.join(root, ENCRYPTED), password: PASSWORD, answers: { adeRestoreFromBackupAllowed: true }, reboot: true };
    for (const id of TARGETS) bench.addRestore(id, plan);
    await bench.whenIdle();
    assert.deepEqual(bench.rows.map((r) => r.state), ['done', 'done'], JSON.stringify(bench.rows.map((r) => r.failure)));
    assert.equal(backupChecks, 1, "the plan's backup was checked once");
    assert.equal(derivationsBeforeFirstRestore! - derivationsAtStart, 1, 'one key derivation on this computer for the whole plan');
    for (const r of bench.rows) assert.equal(r.checks?.find((c) => c.id === 'backup-password')?.status, 'pass');
    for (const id of TARGETS) assert.equal(device(id).restored.simulatorValues(device(id).spec).RestoredFromUDID, ENCRYPTED);
  });

  it('a device waiting for "Trust" and one waiting for its passcode show it on their rows, then complete; the others are not held up', async () => {
    const bench = open();
    const seen = new Map<string, BenchRowState[]>();
    bench.onDidChange((r) => seen.set(r.device.udid, [...(seen.get(r.device.udid) ?? []), r.state]));
    for (const id of [UNTRUSTED, PASSCODE, BACKUPS[0]]) bench.addBackup(id);
    await bench.whenIdle();
    assert.deepEqual(bench.rows.map((r) => r.state), ['done', 'done', 'done'], JSON.stringify(bench.rows.map((r) => r.failure)));
    assert.deepEqual(seen.get(UNTRUSTED)?.slice(0, 4), ['queued', 'backing-up', 'waiting-for-trust', 'backing-up']);
    assert.ok(seen.get(PASSCODE)?.includes('waiting-for-passcode'), seen.get(PASSCODE)?.join(', '));
    assert.ok(!seen.get(BACKUPS[0])?.some((s) => s.startsWith('waiting')));
    assert.equal(row(bench, UNTRUSTED).device.name, 'New iPhone', 'the device is read again once paired');
    await assertHealthy(path.join(root, UNTRUSTED));
  });

  it('reads SetupDone: false for a replacement in Setup Assistant, true for a set-up device', async () => {
    assert.equal((await readDeviceFacts(mux, FIND_MY)).setupDone, false);
    assert.equal((await readDeviceFacts(mux, SOURCE)).setupDone, true);
  });
});
