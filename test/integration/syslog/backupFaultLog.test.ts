import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLI, runCli, startSimulator, type SimulatorHarness } from '../../helpers/simulatorHarness';
import { startStreaming, waitUntil } from './streamingProcess';

const UDID = '00008110-000A1B2C3D4E801E';

/** A scenario fault during a simulated backup: the device log says why before the ErrorCode arrives. */
describe('syslog during a failing simulated backup', function () {
  this.timeout(120_000);
  let h: SimulatorHarness;
  let backupRoot: string;

  before(async () => {
    h = await startSimulator({
      devices: [{ udid: UDID, name: 'Support iPhone', productVersion: '17.2', dataset: { files: 20, totalBytes: 200_000, seed: 3 }, faults: { lowHostDiskQuery: true } }],
    });
    backupRoot = mkdtempSync(path.join(os.tmpdir(), 'iosbr-syslog-backup-'));
  });
  after(async () => {
    rmSync(backupRoot, { recursive: true, force: true });
    if (h) await h.stop();
  });

  it('syslog --process BackupAgent2 shows the 105 reason the backup fails with', async () => {
    const log = startStreaming(process.execPath, [CLI, 'syslog', UDID, '--process', 'BackupAgent2'], h.env);
    await waitUntil(() => h.simulator.device(UDID)!.log.listenerCount > 0, 'syslog is subscribed');
    const backup = await runCli(['backup', UDID, '--dir', backupRoot], h.env, { timeoutMs: 90_000 });
    assert.equal(backup.code, 1, backup.stderr);
    assert.match(backup.stderr, /105/);
    const lines = await log.waitForLines(/BackupAgent2\[412\]/, 2);
    log.child.kill('SIGINT');
    assert.equal(await log.exited, 0);
    assert.match(lines[0], /<Warning>: Free space check failed/);
    assert.match(lines[1], /<Error>: Insufficient free disk space on drive to back up \(MBErrorDomain\/105\)$/);
    assert.ok(log.stdout().split('\n').filter(Boolean).every((l) => l.includes(' BackupAgent2[412] ')), 'only BackupAgent2 lines');
  });
});
