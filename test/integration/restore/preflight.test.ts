import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RestorePreflightResult } from '../../../src/restore/restorePreflight';
import { parseScenario } from '../../../src/simulator/scenario';
import { runCli, startSimulator, type SimulatorHarness } from '../../helpers/simulatorHarness';
import { testItems, writeTestBackup } from '../../builders/testBackupBuilder';

const OLD_PHONE = '00008110-000A1B2C3D4E801E';
const NEW_PHONE = '00008120-001C2D3E4F5A602E';
/** A device already on a newer iOS than the target, supervised and enrolled. */
const NEWER_PHONE = '00008130-002D3E4F5A6B702E';
const DATASET = { files: 40, totalBytes: 400_000, seed: 7 };

/** The parts of `preflight --json` these tests read (the preflight result, as JSON). */
type PreflightOutput = Pick<RestorePreflightResult, 'checks' | 'report' | 'provenance'>;
const preflightOutput = (stdout: string): PreflightOutput => JSON.parse(stdout) as PreflightOutput;

describe('preflight: a backup against a live target device', function () {
  this.timeout(180_000);
  let h: SimulatorHarness;
  let root: string;
  /** Our backups of the simulated devices: their facts come from the backup's own files, as for any host's backup. */
  const backupOf = (udid: string): string => path.join(root, udid);

  before(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'iosbr-preflight-'));
    const devices = (oldPhoneSupervised: boolean): object => ({
      devices: [
        { udid: OLD_PHONE, productVersion: '16.1', supervised: oldPhoneSupervised, mdm: 'enrolled', dataset: DATASET },
        { udid: NEW_PHONE, productVersion: '17.2', supervised: true, mdm: 'enrolled', dataset: DATASET },
        { udid: NEWER_PHONE, productVersion: '17.4', supervised: true, mdm: 'enrolled', dataset: DATASET },
      ],
    });
    h = await startSimulator(devices(false));
    for (const udid of [OLD_PHONE, NEWER_PHONE]) {
      const r = await runCli(['backup', udid, '--dir', root, '--full'], h.env, { timeoutMs: 120_000 });
      assert.equal(r.code, 0, r.stderr);
    }
    // After its backup the old phone was kitted through ADE: it is supervised now.
    h.simulator.applyScenario(parseScenario(devices(true)));
  });
  after(async () => {
    if (h) await h.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('unsupervised MDM backup to a different supervised device: supported, agent must re-authenticate', async () => {
    const r = await runCli(['preflight', NEW_PHONE, '--from', backupOf(OLD_PHONE), '--ade-restore-allowed', 'yes', '--json'], h.env);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const out = preflightOutput(r.stdout);
    assert.equal(out.report.supported, 'yes');
    assert.equal(out.report.cell?.id, 'unsupervised.different.target-supervised');
    assert.equal(out.report.agent, 'reauth');
    assert.equal(out.report.mdm, 'ok');
    assert.equal(out.checks.find((c) => c.id === 'backup-health')?.status, 'pass');
  });

  it('unsupervised backup to the same device, now supervised: not supported (exit 1)', async () => {
    const r = await runCli(['preflight', OLD_PHONE, '--from', backupOf(OLD_PHONE), '--ade-restore-allowed', 'yes', '--lang', 'en'], h.env);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /Not supported|not supported/);
  });

  it('a target older than the backup fails the iOS precondition', async () => {
    const r = await runCli(['preflight', NEW_PHONE, '--from', backupOf(NEWER_PHONE), '--ade-restore-allowed', 'yes', '--json'], h.env);
    assert.equal(r.code, 1);
    const out = preflightOutput(r.stdout);
    const version = out.report.preconditions.find((p) => /ios|version/i.test(p.id));
    assert.equal(version?.status, 'fail');
  });

  it('a backup without the configuration-profile store: the unknown facts are asked, not guessed, and the answers settle them', async () => {
    const dir = await writeTestBackup(path.join(root, 'foreign'), { udid: OLD_PHONE, items: testItems() });
    const r = await runCli(['preflight', NEW_PHONE, '--from', dir, '--json'], h.env);
    assert.equal(r.code, 1);
    const out = preflightOutput(r.stdout);
    assert.equal(out.report.supported, 'unknown');
    const asked = out.report.questions.map((q) => q.fact);
    assert.ok(asked.includes('source.supervisedAtBackup') || asked.includes('source.mdmEnrolledAtBackup'), asked.join(','));
    assert.equal(out.provenance.unknown['source.mdmEnrolledAtBackup']?.code, 'backup-store-absent');
    const answered = await runCli(['preflight', NEW_PHONE, '--from', dir, '--source-supervised', 'yes', '--source-mdm', 'yes', '--ade-restore-allowed', 'yes', '--json'], h.env);
    assert.equal(answered.code, 0, answered.stdout);
    assert.deepEqual(preflightOutput(answered.stdout).provenance.origins['source.mdmEnrolledAtBackup'], { kind: 'answer' });
  });

  it('a folder that is not a backup is a usage error in one sentence', async () => {
    const empty = mkdtempSync(path.join(root, 'empty-'));
    const r = await runCli(['preflight', NEW_PHONE, '--from', empty], h.env);
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  });
});
