import assert from 'node:assert/strict';
import { hasTool, startSimulator, type SimulatorHarness } from '../../helpers/simulatorHarness';
import { startStreaming, waitUntil } from './streamingProcess';

const UDID = '00008110-000A1B2C3D4E801E';

/** Debian's idevicesyslog (libimobiledevice 1.3.0, syslog_relay) reading the simulated device's log. */
describe("libimobiledevice's idevicesyslog against the simulator", function () {
  this.timeout(60_000);
  let h: SimulatorHarness;

  before(async function () {
    if (!hasTool('idevicesyslog')) this.skip();
    h = await startSimulator();
  });
  after(async () => h && (await h.stop()));

  it('prints the device log lines, the idle chatter and lines written to the log bus', async () => {
    const device = h.simulator.device(UDID)!;
    const tool = startStreaming('idevicesyslog', ['-u', UDID, '--no-colors'], h.env);
    try {
      await tool.waitForLines(/^\[connected\]$/, 1);
      await waitUntil(() => device.log.listenerCount > 0, 'idevicesyslog is subscribed');
      device.log.write('BackupAgent2', undefined, 'Error', 'Failed to upload /var/mobile/Media/DCIM/100APPLE/IMG_0007.HEIC (MBErrorDomain:100)');
      // idevicesyslog checks the spaces at 3, 6 and 15 and prints time, process[pid] and <Level>:.
      const records = await tool.waitForLines(/^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+\[\d+\] <(Notice|Error|Warning|Debug|Info)>: /, 4);
      assert.ok(records.some((l) => /BackupAgent2\[412\] <Error>: Failed to upload \/var\/mobile\/Media\/DCIM\/100APPLE\/IMG_0007\.HEIC/.test(l)), records.join('\n'));
      assert.ok(records.some((l) => !l.includes('BackupAgent2')), 'idle chatter arrives too');
    } finally {
      tool.child.kill('SIGKILL');
      await tool.exited;
    }
    await waitUntil(() => device.log.listenerCount === 0, 'the device noticed the client left');
  });
});
