import assert from 'node:assert/strict';
import { runCli, startSimulator, type SimulatorHarness } from '../../helpers/simulatorHarness';
import { UsbmuxClient } from '../../../src/usbmux/usbmuxClient';
import { parseUsbmuxdAddress } from '../../../src/usbmux/socketAddress';
import type { UsbmuxDevice } from '../../../src/usbmux/usbmuxDevice';
import type { DeviceFacts } from '../../../src/device/deviceFacts';

const SOURCE = '00008110-000A1B2C3D4E801E';
const TARGET = '00008120-001C2D3E4F5A602E';

/** `info --json` prints the device facts as they are. */
const deviceFacts = (stdout: string): DeviceFacts => JSON.parse(stdout) as DeviceFacts;

describe('our CLI against the simulator', function () {
  this.timeout(60_000);
  let h: SimulatorHarness;

  before(async () => {
    h = await startSimulator({
      devices: [
        { udid: SOURCE, name: 'Support iPhone', productType: 'iPhone14,5', productVersion: '16.1', mdm: 'enrolled', supervised: false, findMy: true },
        { udid: TARGET, name: 'Kiosk iPad', deviceClass: 'iPad', productType: 'iPad13,18', productVersion: '17.2', supervised: true, mdm: 'none', backupPassword: 'x', paired: false, trust: { response: 'trust', delayMs: 1500 } },
      ],
    });
  });
  after(async () => h && (await h.stop()));

  it('devices --json lists udid, name and connection type', async () => {
    const r = await runCli(['devices', '--json'], h.env);
    assert.equal(r.code, 0, r.stderr);
    const rows = JSON.parse(r.stdout) as Array<{ udid: string; name: string; connectionType: string }>;
    assert.deepEqual(rows.map((x) => [x.udid, x.name, x.connectionType]).sort(), [[SOURCE, 'Support iPhone', 'USB'], [TARGET, 'Kiosk iPad', 'USB']].sort());
  });

  it('info --json gives the facts the rest of the product needs', async () => {
    const r = await runCli(['info', SOURCE, '--json'], h.env);
    assert.equal(r.code, 0, r.stderr);
    const f = deviceFacts(r.stdout);
    assert.equal(f.name, 'Support iPhone');
    assert.equal(f.productType, 'iPhone14,5');
    assert.equal(f.marketingName, 'iPhone 13');
    assert.equal(f.iosVersion, '16.1');
    assert.equal(f.paired, true);
    assert.equal(f.supervised, false);
    assert.equal(f.mdm, 'enrolled');
    assert.equal(f.backupEncryption, false);
    assert.equal(f.findMy, true);
    assert.equal(f.connectionType, 'USB');
  });

  it('info in plain text says whether Setup Assistant is finished, as --json\'s setupDone does', async () => {
    const device = h.simulator.device(SOURCE)!;
    const line = async (): Promise<string | undefined> => {
      const r = await runCli(['info', SOURCE], h.env);
      assert.equal(r.code, 0, r.stderr);
      return r.stdout.split('\n').find((l) => l.startsWith('Setup Assistant:'));
    };
    assert.equal(await line(), 'Setup Assistant:    finished');
    const spec = device.spec;
    device.spec = { ...spec, setupDone: false };
    try {
      assert.equal(await line(), 'Setup Assistant:    in progress (SetupDone false)');
    } finally {
      device.spec = spec;
    }
    const unpaired = await runCli(['info', TARGET], h.env);
    assert.match(unpaired.stdout, /^Setup Assistant: {4}unknown$/m, 'not read from a device this computer is not paired with');
  });

  it('info on an unpaired device says it is not paired and how to fix it', async () => {
    const r = await runCli(['info', TARGET, '--json'], h.env);
    assert.equal(r.code, 0, r.stderr);
    const f = deviceFacts(r.stdout);
    assert.equal(f.paired, false);
    assert.equal(f.supervised, undefined, 'unknown facts stay unknown');
    assert.match(f.limitation ?? '', /iosbr pair/);
  });

  it('pair waits for Trust (bounded), then info reads everything; unpair removes it', async () => {
    const pair = await runCli(['pair', TARGET], h.env);
    assert.equal(pair.code, 0, pair.stderr);
    assert.match(pair.stderr, /Tap "Trust"/);
    const info = deviceFacts((await runCli(['info', TARGET, '--json'], h.env)).stdout);
    assert.equal(info.paired, true);
    assert.equal(info.supervised, true);
    assert.equal(info.mdm, 'none');
    assert.equal(info.backupEncryption, true);
    assert.equal(info.marketingName, 'iPad (10th generation)');
    const unpair = await runCli(['unpair', TARGET], h.env);
    assert.equal(unpair.code, 0, unpair.stderr);
    assert.equal(deviceFacts((await runCli(['info', TARGET, '--json'], h.env)).stdout).paired, false);
  });

  it('pair reports a denied Trust dialog in one sentence with exit 1', async () => {
    const device = h.simulator.device(TARGET)!;
    device.spec = { ...device.spec, trust: { response: 'deny', delayMs: 0 } };
    const r = await runCli(['pair', TARGET], h.env);
    assert.equal(r.code, 1);
    assert.match(r.stderr.trim(), /^The user tapped "Don't Trust" on the device[^\n]*\.$/);
    device.spec = { ...device.spec, trust: { response: 'locked', delayMs: 0 } };
    const locked = await runCli(['pair', TARGET], h.env);
    assert.equal(locked.code, 1);
    assert.match(locked.stderr, /locked with its passcode/);
  });

  it('a listener sees devices detach and attach (hot-plug)', async () => {
    const mux = new UsbmuxClient(parseUsbmuxdAddress(h.address)!);
    const events: string[] = [];
    const attached = new Map<number, UsbmuxDevice>();
    let notify: () => void = () => undefined;
    const watch = await mux.watch({
      onAttached: (d) => {
        attached.set(d.deviceId, d);
        events.push(`+${d.udid}`);
        notify();
      },
      onDetached: (id) => {
        events.push(`-${attached.get(id)?.udid}`);
        notify();
      },
    });
    const waitFor = (n: number) =>
      new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`events so far: ${events.join(' ')}`)), 5000);
        notify = () => {
          if (events.length >= n) {
            clearTimeout(t);
            resolve();
          }
        };
        notify();
      });
    try {
      await waitFor(2);
      h.simulator.control('detach', SOURCE);
      await waitFor(3);
      assert.equal(events[2], `-${SOURCE}`);
      const list = await mux.listDevices();
      assert.deepEqual(list.map((d) => d.udid), [TARGET]);
      h.simulator.control('attach', SOURCE);
      await waitFor(4);
      assert.equal(events[3], `+${SOURCE}`);
    } finally {
      watch.dispose();
    }
  });

  it('no usbmuxd at the address: one sentence naming the address and what should run', async () => {
    const r = await runCli(['devices'], { ...process.env, USBMUXD_SOCKET_ADDRESS: '127.0.0.1:1' });
    assert.equal(r.code, 1);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1);
    assert.match(lines[0], /127\.0\.0\.1:1/);
    assert.match(lines[0], /usbmuxd/);
  });

  it('usage errors exit 2', async () => {
    assert.equal((await runCli(['info'], h.env)).code, 2);
    assert.equal((await runCli(['nosuchcommand'], h.env)).code, 2);
    assert.equal((await runCli(['pair', SOURCE, '--password', 'x'], h.env)).code, 2);
  });
});
