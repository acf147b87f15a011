import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseScenario } from '../../../src/simulator/scenario';
import { run, runCli, skipWithoutTools, startSimulator, type SimulatorHarness } from '../../helpers/simulatorHarness';

const SUPERVISED = '00008110-000A71B2C3D4E01E';
const SUPERVISED_ENCRYPTED = '00008110-000A72B2C3D4E01E';
const UNMANAGED = '00008110-000A73B2C3D4E01E';
/** The restore target: a different, supervised, enrolled device on a newer iOS. */
const TARGET = '00008120-000A74B2C3D4E01E';
// The scenario gives the device its backup password (encryption already on), so no password goes on idevicebackup2's argv.
const PASSWORD = 'verdict-Pa55word';
const STORE = 'SysSharedContainerDomain-systemgroup.com.apple.configurationprofiles/Library/ConfigurationProfiles/';
const AT_BACKUP = ['source.supervisedAtBackup', 'source.mdmEnrolledAtBackup'];

const scenario = parseScenario({
  devices: [
    { udid: SUPERVISED, name: 'Fleet iPhone', productVersion: '16.1', supervised: true, mdm: 'enrolled', organizationName: 'Contoso', dataset: { files: 30, totalBytes: 300_000, seed: 71 } },
    {
      udid: SUPERVISED_ENCRYPTED, name: 'Encrypted Fleet iPhone', productVersion: '16.1', supervised: true, mdm: 'enrolled', organizationName: 'Contoso', backupPassword: PASSWORD,
      keybagIterations: { sha256: 1000, sha1: 10 }, dataset: { files: 30, totalBytes: 300_000, seed: 72 },
    },
    { udid: UNMANAGED, name: 'Personal iPhone', productVersion: '16.1', supervised: false, mdm: 'none', dataset: { files: 30, totalBytes: 300_000, seed: 73 } },
    { udid: TARGET, name: 'Replacement iPhone', productVersion: '17.2', supervised: true, mdm: 'enrolled', dataset: { files: 5, totalBytes: 5000, seed: 74 } },
  ],
});

interface PreflightJson {
  report: { supported: string; cell: { id: string } | null; questions: { fact: string }[] };
  provenance: { origins: Record<string, { kind: string; file?: string }>; unknown: Record<string, { code: string; detail?: string }> };
  checks: { id: string; status: string }[];
}

/**
 * The compatibility verdict for a backup made by another host (Debian's idevicebackup2), from the backup's own
 * files: supervision and MDM enrolment at backup time are read from the device's configuration-profile store in
 * the backup, so the verdict asks nothing about them and names the file each came from.
 */
describe('the compatibility verdict from a backup\'s own files (idevicebackup2 backups)', function () {
  this.timeout(600_000);
  let h: SimulatorHarness;
  let root: string;

  before(async function () {
    skipWithoutTools(this, 'idevicebackup2');
    h = await startSimulator(scenario);
    root = mkdtempSync(path.join(os.tmpdir(), 'iosbr-verdict-'));
    for (const udid of [SUPERVISED, SUPERVISED_ENCRYPTED, UNMANAGED]) {
      const r = await run('idevicebackup2', ['-u', udid, 'backup', '--full', root], h.env, { timeoutMs: 300_000 });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.deepEqual(readdirSync(path.join(root, udid)).filter((n) => n.startsWith('iosbr-')), [], 'no file of ours in the folder');
    }
  });
  after(async () => {
    if (h) await h.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  async function preflight(udid: string, env: NodeJS.ProcessEnv = h.env): Promise<{ code: number | null; json: PreflightJson }> {
    const r = await runCli(['preflight', TARGET, '--from', path.join(root, udid), '--ade-restore-allowed', 'yes', '--json'], env);
    return { code: r.code, json: JSON.parse(r.stdout) as PreflightJson };
  }

  function assertReadFromStore(json: PreflightJson, expected: { supervised: boolean; mdm: boolean }): void {
    const asked = json.report.questions.map((q) => q.fact);
    for (const fact of AT_BACKUP) assert.ok(!asked.includes(fact), `no question about ${fact}: ${asked.join(', ')}`);
    const supervised = json.provenance.origins['source.supervisedAtBackup'];
    const mdm = json.provenance.origins['source.mdmEnrolledAtBackup'];
    assert.equal(supervised?.kind, 'backup');
    assert.equal(supervised?.file, `${STORE}CloudConfigurationDetails.plist`);
    assert.equal(mdm?.kind, 'backup');
    // An MDM profile stub of the store, or (none installed) the store's folder that holds no such stub.
    assert.ok(mdm?.file?.startsWith(STORE.slice(0, -1)), mdm?.file);
    const cell = json.report.cell?.id ?? '';
    assert.ok(cell.startsWith(expected.mdm ? (expected.supervised ? 'supervised.' : 'unsupervised.') : 'no-mdm.'), cell);
  }

  it('a supervised, MDM-enrolled device: decided without a question about supervision or MDM, naming the files', async () => {
    const { code, json } = await preflight(SUPERVISED);
    assertReadFromStore(json, { supervised: true, mdm: true });
    assert.equal(json.report.cell?.id, 'supervised.different.target-supervised');
    assert.equal(json.report.supported, 'yes');
    assert.equal(json.checks.find((c) => c.id === 'backup-health')?.status, 'pass');
    assert.equal(code, 0, JSON.stringify(json.checks.filter((c) => c.status !== 'pass' && c.status !== 'warn')));
    // The text output names the file too.
    const text = await runCli(['preflight', TARGET, '--from', path.join(root, SUPERVISED), '--ade-restore-allowed', 'yes', '--lang', 'en'], h.env);
    assert.match(text.stdout, /Supervised when backed up: yes \(read from the backup's .*CloudConfigurationDetails\.plist\)/);
    assert.match(text.stdout, /iosbr verify /);
  });

  it('the same device, encrypted, with IOSBR_PASSWORD: the same answer from the decrypted store', async () => {
    const { code, json } = await preflight(SUPERVISED_ENCRYPTED, { ...h.env, IOSBR_PASSWORD: PASSWORD });
    assertReadFromStore(json, { supervised: true, mdm: true });
    assert.equal(json.report.supported, 'yes');
    assert.equal(code, 0, JSON.stringify(json.checks));
  });

  it('encrypted without a password: asked, with the reason, never guessed', async () => {
    const env = { ...h.env };
    delete env.IOSBR_PASSWORD;
    const { json } = await preflight(SUPERVISED_ENCRYPTED, env);
    const asked = json.report.questions.map((q) => q.fact);
    assert.ok(asked.includes('source.mdmEnrolledAtBackup'), asked.join(', '));
    assert.equal(json.provenance.unknown['source.mdmEnrolledAtBackup']?.code, 'backup-encrypted-needs-password');
  });

  it('an unsupervised device without MDM: false/false from the store, the "no MDM" table, no question about either', async () => {
    const { json } = await preflight(UNMANAGED);
    assertReadFromStore(json, { supervised: false, mdm: false });
    assert.equal(json.report.cell?.id, 'no-mdm.different.target-supervised');
  });
});
