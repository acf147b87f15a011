import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BenchRowJson } from '../../../src/cli/benchJson';
import { silentLogger } from '../../../src/common/logger';
import { SYNC_NOTIFICATION } from '../../../src/services/notificationProxy';
import { BENCH_FIND_MY_INDEX, BENCH_SOURCE_INDEX, benchScenario, benchUdid } from '../../../src/simulator/benchScenario';
import { domainValues } from '../../../src/simulator/deviceValues';
import { RestoreRecordStore } from '../../../src/simulator/restore/restoreRecords';
import type { VirtualDevice } from '../../../src/simulator/virtualDevice';
import { runCli, startSimulator, type SimulatorHarness } from '../../helpers/simulatorHarness';
import { waitFor } from './benchWaits';

const SOURCE = benchUdid(BENCH_SOURCE_INDEX);
const FIND_MY = benchUdid(BENCH_FIND_MY_INDEX);
/** Plain replacements of the faulty bench (2 asks for its passcode, 3 drops the link: not used here). */
const PLAIN = [5, 6, 7].map(benchUdid);
const TARGETS = [FIND_MY, ...PLAIN];

/** One backup restored to four devices of the bench, one of them with Find My on. */
describe('kitting bench: one backup restored to four devices, one with Find My on', function () {
  this.timeout(240_000);
  let h: SimulatorHarness;
  let base: string;
  let backupDir: string;

  const device = (udid: string): VirtualDevice => {
    const found = h.simulator.device(udid);
    assert.ok(found, udid);
    return found;
  };
  /** What the device holds (the digest leaves out the management state, which lockdown reports on its own). */
  const heldDigest = (udid: string): string => device(udid).restored.summary(device(udid).spec.dataset).digest;

  before(async () => {
    h = await startSimulator(benchScenario({ devices: 8, faults: true }));
    base = await fs.mkdtemp(path.join(os.tmpdir(), 'iosbr-bench-restore-'));
    const backup = await runCli(['backup', SOURCE, '--dir', base], h.env, { timeoutMs: 120_000 });
    assert.equal(backup.code, 0, backup.stderr);
    backupDir = path.join(base, SOURCE);
  });
  after(async () => {
    await h?.stop();
    if (base) await fs.rm(base, { recursive: true, force: true });
  });

  it('the Find My device is refused by the checks with nothing sent to it; the other three are restored; exit 1; --json says which', async () => {
    const findMyBefore = heldDigest(FIND_MY);
    assert.ok(PLAIN.every((udid) => heldDigest(udid) !== heldDigest(SOURCE)), 'the replacements start with their own files');
    const result = await runCli(
      ['restore', '--from', backupDir, '--to', ...TARGETS, '--jobs', '4', '--ade-restore-allowed', 'yes', '--system', '--remove-items-not-restored', '--json'],
      h.env,
      { timeoutMs: 180_000 },
    );
    assert.equal(result.code, 1, result.stderr);
    const rows = JSON.parse(result.stdout) as BenchRowJson[];
    assert.deepEqual(rows.map((r) => [r.udid, r.operation, r.state]), TARGETS.map((u) => [u, 'restore', u === FIND_MY ? 'refused' : 'done']));

    const refused = rows[0];
    assert.deepEqual(refused.checks?.filter((c) => c.status === 'fail').map((c) => c.id), ['find-my']);
    assert.ok(refused.failure, 'a refused row says why');
    assert.match(refused.failure.sentence, /Find My/);
    assert.ok(refused.failure.nextSteps.some((s) => /Find My/.test(s)), JSON.stringify(refused.failure.nextSteps));
    for (const row of rows.slice(1)) {
      assert.equal(row.failure, null);
      assert.equal(row.backupDir, backupDir);
      assert.ok(row.checks?.every((c) => c.status !== 'fail'), `${row.udid}: ${JSON.stringify(row.checks)}`);
      assert.ok(row.nextSteps?.some((s) => /Re-authenticate the iOS agent/.test(s)), `${row.udid}: the MDM vendor's step after the restore (${JSON.stringify(row.nextSteps)})`);
    }

    // Nothing reached the Find My device: no mobilebackup2 service started, no sync, no restore staged or held
    // (the restored three show what the first two look like when something was sent).
    const startedBackupService = (udid: string) => device(udid).log.recentLines().some((l) => l.includes('Started service com.apple.mobilebackup2'));
    const syncStarted = (udid: string) => device(udid).notifications.posted.includes(SYNC_NOTIFICATION.WillStart);
    for (const udid of PLAIN) assert.deepEqual([startedBackupService(udid), syncStarted(udid)], [true, true], udid);
    assert.deepEqual([startedBackupService(FIND_MY), syncStarted(FIND_MY)], [false, false], 'mobilebackup2 never started, no sync');
    const findMy = device(FIND_MY);
    const records = new RestoreRecordStore(findMy.restored.root, silentLogger);
    assert.equal(records.readCurrent(), undefined);
    assert.equal(records.readPending(), undefined);
    assert.equal(heldDigest(FIND_MY), findMyBefore);

    // The three hold exactly the backup's files once they restarted, carry its name and are back in Setup Assistant.
    await waitFor(() => PLAIN.every((u) => !device(u).restored.hasPendingRestore && h.simulator.attached().includes(device(u))), () => 'the restored devices back after their restart');
    for (const udid of PLAIN) {
      assert.equal(heldDigest(udid), heldDigest(SOURCE), `${udid} holds the backup's files`);
      assert.equal(device(udid).spec.name, device(SOURCE).spec.name);
      assert.deepEqual(domainValues(device(udid), 'com.apple.purplebuddy'), { SetupDone: false });
      assert.equal(domainValues(device(udid), 'com.apple.iosbr.simulator')?.RestoredFromUDID, SOURCE);
    }
  });
});
