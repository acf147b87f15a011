import assert from 'node:assert/strict';
import { CLI, runCli, startSimulator, type SimulatorHarness } from '../../helpers/simulatorHarness';
import { DeviceSession } from '../../../src/lockdown/deviceSession';
import type { SyslogRecord } from '../../../src/services/syslog/syslogRecord';
import { isSyslogStreamEndedError, SyslogRelayService } from '../../../src/services/syslog/syslogRelay';
import { UsbmuxClient } from '../../../src/usbmux/usbmuxClient';
import { parseUsbmuxdAddress } from '../../../src/usbmux/socketAddress';
import { startStreaming, waitUntil } from './streamingProcess';

const SOURCE = '00008110-000A1B2C3D4E801E';
const TARGET = '00008120-001C2D3E4F5A602E';

/** `iosbr syslog` and the SyslogRelayService against the simulated devices. */
describe('syslog: streaming the device log', function () {
  this.timeout(60_000);
  let h: SimulatorHarness;

  before(async () => {
    h = await startSimulator();
  });
  after(async () => h && (await h.stop()));

  const streamCli = (args: string[]) => startStreaming(process.execPath, [CLI, 'syslog', ...args], h.env);
  const subscribed = (udid: string) => waitUntil(() => h.simulator.device(udid)!.log.listenerCount > 0, 'the CLI is subscribed to the device log');

  it('--process BackupAgent2 shows only BackupAgent2 lines, and Ctrl-C ends it with exit 0', async () => {
    const device = h.simulator.device(SOURCE)!;
    const cli = streamCli([SOURCE, '--process', 'BackupAgent2']);
    await subscribed(SOURCE);
    let otherDaemonLines = 0;
    const countOthers = device.log.subscribe((record) => {
      if (!record.toString('latin1').includes(' BackupAgent2[')) otherDaemonLines++;
    });
    device.log.write('BackupAgent2', undefined, 'Notice', 'Starting backup of 300 files');
    // Let the idle chatter of the other daemons run for a while: none of it may show.
    await new Promise((r) => setTimeout(r, 1200));
    device.log.writeFailureReason(104, { path: '/var/mobile/Media/DCIM/100APPLE/IMG_0042.HEIC' });
    const lines = await cli.waitForLines(/\S/, 3);
    countOthers();
    assert.ok(otherDaemonLines > 0, 'other daemons chattered meanwhile');
    cli.child.kill('SIGINT');
    assert.equal(await cli.exited, 0, cli.stderr());
    const all = cli.stdout().split('\n').filter(Boolean);
    assert.deepEqual(all, lines);
    for (const line of all) assert.match(line, /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d Support-iPhone BackupAgent2\[412\] <(Notice|Error)>: /);
    assert.match(all[1], /Failed to upload \/var\/mobile\/Media\/DCIM\/100APPLE\/IMG_0042\.HEIC/);
    assert.match(all[2], /Multiple errors uploading files \(MBErrorDomain\/104\)$/);
  });

  it('--json --level Error prints one JSON record per line, decoded from vis', async () => {
    const device = h.simulator.device(TARGET)!;
    const cli = streamCli([TARGET, '--json', '--level', 'Error']);
    await subscribed(TARGET);
    device.log.write('profiled', undefined, 'Error', 'Profil „WLAN Büro“ konnte nicht geladen werden: 設定エラー');
    device.log.write('profiled', undefined, 'Notice', 'below the level, not shown');
    device.log.writeFailureReason(211);
    const lines = await cli.waitForLines(/^\{/, 2);
    cli.child.kill('SIGTERM');
    assert.equal(await cli.exited, 0);
    const records = lines.map((l) => JSON.parse(l) as SyslogRecord);
    assert.deepEqual(records[0], { kind: 'record', time: records[0].time, device: 'Replacement-iPhone', process: 'profiled', pid: 180, level: 'Error', message: 'Profil „WLAN Büro“ konnte nicht geladen werden: 設定エラー' });
    assert.equal(records[1].process, 'BackupAgent2');
    assert.match(records[1].message, /\(MBErrorDomain\/211\)$/);
    assert.ok(records.every((r) => r.level === 'Error'));
  });

  it('cuts an over-long line and keeps streaming', async () => {
    const device = h.simulator.device(SOURCE)!;
    const cli = streamCli([SOURCE, '--process', 'mdmd']);
    await subscribed(SOURCE);
    device.log.write('mdmd', undefined, 'Notice', 'x'.repeat(100_000));
    device.log.write('mdmd', undefined, 'Notice', 'after the long one');
    const lines = await cli.waitForLines(/mdmd\[201\]/, 2);
    cli.child.kill('SIGINT');
    await cli.exited;
    const cut = lines.find((l) => l.includes('xxxx'))!;
    assert.match(cut, / … \[line cut: \d+ more bytes\]$/);
    assert.ok(cut.length < 17_000, `cut to about 16 KiB (${cut.length} characters)`);
    assert.ok(lines.some((l) => l.endsWith('after the long one')));
  });

  it('a device detached mid-stream ends the stream with one clear line and exit 1', async () => {
    const device = h.simulator.device(SOURCE)!;
    const cli = streamCli([SOURCE]);
    await subscribed(SOURCE);
    device.log.write('SpringBoard', undefined, 'Notice', 'about to be unplugged');
    await cli.waitForLines(/about to be unplugged/, 1);
    h.simulator.control('detach', SOURCE);
    try {
      assert.equal(await cli.exited, 1);
      const errorLines = cli.stderr().split('\n').filter(Boolean);
      assert.deepEqual(errorLines, [`The device ${SOURCE} disconnected; its log stream ended.`]);
    } finally {
      h.simulator.control('attach', SOURCE);
    }
  });

  it('refuses a bad filter before touching the device (exit 2)', async () => {
    const level = await runCli(['syslog', SOURCE, '--level', 'loud'], h.env);
    assert.equal(level.code, 2);
    assert.match(level.stderr, /^Unknown log level "loud": use one of Debug, Info, Notice, Warning, Error/);
    const regex = await runCli(['syslog', SOURCE, '--match', '(unclosed'], h.env);
    assert.equal(regex.code, 2);
    assert.match(regex.stderr, /is not a valid regular expression/);
  });

  it('SyslogRelayService yields parsed records and throws SyslogStreamEndedError when the device goes', async () => {
    const mux = new UsbmuxClient(parseUsbmuxdAddress(h.address)!);
    const session = await DeviceSession.open(mux, TARGET);
    const relay = new SyslogRelayService(session);
    await relay.connect();
    const device = h.simulator.device(TARGET)!;
    await waitUntil(() => device.log.listenerCount > 0, 'the service is subscribed');
    device.log.write('lockdownd', undefined, 'Warning', 'from the library test', 'libmobilegestalt.dylib');
    let seen: SyslogRecord | undefined;
    let ended: unknown;
    try {
      for await (const entry of relay) {
        if (entry.kind === 'record' && entry.message === 'from the library test') {
          seen = entry;
          h.simulator.control('detach', TARGET);
        }
      }
    } catch (err) {
      ended = err;
    } finally {
      h.simulator.control('attach', TARGET);
      await session.close();
    }
    assert.equal(seen?.image, 'libmobilegestalt.dylib');
    assert.equal(seen?.process, 'lockdownd');
    assert.ok(isSyslogStreamEndedError(ended), String(ended));
  });

  it('lockdownd logs the services it starts', async () => {
    const device = h.simulator.device(SOURCE)!;
    await waitUntil(() => device.log.recentLines().some((l) => /lockdownd\[55\] <Notice>: Started service com\.apple\.syslog_relay on port \d+ \(SSL\)/.test(l)), 'lockdownd logged StartService');
  });
});
