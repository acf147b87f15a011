import '../vscodeStub';
import assert from 'node:assert/strict';
import type { BackupSummary } from '../../../../src/backup/format/backupFolder';
import { silentLogger } from '../../../../src/common/logger';
import type { DeviceFacts } from '../../../../src/device/deviceFacts';
import type { BenchRestorePlan, KittingBench } from '../../../../src/kitting/kittingBench';
import { BenchAutomation } from '../../../../src/ui/bench/benchAutomation';
import type { BenchSession } from '../../../../src/ui/bench/benchSession';
import type { BenchAttachAction, BenchSettings } from '../../../../src/ui/bench/benchSettings';
import type { DeviceMonitor, MonitoredDevice } from '../../../../src/ui/devices/deviceMonitor';
import { Disposable, EventEmitter, shownMessages } from '../vscodeStub';

const SOURCE = '00008110-0000000000B00001';
const udid = (n: number): string => `00008110-0000000000B0000${n}`;
const BACKUP: BackupSummary = { dir: `/backups/${SOURCE}`, udid: SOURCE, deviceName: 'Bench iPhone 1', encrypted: false, sizeBytes: 1, complete: true, notes: [] };
const PLAN: BenchRestorePlan = { backupDir: BACKUP.dir, reboot: true };

/** Lets the automation's awaits (the kitting layer's import, the bench) run to their end. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** Turns of the event loop until `done` holds (a file-system read takes a few), bounded. */
async function settleUntil(done: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !done(); i++) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * The automation over a fake monitor (devices attach when the test says), a fake bench that records the rows
 * it is asked for, and settings the test sets.
 */
function setUp(action: BenchAttachAction, attachedAtStart: MonitoredDevice[] = [], backupToRestore = '') {
  const changed = new EventEmitter<void>();
  let devices = [...attachedAtStart];
  let holds = 0;
  const monitor = {
    onDidChange: changed.event,
    hold: () => {
      holds++;
      return new Disposable(() => holds--);
    },
    ensureStarted: async () => undefined,
    devices: () => devices,
  } as unknown as DeviceMonitor;
  const added: string[] = [];
  const bench = {
    addBackup: (id: string) => added.push(`backup ${id}`),
    addRestore: (id: string, plan: BenchRestorePlan) => added.push(`restore ${id} from ${plan.backupDir}`),
  } as unknown as KittingBench;
  const session = { open: async () => bench } as unknown as BenchSession;
  const settingsChanged = new EventEmitter<void>();
  let jobs = 4;
  const settings: BenchSettings = { jobs: () => jobs, whenDeviceAttaches: () => action, backupToRestore: () => backupToRestore, onDidChange: settingsChanged.event };
  const automation = new BenchAutomation(monitor, session, settings, 'en', silentLogger);
  return {
    automation,
    added,
    holds: () => holds,
    setJobs: async (value: number) => {
      jobs = value;
      settingsChanged.fire();
      await settle();
    },
    attach: async (...more: MonitoredDevice[]) => {
      devices = [...devices, ...more];
      changed.fire();
      await settle();
    },
    detach: async (id: string) => {
      devices = devices.filter((d) => d.udid !== id);
      changed.fire();
      await settle();
    },
  };
}

function device(n: number, facts: Partial<DeviceFacts> = {}): MonitoredDevice {
  const id = udid(n);
  return {
    udid: id,
    connection: { deviceId: n, udid: id, connectionType: 'USB' },
    facts: { udid: id, connectionType: 'USB', name: `Bench iPhone ${n}`, paired: true, setupDone: false, ...facts },
    reading: false,
  };
}

describe('ui: the bench automation (what happens when a device attaches)', () => {
  beforeEach(() => shownMessages.splice(0));

  it('is off by default: nothing watches the devices and nothing is added', async () => {
    const t = setUp('nothing');
    await settle();
    assert.equal(t.holds(), 0);
    await t.attach(device(2));
    assert.deepEqual(t.added, []);
    t.automation.dispose();
  });

  it('"back up": backs up devices that attach later, not the ones already attached, once, and skips one in Setup Assistant with one sentence', async () => {
    const t = setUp('backUp', [device(5, { setupDone: true })]);
    await settle();
    assert.equal(t.holds(), 1, 'the monitor is kept watching while the automation is on');
    await t.attach(device(6, { setupDone: true }), device(3, { setupDone: false }));
    assert.deepEqual(t.added, [`backup ${udid(6)}`]);
    assert.equal(shownMessages.length, 1);
    assert.match(shownMessages[0][0], /^The bench left Bench iPhone 3 alone: it is still in Setup Assistant/);
    // Unplugged and plugged in again: handled once per bench session, and the skip is not said again.
    await t.detach(udid(6));
    await t.detach(udid(3));
    await t.attach(device(6, { setupDone: true }), device(3, { setupDone: false }));
    assert.deepEqual(t.added, [`backup ${udid(6)}`]);
    assert.equal(shownMessages.filter((m) => m[0].includes('Bench iPhone 3')).length, 1);
    t.automation.dispose();
    assert.equal(t.holds(), 0);
  });

  it('"restore backup": without a complete backup folder it says so once and restores nothing', async () => {
    const t = setUp('restoreBackup', [], '/nowhere/00008110-0000000000B00001');
    await settleUntil(() => shownMessages.length > 0);
    // Another bench setting changing does not say it again (given the turns the first sentence took, and more).
    await t.setJobs(8);
    await settleUntil(() => shownMessages.length > 1);
    assert.deepEqual(shownMessages.map((m) => m[0]), ['The bench restores to attached devices only once "iOS Backup & Restore › Bench: Backup to Restore" names a complete backup folder.']);
    assert.equal(t.holds(), 0);
    await t.attach(device(4));
    assert.deepEqual(t.added, []);
    t.automation.dispose();
  });

  it('"every device attached from now on": restores only to devices in Setup Assistant, never to the backup\'s own device, and stops when told', async () => {
    const t = setUp('nothing', [device(2)]);
    await t.automation.restoreToNextDevices(BACKUP, PLAN);
    await settle();
    // Device 2 was attached before: it was chosen (or not) in the command, not by the automation.
    await t.attach(device(4), device(5, { setupDone: true }), device(1, { udid: SOURCE, setupDone: false }), device(7, { setupDone: undefined }));
    assert.deepEqual(t.added, [`restore ${udid(4)} from ${BACKUP.dir}`]);
    const said = shownMessages.map((m) => m[0]).join('\n');
    assert.match(said, /Bench iPhone 5 alone: it has finished Setup Assistant/);
    assert.match(said, /alone: it is the device the backup was made from/);
    assert.match(said, /Bench iPhone 7 alone: whether it is still in Setup Assistant could not be read/);
    t.automation.stopRestoringToNextDevices();
    await settle();
    assert.equal(t.holds(), 0);
    await t.attach(device(8));
    assert.deepEqual(t.added, [`restore ${udid(4)} from ${BACKUP.dir}`]);
    t.automation.dispose();
  });
});
