import assert from 'node:assert/strict';
import { mkdtempSync, promises as fs, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BackupInspection } from '../../../src/backup/inspect/backupInspection';
import { SIMULATED_APPS } from '../../../src/simulator/installedApps';
import { hasTool, run, runCli, startSimulator, type RunResult, type SimulatorHarness } from '../../helpers/simulatorHarness';
import { FAST_KEYBAG, assertNoPasswords, cleanEnv, outputOf } from '../../helpers/encryptedDeviceHarness';

const MANAGED = '00008110-000A1B2C3D4E8A1E';
const MANAGED_ENCRYPTED = '00008110-000A1B2C3D4E8A2E';
const UNMANAGED = '00008110-000A1B2C3D4E8A3E';
// The device's own backup password: the simulated device encrypts its backup, as a real one does once
// encryption is on; idevicebackup2 itself needs no password to make the backup.
const BACKUP_PASSWORD = 'inspect-Pa55word';
const DATASET = { files: 40, totalBytes: 400_000, seed: 14 };

const DEVICES = [
  {
    udid: MANAGED, name: 'Kitting iPhone', productType: 'iPhone14,5', productVersion: '17.2', buildVersion: '21C62', serialNumber: 'F2LINSPECT01',
    supervised: true, mdm: 'enrolled', organizationName: 'Example Logistics', dataset: DATASET,
  },
  {
    udid: MANAGED_ENCRYPTED, name: 'Locked Kitting iPhone', productType: 'iPhone15,4', productVersion: '17.2', buildVersion: '21C62', serialNumber: 'F2LINSPECT02',
    supervised: true, mdm: 'enrolled', organizationName: 'Example Logistics', backupPassword: BACKUP_PASSWORD, keybagIterations: FAST_KEYBAG, dataset: DATASET,
  },
  {
    udid: UNMANAGED, name: 'Personal iPhone', productType: 'iPhone12,1', productVersion: '16.1', buildVersion: '20B82', serialNumber: 'F2LINSPECT03',
    supervised: false, mdm: 'none', dataset: DATASET,
  },
] as const;

/** `inspect --json` as a separate process; the output must be one JSON document. */
async function inspectJson(backupDir: string, env: NodeJS.ProcessEnv, extra: string[] = [], stdin?: string): Promise<{ result: RunResult; inspection: BackupInspection }> {
  const result = await runCli(['inspect', backupDir, '--json', ...extra], env, { stdin, timeoutMs: 120_000 });
  assert.equal(result.code, 0, result.stderr);
  return { result, inspection: JSON.parse(result.stdout) as BackupInspection };
}

/** Every file and folder name in a backup folder, at any depth. */
async function namesIn(dir: string): Promise<string[]> {
  return (await fs.readdir(dir, { recursive: true })).map((name) => path.basename(String(name)));
}

function assertDeviceMatchesScenario(inspection: BackupInspection, spec: (typeof DEVICES)[number], marketingName: string): void {
  assert.deepEqual(inspection.device, {
    name: spec.name,
    productType: spec.productType,
    marketingName,
    iosVersion: spec.productVersion,
    buildVersion: spec.buildVersion,
    udid: spec.udid,
    serialNumber: spec.serialNumber,
  });
}

function assertAppsOfSimulator(inspection: BackupInspection): void {
  assert.ok(inspection.apps.count > 0, 'the backup lists apps');
  const expected = [...SIMULATED_APPS].sort((a, b) => (a.bundleId < b.bundleId ? -1 : 1)).map((app) => ({ bundleId: app.bundleId, name: app.displayName }));
  assert.deepEqual(inspection.apps, { count: expected.length, items: expected });
}

/** `iosbr inspect` on backups Debian's idevicebackup2 made of simulated devices: the management state comes from the backup's own files. */
describe('inspect CLI on idevicebackup2 backups of simulated devices', function () {
  this.timeout(600_000);
  let h: SimulatorHarness;
  let root: string;
  let env: NodeJS.ProcessEnv;

  before(async function () {
    if (!hasTool('idevicebackup2')) {
      process.stderr.write('    skipped: idevicebackup2 is not installed (Debian package libimobiledevice-utils)\n');
      this.skip();
    }
    h = await startSimulator({ devices: DEVICES.map((device) => ({ ...device })) });
    env = cleanEnv({ USBMUXD_SOCKET_ADDRESS: h.address });
    root = mkdtempSync(path.join(os.tmpdir(), 'iosbr-inspect-'));
    for (const device of DEVICES) {
      const r = await run('idevicebackup2', ['-u', device.udid, 'backup', '--full', root], env, { timeoutMs: 300_000 });
      assert.equal(r.code, 0, `idevicebackup2 backup of ${device.name}: ${r.stdout}${r.stderr}`);
      assert.match(r.stdout, /Backup Successful\./);
    }
  });
  after(async () => {
    if (h) await h.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('a supervised, MDM-enrolled device: supervised and enrolled, read from the backup with no file of ours in it', async () => {
    const backupDir = path.join(root, MANAGED);
    const names = await namesIn(backupDir);
    assert.deepEqual(names.filter((name) => name.startsWith('iosbr-') || name.startsWith('.iosbr-')), [], 'the folder holds no file of ours');

    const { inspection } = await inspectJson(backupDir, env);
    assert.equal(inspection.management.supervised, true, JSON.stringify(inspection.management, null, 2));
    assert.equal(inspection.management.mdmEnrolled, true, JSON.stringify(inspection.management, null, 2));
    assert.equal(inspection.management.organizationName, 'Example Logistics');
    assert.ok(inspection.management.sources.some((s) => s.facts.includes('supervised') && /CloudConfigurationDetails\.plist$/.test(s.relativePath)));
    assert.ok(inspection.management.sources.some((s) => s.facts.includes('mdmEnrolled')));
    assertDeviceMatchesScenario(inspection, DEVICES[0], 'iPhone 13');
    assert.equal(inspection.encrypted, false);
    assert.equal(inspection.complete, true, inspection.incompleteReasons.join('\n'));
    assert.ok(inspection.backupDate !== null && !Number.isNaN(Date.parse(inspection.backupDate)));
    assert.ok(inspection.totalBytes > DATASET.totalBytes);
    assertAppsOfSimulator(inspection);
    assert.ok(inspection.largestDomains.length > 0 && inspection.largestDomains.length <= 10);
    const sizes = inspection.largestDomains.map((d) => d.bytes);
    assert.deepEqual(sizes, [...sizes].sort((a, b) => b - a), 'largest first');
    assert.deepEqual(inspection.problems, []);
    // Inspecting writes nothing into the backup.
    assert.deepEqual(await namesIn(backupDir), names);
  });

  it('the same device backed up encrypted: supervised and enrolled with the password (stdin or IOSBR_PASSWORD), unknown without', async () => {
    const backupDir = path.join(root, MANAGED_ENCRYPTED);
    assert.deepEqual((await namesIn(backupDir)).filter((name) => name.includes('iosbr-')), []);

    const fromStdin = await inspectJson(backupDir, env, ['--password-stdin'], `${BACKUP_PASSWORD}\n`);
    const fromEnv = await inspectJson(backupDir, { ...env, IOSBR_PASSWORD: BACKUP_PASSWORD });
    for (const { result, inspection } of [fromStdin, fromEnv]) {
      assertNoPasswords(outputOf(result), [BACKUP_PASSWORD]);
      assert.equal(inspection.encrypted, true);
      assert.equal(inspection.management.supervised, true, JSON.stringify(inspection.management, null, 2));
      assert.equal(inspection.management.mdmEnrolled, true, JSON.stringify(inspection.management, null, 2));
      assert.equal(inspection.management.organizationName, 'Example Logistics');
      assertDeviceMatchesScenario(inspection, DEVICES[1], 'iPhone 15');
      assertAppsOfSimulator(inspection);
      assert.ok(inspection.largestDomains.length > 0);
      assert.deepEqual(inspection.problems, []);
    }

    const { inspection: withoutPassword } = await inspectJson(backupDir, env);
    assert.equal(withoutPassword.encrypted, true);
    assert.equal(withoutPassword.management.supervised, null);
    assert.equal(withoutPassword.management.mdmEnrolled, null);
    assert.deepEqual(withoutPassword.largestDomains, []);
    assert.match(withoutPassword.problems.join('\n'), /password is needed/);
    assertDeviceMatchesScenario(withoutPassword, DEVICES[1], 'iPhone 15');

    const wrong = await inspectJson(backupDir, { ...env, IOSBR_PASSWORD: 'not-the-password' });
    assert.equal(wrong.inspection.management.supervised, null);
    assert.match(wrong.inspection.problems.join('\n'), /password given does not open this backup/);
    assertNoPasswords(outputOf(wrong.result), ['not-the-password']);
  });

  it('an unsupervised device without MDM: false and false', async () => {
    const { inspection } = await inspectJson(path.join(root, UNMANAGED), env);
    assert.equal(inspection.management.supervised, false, JSON.stringify(inspection.management, null, 2));
    assert.equal(inspection.management.mdmEnrolled, false, JSON.stringify(inspection.management, null, 2));
    assertDeviceMatchesScenario(inspection, DEVICES[2], 'iPhone 11');
    assert.equal(inspection.complete, true);
    assertAppsOfSimulator(inspection);
  });

  it('prints a readable summary, in Japanese under a Japanese locale', async () => {
    const backupDir = path.join(root, MANAGED);
    const en = await runCli(['inspect', backupDir], { ...env, LANG: 'en_US.UTF-8' });
    assert.equal(en.code, 0, en.stderr);
    assert.match(en.stdout, /^Device: Kitting iPhone, iPhone 13 \(iPhone14,5\), UDID 00008110-000A1B2C3D4E8A1E, serial F2LINSPECT01$/m);
    assert.match(en.stdout, /^iOS: 17\.2 \(21C62\)$/m);
    assert.match(en.stdout, /^Encrypted: no$/m);
    assert.match(en.stdout, /^State: complete$/m);
    assert.match(en.stdout, new RegExp(`^Apps: ${SIMULATED_APPS.length}: com\\.example\\.chat \\(Example Chat\\)`, 'm'));
    assert.match(en.stdout, /^Management: supervised yes, MDM enrolled yes, organization "Example Logistics"$/m);
    assert.match(en.stdout, /^ {2}Library\/ConfigurationProfiles\/CloudConfigurationDetails\.plist \[supervised, organizationName\]: /m);
    assert.match(en.stdout, /^Largest domains:\n {2}\S+ {2}[\d.]+ [KM]?B {2}\(\d+ files?\)$/m);

    const ja = await runCli(['inspect', backupDir], { ...env, LANG: 'ja_JP.UTF-8' });
    assert.equal(ja.code, 0, ja.stderr);
    assert.match(ja.stdout, /^デバイス: Kitting iPhone/m);
    assert.match(ja.stdout, /^管理状態: 監視対象 はい, MDM 登録 はい/m);
  });

  it('exits 1 on a folder that is not a backup and 2 without a folder', async () => {
    const notBackup = mkdtempSync(path.join(os.tmpdir(), 'iosbr-not-backup-'));
    try {
      const r = await runCli(['inspect', notBackup, '--json'], env);
      assert.equal(r.code, 1);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /is not a backup: it has no readable Info\.plist, Manifest\.plist or Manifest\.db\./);
    } finally {
      rmSync(notBackup, { recursive: true, force: true });
    }
    const usage = await runCli(['inspect'], env);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /Missing the backup folder\./);
  });
});
